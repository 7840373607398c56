"""Share links: made once, used, expired, revoked; the reviewer's read-only pages; tokens in no log."""

import logging
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from licensebuilder.drafts.models import Draft
from licensebuilder.review.access import token_hash
from licensebuilder.review.models import Comment, ShareLink
from licensebuilder.review.redaction import redact
from tests.factories import make_draft, make_user, step_data

pytestmark = pytest.mark.django_db

_URL = re.compile(r'id="share-url"[^>]*value="(http://testserver/s/([A-Za-z0-9_-]+)/)"')


def _make_link(client, draft, label="Outside counsel", **extra):
    response = client.post(reverse("review:shares", args=[draft.pk]), {"label": label, **extra})
    assert response.status_code == 200, response.content.decode()[:2000]
    match = _URL.search(response.content.decode())
    assert match, "the new link is shown on the page"
    return match.group(2), response


def _home(token):
    return reverse("review:shared-home", args=[token])


def _all_text_in_db() -> str:
    """Every value of every row of the review and draft tables, as text."""
    out = []
    with connection.cursor() as cursor:
        for table in ("review_sharelink", "review_comment", "drafts_draft", "django_session"):
            cursor.execute(f"SELECT * FROM {table}")
            out.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(out)


@pytest.fixture
def token(client_in, draft):
    return _make_link(client_in, draft)[0]


# -- the owner makes links -------------------------------------------------------------------


def test_making_a_link_shows_its_token_once_and_stores_only_its_hash(client_in, draft):
    token, response = _make_link(client_in, draft)
    assert len(token) >= 43  # 32 random bytes
    html = response.content.decode()
    assert "shown only this once" in html
    assert response["Cache-Control"] == "private, no-store" and response["Referrer-Policy"] == "same-origin"
    link = ShareLink.objects.get(draft=draft)
    assert link.token_hash == token_hash(token) and link.label == "Outside counsel" and link.expires is None
    assert token not in _all_text_in_db()
    listing = client_in.get(reverse("review:shares", args=[draft.pk])).content.decode()
    assert token not in listing and "Outside counsel" in listing and "none recorded" in listing and "Live" in listing


def test_each_link_gets_its_own_token(client_in, draft):
    first, _ = _make_link(client_in, draft, "One")
    second, _ = _make_link(client_in, draft, "Two")
    assert first != second and ShareLink.objects.filter(draft=draft).count() == 2


def test_a_link_may_expire_after_some_days(client_in, draft):
    _make_link(client_in, draft, expires_in="7")
    link = ShareLink.objects.get(draft=draft)
    assert timedelta(days=6, hours=23) < link.expires - timezone.now() <= timedelta(days=7)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"label": ""}, "label", "Give the link a label"),
        ({"label": "x" * 101}, "label", "at most 100 characters"),
        ({"label": "ok", "expires_in": "0"}, "expires_in", "must last at least 1 day"),
        ({"label": "ok", "expires_in": "366"}, "expires_in", "at most 365 days"),
        ({"label": "ok", "expires_in": "soon"}, "expires_in", "whole number of days"),
        ({"label": "a\u202eb"}, "label", "control or bidirectional"),
    ],
)
def test_a_bad_link_form_names_the_field(client_in, draft, data, field, message):
    response = client_in.post(reverse("review:shares", args=[draft.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert f'href="#id_{field}"' in html  # the summary points at the field
    assert not ShareLink.objects.exists()


# -- a reviewer uses one ---------------------------------------------------------------------


def test_a_reviewer_reads_the_draft_through_the_link(client, token, draft):
    before = timezone.now()
    for url in (_home(token), reverse("review:shared-read", args=[token])):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Referrer-Policy"] == "no-referrer" and response["Cache-Control"] == "private, no-store"
        html = response.content.decode()
        assert "as a guest" in html and "nothing here can be changed" in html
        assert "Acme Open Model License" in html and 'class="deed"' in html
    # When it was last used is kept (in the shared cache: reading writes no row).
    link = ShareLink.objects.get(draft=draft)
    assert ShareLink.last_uses([link])[link.pk] >= before.replace(microsecond=0)


def test_the_reviewer_page_has_no_edit_controls(client, token, draft):
    html = client.get(_home(token)).content.decode()
    for url in (
        reverse("drafts:resume", args=[draft.pk]),
        reverse("drafts:step", args=[draft.pk, "basics"]),
        reverse("review:shares", args=[draft.pk]),
        f"/drafts/{draft.pk}/",
    ):
        assert url not in html
    assert "Mark resolved" not in html and "Share with a reviewer" not in html
    # Every form on the page posts a comment, and nothing else.
    actions = set(re.findall(r'<form[^>]*action="([^"]*)"', html)) - {reverse("logout")}
    assert actions == {reverse("review:shared-comment", args=[token])}


def test_the_reviewer_page_links_history_compare_and_downloads(client, token):
    html = client.get(_home(token)).content.decode()
    assert reverse("review:shared-history", args=[token]) in html
    assert reverse("review:shared-compare", args=[token]) in html
    for fmt in ("md", "html", "json", "summary"):
        assert reverse("review:shared-export", args=[token, fmt]) in html


@pytest.mark.parametrize(
    "fmt, content_type, suffix",
    [
        ("md", "text/markdown; charset=utf-8", ".md"),
        ("html", "text/html; charset=utf-8", ".html"),
        ("json", "application/json", ".license.json"),
        ("summary", "text/markdown; charset=utf-8", "-summary.md"),
        ("pdf", "application/pdf", ".pdf"),
        ("bundle", "application/zip", "-bundle.zip"),
    ],
)
def test_the_reviewer_downloads_what_the_owner_downloads(client, client_in, draft, fmt, content_type, suffix):
    token, _ = _make_link(client_in, draft)
    owner = client_in.get(reverse("drafts:export", args=[draft.pk, fmt]))
    client.logout()
    response = client.get(reverse("review:shared-export", args=[token, fmt]))
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="acme-open-model-license-1.0{suffix}"'
    assert response["Content-Disposition"] == owner["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    if fmt in ("md", "json", "summary"):
        assert response.content == owner.content


def test_a_bad_paper_or_format_is_refused_without_an_error(client, token):
    assert client.get(reverse("review:shared-export", args=[token, "pdf"]) + "?paper=a0").status_code == 400
    assert client.get(reverse("review:shared-export", args=[token, "exe"])).status_code == 404


def test_an_unnamed_draft_cannot_be_downloaded_by_a_reviewer(client_in, blank_draft):
    token, _ = _make_link(client_in, blank_draft)
    client_in.logout()
    assert client_in.get(reverse("review:shared-export", args=[token, "md"])).status_code == 409
    assert client_in.get(_home(token)).status_code == 200


# -- dead links ------------------------------------------------------------------------------


def _page(response) -> str:
    """A page's HTML without its CSRF token, which is masked afresh for every response."""
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _not_found_body(client):
    return _page(client.get(_home("A" * 43)))


def test_an_expired_link_is_the_same_404_as_a_random_token(client, client_in, draft):
    token, _ = _make_link(client_in, draft, expires_in="1")
    client_in.logout()
    assert client.get(_home(token)).status_code == 200
    later = timezone.now() + timedelta(days=1, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get(_home(token))
        assert response.status_code == 404 and _page(response) == _not_found_body(client)
        assert response["Referrer-Policy"] == "no-referrer" and response["Cache-Control"] == "private, no-store"
        listing = _owner_listing(draft)
    assert "Expired" in listing


def _owner_listing(draft):
    from django.test import Client

    owner = Client()
    owner.force_login(draft.owner)
    return owner.get(reverse("review:shares", args=[draft.pk])).content.decode()


def test_a_revoked_link_stops_at_once(client, client_in, draft):
    token, _ = _make_link(client_in, draft)
    link = ShareLink.objects.get(draft=draft)
    response = client_in.post(reverse("review:share-revoke", args=[draft.pk, link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked is not None
    client_in.logout()
    response = client.get(_home(token))
    assert response.status_code == 404 and _page(response) == _not_found_body(client)
    assert "Revoked" in _owner_listing(draft)


def test_revoking_needs_a_post(client_in, draft):
    _make_link(client_in, draft)
    link = ShareLink.objects.get(draft=draft)
    assert client_in.get(reverse("review:share-revoke", args=[draft.pk, link.pk])).status_code == 405
    link.refresh_from_db()
    assert link.revoked is None


def test_a_tampered_token_is_404(client, token):
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for url in (_home(tampered), reverse("review:shared-history", args=[tampered]), _home(token[:-1])):
        response = client.get(url)
        assert response.status_code == 404 and _page(response) == _not_found_body(client)


@pytest.mark.parametrize("token", ["", "x", "a" * 500, "%00", "..", "<script>"])
def test_any_junk_token_is_404(client, token):
    url = f"/s/{token}/" if token else "/s//"
    assert client.get(url).status_code == 404


def test_a_link_shows_only_its_own_draft(client, client_in, user, draft):
    other = make_draft(user, title="Second draft")
    Draft.objects.filter(pk=other.pk).update(spec={**other.spec, "model": {**other.spec["model"], "name": "Beta-9"}})
    token, _ = _make_link(client_in, draft)
    client_in.logout()
    html = client.get(_home(token)).content.decode()
    assert "Acme-7B" in html and "Beta-9" not in html
    # Nothing in a share URL names a draft: the only way to B is B's own link.
    assert client.get(f"/s/{token}/{other.pk}/").status_code == 404


def test_another_user_cannot_list_or_revoke_my_links(client, client_in, draft, other_user):
    _make_link(client_in, draft)
    link = ShareLink.objects.get(draft=draft)
    client.force_login(other_user)
    assert client.get(reverse("review:shares", args=[draft.pk])).status_code == 404
    assert client.post(reverse("review:shares", args=[draft.pk]), {"label": "mine now"}).status_code == 404
    assert client.post(reverse("review:share-revoke", args=[draft.pk, link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked is None and ShareLink.objects.count() == 1


def test_a_link_of_another_draft_cannot_be_revoked_through_mine(client_in, user, draft):
    other = make_draft(user)
    _make_link(client_in, other)
    link = ShareLink.objects.get(draft=other)
    assert client_in.post(reverse("review:share-revoke", args=[draft.pk, link.pk])).status_code == 404


# -- a reviewer can change nothing -----------------------------------------------------------


def test_a_reviewer_posting_to_every_owner_url_is_sent_to_log_in(client, client_in, draft):
    token, _ = _make_link(client_in, draft)
    client_in.get(reverse("review:read", args=[draft.pk]))  # records the first revision
    link = ShareLink.objects.get(draft=draft)
    comment = Comment.objects.create(draft=draft, clause_id="x", name="Rae", body="hello", link=link)
    client_in.logout()
    client.get(_home(token))  # the reviewer's session
    draft.refresh_from_db()
    before = (draft.spec, draft.title, draft.version, Draft.objects.count(), ShareLink.objects.count())
    urls = [
        reverse("drafts:step", args=[draft.pk, "basics"]),
        reverse("drafts:autosave", args=[draft.pk, "basics"]),
        reverse("drafts:rename", args=[draft.pk]),
        reverse("drafts:delete", args=[draft.pk]),
        reverse("drafts:duplicate", args=[draft.pk]),
        reverse("review:revision-restore", args=[draft.pk, 1]),
        reverse("review:revision-name", args=[draft.pk, 1]),
        reverse("review:upgrade", args=[draft.pk]),
        reverse("review:shares", args=[draft.pk]),
        reverse("review:share-revoke", args=[draft.pk, link.pk]),
        reverse("review:comment-resolve", args=[draft.pk, comment.pk]),
        reverse("review:comment", args=[draft.pk]),
    ]
    data = {**step_data(draft, "basics", license_name="Taken"), "title": "Taken", "label": "mine", "name": "x"}
    for url in urls:
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    draft.refresh_from_db()
    assert (draft.spec, draft.title, draft.version, Draft.objects.count(), ShareLink.objects.count()) == before
    link.refresh_from_db()
    comment.refresh_from_db()
    assert link.revoked is None and comment.resolved is None and Comment.objects.count() == 1


def test_a_reviewer_cannot_post_to_the_read_only_pages(client, token):
    response = client.post(reverse("review:shared-read", args=[token]))
    assert response.status_code == 405 and response["Cache-Control"] == "private, no-store"


def test_a_post_to_the_review_page_is_refused_before_the_link_or_the_draft_is_looked_up(client_in, draft, token):
    # A live link and one that does not exist get the same 405, so it tells nothing about the link.
    for target in (token, "x" * 43):
        response = client_in.post(reverse("review:shared-read", args=[target]))
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
        assert response["Cache-Control"] == "private, no-store"
    for draft_id in (draft.pk, draft.pk + 1000):
        assert client_in.post(reverse("review:read", args=[draft_id])).status_code == 405


# -- the owner's entry points ----------------------------------------------------------------


def test_the_owner_review_page_offers_sharing(client_in, draft):
    html = client_in.get(reverse("review:read", args=[draft.pk])).content.decode()
    assert "Share with a reviewer" in html and reverse("review:shares", args=[draft.pk]) in html
    assert reverse("drafts:export", args=[draft.pk, "md"]) in html


def test_the_review_page_is_the_owners_alone(client, draft):
    assert client.get(reverse("review:read", args=[draft.pk])).status_code == 302
    client.force_login(make_user("eve"))
    assert client.get(reverse("review:read", args=[draft.pk])).status_code == 404


# -- no token in any log ---------------------------------------------------------------------


def test_a_404_through_a_share_link_logs_no_token(client, caplog):
    token = "S3cr3t-T0ken_" + "x" * 30
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/s/{token}/history/").status_code == 404
    assert caplog.records, "the 404 is logged"
    assert all(token not in r.getMessage() for r in caplog.records)
    assert any("/s/[redacted]/history/" in r.getMessage() for r in caplog.records)
    assert token not in caplog.text


def test_a_refused_comment_logs_no_token(caplog, token):
    from django.test import Client

    with caplog.at_level(logging.WARNING):
        response = Client(enforce_csrf_checks=True).post(reverse("review:shared-comment", args=[token]), {})
    assert response.status_code == 400
    assert "Bad Request" in caplog.text and token not in caplog.text and "/s/[redacted]/comments/" in caplog.text


def test_the_development_server_log_drops_tokens(caplog):
    logger = logging.getLogger("django.server")
    logger.addHandler(caplog.handler)  # django.server does not propagate
    try:
        logger.info('"%s" %s %s', "GET /s/abcDEF123_-xyz/read/?x=1 HTTP/1.1", "200", "512")
    finally:
        logger.removeHandler(caplog.handler)
    assert "abcDEF123" not in caplog.text and "/s/[redacted]/read/" in caplog.text


def test_redaction_covers_urls_and_request_lines():
    assert redact("https://host.example/s/tok_en-1/export/md/") == "https://host.example/s/[redacted]/export/md/"
    assert redact("GET /s/tok HTTP/1.1") == "GET /s/[redacted] HTTP/1.1"
    assert redact("/drafts/1/shares/") == "/drafts/1/shares/"


def test_the_gunicorn_access_log_drops_tokens():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from licensebuilder.review.redaction import GunicornLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    log = GunicornLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/s/abcDEF123/read/",
        "PATH_INFO": "/s/abcDEF123/read/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
        "HTTP_REFERER": "https://h.example/s/abcDEF123/",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = log.atoms(resp, SimpleNamespace(headers=[]), environ, timedelta(seconds=1))
    assert "abcDEF123" not in repr(atoms) and atoms["r"] == "GET /s/[redacted]/read/ HTTP/1.1"
