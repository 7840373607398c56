"""Review pages only read: opening History, a revision, Compare, the review page, a download or any
page through a share link writes nothing to the database. A draft's first revision is recorded when
it is started, and a share link's last use is kept in the shared cache, not in its row.

Every URL of the review app is asked for with GET, as the owner or through a share link, with every
format it offers, and the SQL it ran is read: no INSERT, UPDATE or DELETE. A PDF laid out by the
request itself, the first download of it, is kept in the PDF cache, not in the database. The one
exception is the session of a signed-in owner, whose expiry moves forward at most once a minute
while it is used (the idle timeout): that is the visit's, not the page's, and it is left out.
"""

import re
import secrets

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse

from licensebuilder.core.presets import presets
from licensebuilder.drafts import renders
from licensebuilder.drafts.models import Draft, PdfCache
from licensebuilder.drafts.outputs import EXPORTS
from licensebuilder.review import compare, history
from licensebuilder.review.access import token_hash
from licensebuilder.review.models import Comment, ShareLink
from licensebuilder.review.urls import urlpatterns
from tests.factories import make_draft, make_spec

pytestmark = pytest.mark.django_db

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

# The formats each download route offers; the PDF ones are rendered once before they are read.
_FORMATS = {
    "revision-export": history._FORMATS,
    "compare-export": tuple(compare.EXPORTS),
    "export": tuple(EXPORTS),
}
_POST_ONLY = {"share-revoke", "comment-resolve"}  # 405 to a GET
_REDIRECTS = {"revision-name", "comment"}  # a GET goes back to the page the form is on


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if _WRITE.match(q["sql"]) and "django_session" not in q["sql"]]


@pytest.fixture
def reviewed(user):
    """A draft started and saved through its write path (two revisions), with a share link and a
    comment: (draft, token, comment)."""
    draft = Draft.objects.start(user, spec=make_spec(), summary="Started from scratch")
    saved = draft.save_answers(
        make_spec(**{"derivatives.distillation": "prohibited"}), editor="tab-one", based_on_version=draft.version
    )
    assert not saved.conflict
    token = secrets.token_urlsafe(32)
    ShareLink.objects.create(draft=draft, label="Outside counsel", token_hash=token_hash(token))
    comment = Comment.objects.create(draft=draft, clause_id="grant.license", name="Ann", body="Why this?")
    return saved.draft, token, comment


def _urls(draft, token, comment) -> list[tuple[str, str, str]]:
    """(URL, pattern name, format) for every review URL, each argument filled in every way it takes."""
    slug = next(iter(presets()))
    queries = ["", "?a=rev-1&b=current&view=side", f"?a=preset-{slug}&b=rev-2"]
    out = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = str(pattern.name)
        shared = name.startswith("shared-")
        base = name.removeprefix("shared-")
        params = set(pattern.pattern.converters)
        kinds = [{}]
        if "number" in params:
            kinds = [{**k, "number": n} for k in kinds for n in (1, 2)]
        if "fmt" in params:
            kinds = [{**k, "fmt": f} for k in kinds for f in _FORMATS[base]]
        for kwargs in kinds:
            if "link_id" in params:
                kwargs["link_id"] = draft.share_links.get().pk
            if "comment_id" in params:
                kwargs["comment_id"] = comment.pk
            owner_or_token = {"token": token} if shared else {"draft_id": draft.pk}
            url = reverse(f"review:{name}", kwargs={**owner_or_token, **kwargs})
            for query in queries if base == "compare" else [""]:
                out.append((url + query, name, kwargs.get("fmt", "")))
    return out


def test_a_draft_has_its_first_revision_from_the_moment_it_is_started(user):
    draft = Draft.objects.start(user, spec=make_spec())
    first = draft.revisions.get()
    assert (first.number, first.kind, first.spec) == (1, "created", draft.spec)


def test_no_review_page_writes_to_the_database(client_in, reviewed):
    draft, token, comment = reviewed
    urls = _urls(draft, token, comment)
    names = {name for _url, name, _fmt in urls}
    # Every page of the review app is asked for, the owner's and the reviewer's.
    assert {"history", "shared-history", "revision", "compare", "shared-compare", "read", "shared-home"} <= names
    assert names == {str(p.name) for p in urlpatterns}
    reviewer = Client()
    for url, name, fmt in urls:
        visitor = reviewer if name.startswith("shared-") else client_in
        if fmt in ("pdf", "bundle"):
            caches[renders.PDFS].clear()  # the PDF is laid out by this very request
        with CaptureQueriesContext(connection) as queries:
            response = visitor.get(url)
        base = name.removeprefix("shared-")
        expected = 405 if base in _POST_ONLY else 302 if base in _REDIRECTS else 200
        assert response.status_code == expected, (url, response.status_code)
        assert _writes(queries.captured_queries) == [], url
    # What the pages show is still there, unchanged.
    assert list(draft.revisions.values_list("number", flat=True)) == [2, 1]
    assert Comment.objects.get().resolved is None and ShareLink.objects.get().revoked is None
    assert not PdfCache.objects.exists()


def test_no_download_writes_to_the_database_and_a_pdf_is_laid_out_once(client_in, reviewed, pdf_layouts):
    """Every export of the owner's, every format: the first PDF laid out in the request is kept in
    the PDF cache, not in the database, and the next download of it is served from there."""
    draft, _token, _comment = reviewed
    calls = pdf_layouts
    for fmt in EXPORTS:
        url = reverse("drafts:export", args=[draft.pk, fmt])
        caches[renders.PDFS].clear()
        with CaptureQueriesContext(connection) as queries:
            first = client_in.get(url)
            second = client_in.get(url)
        assert first.status_code == second.status_code == 200, fmt
        assert first.content == second.content, fmt
        assert _writes(queries.captured_queries) == [], fmt
        assert len(calls) == (fmt in ("pdf", "bundle")), fmt  # laid out by the first download alone
        calls.clear()
    assert not PdfCache.objects.exists()


def test_history_and_compare_of_a_draft_without_revisions_show_it_without_recording_one(client_in, user):
    # A draft whose answers could not be worded when it was started has no revision yet.
    draft = make_draft(user)
    for name in ("history", "compare", "upgrade", "read"):
        with CaptureQueriesContext(connection) as queries:
            response = client_in.get(reverse(f"review:{name}", args=[draft.pk]))
        assert response.status_code == 200, name
        assert _writes(queries.captured_queries) == [], name
    assert not draft.revisions.exists()
    assert "Nothing differs" in client_in.get(reverse("review:compare", args=[draft.pk])).content.decode()


def test_the_owner_sees_when_a_share_link_was_last_used(client_in, reviewed):
    draft, token, _comment = reviewed
    shares = reverse("review:shares", args=[draft.pk])
    assert re.search(r'data-label="Last used">none recorded<', client_in.get(shares).content.decode())
    assert Client().get(reverse("review:shared-home", args=[token])).status_code == 200
    page = client_in.get(shares).content.decode()
    assert re.search(r'data-label="Last used"><time datetime="[0-9T:.+-]+">', page)
    assert "none recorded" not in page
