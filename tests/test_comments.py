"""Comments on clauses: by the owner and by reviewers, escaped, limited, replied to, resolved."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from licensebuilder.core.complete import complete
from licensebuilder.drafts import outputs
from licensebuilder.drafts.models import Revision
from licensebuilder.review import comments
from licensebuilder.review.models import Comment, ShareLink
from tests.factories import make_draft, make_user

pytestmark = pytest.mark.django_db

_URL = re.compile(r'id="share-url"[^>]*value="http://testserver/s/([A-Za-z0-9_-]+)/"')


def _clauses(draft):
    return outputs.build(complete(draft.spec)).document.clauses()


@pytest.fixture
def clause(draft):
    return _clauses(draft)[0]


@pytest.fixture
def token(client, user, draft):
    """A share link of ``draft``; the client is left signed out, as a reviewer is."""
    client.force_login(user)
    response = client.post(reverse("review:shares", args=[draft.pk]), {"label": "Counsel"})
    client.logout()
    return _URL.search(response.content.decode()).group(1)


def _post(client, token, **data):
    return client.post(reverse("review:shared-comment", args=[token]), data)


def _read(client, token):
    return client.get(reverse("review:shared-read", args=[token])).content.decode()


# -- posting ---------------------------------------------------------------------------------


def test_a_reviewer_comments_on_a_clause(client, token, draft, clause):
    response = _post(client, token, clause_id=clause.id, name="Rae Counsel", body="Is this wide enough?")
    assert response.status_code == 302
    assert response["Location"] == reverse("review:shared-read", args=[token]) + f"#{clause.anchor}"
    comment = Comment.objects.get()
    assert (comment.draft, comment.clause_id, comment.name, comment.body) == (
        draft, clause.id, "Rae Counsel", "Is this wide enough?"
    )  # fmt: skip
    assert comment.link == ShareLink.objects.get() and comment.author is None
    assert comment.revision == Revision.objects.filter(draft=draft).order_by("-number").first()
    html = _read(client, token)
    assert "Is this wide enough?" in html and "Rae Counsel" in html and "Comment posted." in html
    # Beside its own clause: the thread follows the clause's text.
    # In the thread beside its clause, and listed in the comments panel with a link to it.
    assert "Is this wide enough?" in html[html.index(f'id="{clause.anchor}"') :]
    assert f'<a href="#comment-{comment.pk}">{clause.number} {clause.title}</a>' in html


def test_the_reviewer_types_their_name_once(client, token, clause):
    _post(client, token, clause_id=clause.id, name="Rae Counsel", body="First")
    html = _read(client, token)
    assert 'value="Rae Counsel"' in html


def test_the_owner_comments_under_their_username(client_in, user, draft, clause):
    response = client_in.post(
        reverse("review:comment", args=[draft.pk]), {"clause_id": clause.id, "body": "Note to self", "name": "Bob"}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.name == "alice" and comment.author == user and comment.link is None


def test_a_comment_and_a_name_are_escaped(client, token, clause):
    _post(client, token, clause_id=clause.id, name="<script>alert(1)</script>", body="<b>bold</b>\n<img src=x>")
    html = _read(client, token)
    assert "<script>alert(1)</script>" not in html and "<img src=x>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;<br>&lt;img src=x&gt;" in html  # line breaks kept, nothing else


def test_markdown_in_a_comment_stays_plain_text(client, token, clause):
    _post(client, token, clause_id=clause.id, name="Rae", body="**not bold** [link](https://example.com)")
    html = _read(client, token)
    assert "**not bold** [link](https://example.com)" in html and 'href="https://example.com"' not in html


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"body": "x" * 2001}, "body", "at most 2000 characters"),
        ({"body": "   "}, "body", "Write a comment"),
        ({"name": ""}, "name", "Give your name"),
        ({"name": "n" * 81}, "name", "at most 80 characters"),
        ({"body": "a\u202eb"}, "body", "control or bidirectional"),
    ],
)
def test_a_bad_comment_is_refused_with_the_text_kept(client, token, clause, data, field, message):
    posted = {"clause_id": clause.id, "name": "Rae", "body": "Kept text", **data}
    response = _post(client, token, **posted)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert f'id="c-{clause.id}-{field}-error"' in html  # at the field
    assert f'href="#c-{clause.id}-{field}"' in html  # and in the summary
    if posted[field].strip():
        assert posted[field] in html  # what was typed is back in the form
    assert not Comment.objects.exists()
    assert response["Cache-Control"] == "private, no-store"


def test_a_long_comment_is_kept_whole_for_correcting(client, token, clause):
    body = "y" * 2001
    response = _post(client, token, clause_id=clause.id, name="Rae", body=body)
    assert response.status_code == 400 and f">{body}</textarea>" in response.content.decode()


def test_exactly_the_limit_is_accepted(client, token, clause):
    assert _post(client, token, clause_id=clause.id, name="Rae", body="z" * 2000).status_code == 302


@pytest.mark.parametrize("clause_id", ["no.such.clause", "", "<script>", "x" * 101])
def test_a_clause_not_in_the_draft_is_an_error(client, token, clause_id):
    response = _post(client, token, clause_id=clause_id, name="Rae", body="Where does this go?")
    html = response.content.decode()
    assert response.status_code == 400 and "Clause:" in html
    assert "Where does this go?" in html  # kept, to copy
    assert "<script>" not in html.split('id="main"')[1]
    assert not Comment.objects.exists()


def test_a_link_cannot_comment_on_another_draft(client, user, token, draft):
    other = make_draft(user)
    theirs = Comment.objects.create(draft=other, clause_id=_clauses(other)[0].id, name="Owner", body="B's thread")
    response = _post(client, token, clause_id=theirs.clause_id, name="Rae", body="Sneaky", parent=str(theirs.pk))
    assert response.status_code == 400
    assert not Comment.objects.filter(body="Sneaky").exists()
    html = response.content.decode()
    assert "B&#x27;s thread" not in html and "B's thread" not in html
    assert "Reply: The comment you replied to no longer exists." in html and ">Sneaky</textarea>" in html


@pytest.mark.parametrize("parent", ["abc", "-1", "0", "99999999999999999999999", "1.5"])
def test_a_junk_parent_is_an_error_not_a_crash(client, token, clause, parent):
    response = _post(client, token, clause_id=clause.id, name="Rae", body="Reply", parent=parent)
    assert response.status_code == 400 and not Comment.objects.exists()


def test_getting_the_comment_url_goes_to_the_page(client, token):
    response = client.get(reverse("review:shared-comment", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("review:shared-read", args=[token])


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_comment_url_takes_only_get_and_post_refused_before_the_lookup(
    client, client_in, user, token, draft, clause, method
):
    data = f"clause_id={clause.id}&name=Rae&body=Sneaky"
    # A reviewer, through a live link and through one that does not exist: the same private 405.
    for target in (token, "x" * 43):
        response = getattr(client, method)(reverse("review:shared-comment", args=[target]), data)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
        assert response["Cache-Control"] == "private, no-store"
    # The owner, on their draft and on one that does not exist.
    client_in.force_login(user)
    for draft_id in (draft.pk, draft.pk + 1000):
        response = getattr(client_in, method)(reverse("review:comment", args=[draft_id]), data)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
    assert not Comment.objects.exists()


# -- replies and resolving ---------------------------------------------------------------------


def test_replies_join_the_thread(client, client_in, user, token, draft, clause):
    _post(client, token, clause_id=clause.id, name="Rae", body="Question")
    top = Comment.objects.get()
    _post(client, token, clause_id="ignored", name="Rae", body="Follow-up", parent=str(top.pk))
    reply = Comment.objects.get(body="Follow-up")
    assert reply.parent == top and reply.clause_id == clause.id
    # A reply to a reply attaches to the top-level comment.
    client_in.force_login(user)
    client_in.post(
        reverse("review:comment", args=[draft.pk]), {"clause_id": clause.id, "body": "Answer", "parent": reply.pk}
    )
    answer = Comment.objects.get(body="Answer")
    assert answer.parent == top and answer.name == "alice"
    html = client_in.get(reverse("review:read", args=[draft.pk])).content.decode()
    assert html.index("Question") < html.index("Follow-up") < html.index("Answer")
    thread = comments.threads_for(draft)[clause.id]
    assert len(thread) == 1 and [r.body for r in thread[0].thread_replies] == ["Follow-up", "Answer"]


def test_the_owner_resolves_and_reopens(client_in, draft, clause):
    top = Comment.objects.create(draft=draft, clause_id=clause.id, name="Rae", body="Fix this")
    url = reverse("review:comment-resolve", args=[draft.pk, top.pk])
    response = client_in.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("review:read", args=[draft.pk])
    top.refresh_from_db()
    assert top.resolved is not None
    html = client_in.get(reverse("review:read", args=[draft.pk])).content.decode()
    assert "Resolved" in html and "Reopen" in html
    client_in.post(url)
    top.refresh_from_db()
    assert top.resolved is None


def test_resolving_goes_back_only_to_the_drafts_own_pages(client_in, draft, clause):
    top = Comment.objects.create(draft=draft, clause_id=clause.id, name="Rae", body="Fix this")
    url = reverse("review:comment-resolve", args=[draft.pk, top.pk])
    compare = reverse("review:compare", args=[draft.pk])
    assert client_in.post(url, {"next": compare + "#comment-1"})["Location"] == compare + "#comment-1"
    for bad in ("https://evil.example/", "//evil.example/", f"/drafts/{draft.pk}//evil.example"):
        assert client_in.post(url, {"next": bad})["Location"] == reverse("review:read", args=[draft.pk])


def test_replies_cannot_be_resolved(client_in, draft, clause):
    top = Comment.objects.create(draft=draft, clause_id=clause.id, name="Rae", body="Q")
    reply = Comment.objects.create(draft=draft, clause_id=clause.id, name="Rae", body="R", parent=top)
    assert client_in.post(reverse("review:comment-resolve", args=[draft.pk, reply.pk])).status_code == 404


def test_another_user_cannot_resolve(client, draft, clause):
    top = Comment.objects.create(draft=draft, clause_id=clause.id, name="Rae", body="Q")
    mallory = make_user("mallory")
    mine = make_draft(mallory)
    client.force_login(mallory)
    assert client.post(reverse("review:comment-resolve", args=[draft.pk, top.pk])).status_code == 404
    assert client.post(reverse("review:comment-resolve", args=[mine.pk, top.pk])).status_code == 404
    top.refresh_from_db()
    assert top.resolved is None


def test_a_reviewer_sees_no_resolve_button(client, token, clause):
    _post(client, token, clause_id=clause.id, name="Rae", body="Q")
    html = _read(client, token)
    assert "Mark resolved" not in html and "comment-resolve" not in html


# -- the rate limit --------------------------------------------------------------------------


def test_comments_are_rate_limited_per_link(client, user, token, draft, clause):
    for n in range(10):
        assert _post(client, token, clause_id=clause.id, name="Rae", body=f"Comment {n}").status_code == 302
    response = _post(client, token, clause_id=clause.id, name="Rae", body="One too many")
    html = response.content.decode()
    assert response.status_code == 429 and "10 comments a minute" in html
    assert "One too many" in html and Comment.objects.count() == 10
    # Another link to the same draft has its own allowance.
    client.force_login(user)
    page = client.post(reverse("review:shares", args=[draft.pk]), {"label": "Second"}).content.decode()
    client.logout()
    second = _URL.search(page).group(1)
    assert _post(client, second, clause_id=clause.id, name="Sam", body="Mine").status_code == 302
    # A minute later the first link may comment again.
    later = timezone.now() + timedelta(seconds=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert _post(client, token, clause_id=clause.id, name="Rae", body="Later").status_code == 302


def test_the_daily_limit_holds_too(client, token, draft, clause):
    link = ShareLink.objects.get()
    start = timezone.now() - timedelta(hours=20)
    Comment.objects.bulk_create(
        Comment(
            draft=draft, clause_id=clause.id, name="Rae", body="old", link=link, created=start + timedelta(minutes=n)
        )
        for n in range(200)
    )
    response = _post(client, token, clause_id=clause.id, name="Rae", body="Still here")
    assert response.status_code == 429 and "200 comments a day" in response.content.decode()


# -- where comments show ---------------------------------------------------------------------


def test_the_dashboard_counts_open_comments(client_in, user, draft, clause):
    quiet = make_draft(user, title="Quiet draft")
    top = Comment.objects.create(draft=draft, clause_id=clause.id, name="Rae", body="Q1")
    Comment.objects.create(draft=draft, clause_id=clause.id, name="Rae", body="Q2")
    Comment.objects.create(draft=draft, clause_id=clause.id, name="Rae", body="Q3", resolved=timezone.now())
    Comment.objects.create(draft=draft, clause_id=clause.id, name="Rae", body="reply", parent=top)
    html = client_in.get(reverse("drafts:dashboard")).content.decode()
    row = html.split(f'id="draft-{draft.pk}"')[1].split("</tr>")[0]
    assert "2 open comments" in row and reverse("review:read", args=[draft.pk]) in row
    quiet_row = html.split(f'id="draft-{quiet.pk}"')[1].split("</tr>")[0]
    assert "No open comments" in quiet_row
    assert comments.unresolved_count(draft) == 2


def test_the_dashboard_counts_in_one_query(client_in, user, django_assert_max_num_queries):
    for n in range(5):
        d = make_draft(user, title=f"Draft {n}")
        Comment.objects.create(draft=d, clause_id="x", name="Rae", body="Q")
    client_in.get(reverse("drafts:dashboard"))  # settles lint caches
    with django_assert_max_num_queries(6):
        client_in.get(reverse("drafts:dashboard"))


def test_comments_on_clauses_that_left_the_text_still_show(client_in, draft):
    Comment.objects.create(draft=draft, clause_id="gone.clause", name="Rae", body="About old wording")
    html = client_in.get(reverse("review:read", args=[draft.pk])).content.decode()
    assert "no longer in the text" in html and "About old wording" in html


def test_the_thread_partial_renders_for_other_pages(rf, draft, clause):
    from django.template.loader import render_to_string

    from licensebuilder.review.access import Access

    Comment.objects.create(draft=draft, clause_id=clause.id, name="<i>Rae</i>", body="Line one\nLine two")
    context = {"threads": comments.threads_for(draft), "clause_id": clause.id, "access": Access(draft)}
    html = render_to_string("review/_thread.html", context, request=rf.get("/"))
    assert "Line one<br>Line two" in html and "&lt;i&gt;Rae&lt;/i&gt;" in html
    assert "<textarea" not in html  # no forms unless the page asks for them


# -- what a browser sends --------------------------------------------------------------------


def test_a_reviewer_can_comment_from_a_page_that_sends_no_referrer(token, draft, clause):
    """A share page's policy is "no-referrer", so the browser posts its forms with "Origin: null";
    the comment must still go through, with the CSRF checks a browser meets switched on."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("review:shared-read", args=[token]))
    assert page["Referrer-Policy"] == "no-referrer"
    response = browser.post(
        reverse("review:shared-comment", args=[token]),
        {"clause_id": clause.id, "name": "Rae", "body": "Fine by me."},
        HTTP_ORIGIN="null",
        secure=True,
    )
    assert response.status_code == 302
    assert Comment.objects.filter(draft=draft, body="Fine by me.").exists()


def test_the_owner_share_page_keeps_its_forms_working_and_out_of_caches(user, draft):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    page = browser.get(reverse("review:shares", args=[draft.pk]))
    assert page["Cache-Control"] == "private, no-store" and page["Referrer-Policy"] == "same-origin"
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = browser.post(
        reverse("review:shares", args=[draft.pk]),
        {"label": "Counsel", "csrfmiddlewaretoken": csrf},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 200 and 'id="share-url"' in response.content.decode()
    # The owner's own edits still need the CSRF token: only the reviewer's comment is exempt.
    refused = browser.post(reverse("review:shares", args=[draft.pk]), {"label": "Forged"}, HTTP_ORIGIN="null")
    assert refused.status_code == 403
