"""A draft with a long history: the compare page offers the newest revisions and the ones chosen,
so it costs the same however many revisions there are; older ones stay reachable."""

import pytest
from django.urls import reverse

from licensebuilder.drafts.models import Revision
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_draft(user):
    draft = make_draft(user)
    first = draft.record_revision(user, "created")
    fields = {f.attname: getattr(first, f.attname) for f in Revision._meta.concrete_fields if not f.primary_key}
    Revision.objects.bulk_create([Revision(**{**fields, "number": n, "name": f"Step {n}"}) for n in range(2, 41)])
    return draft


def test_the_compare_selects_offer_the_newest_twelve_revisions(client_in, long_draft):
    page = client_in.get(reverse("review:compare", args=[long_draft.pk])).content.decode()
    assert 'value="rev-40"' in page and 'value="rev-29"' in page
    assert 'value="rev-28"' not in page and 'value="rev-1"' not in page


def test_an_older_revision_chosen_from_history_is_offered_and_compared(client_in, long_draft):
    url = reverse("review:compare", args=[long_draft.pk]) + "?a=rev-3&b=rev-40"
    response = client_in.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<option value="rev-3" selected>' in page
    assert 'value="rev-4"' not in page


def test_the_history_lists_every_revision_across_its_pages(client_in, long_draft):
    page = client_in.get(reverse("review:history", args=[long_draft.pk])).content.decode()
    assert 'id="revision-40"' in page and 'id="revision-1"' in page


def _grow(draft, upto):
    first = draft.revisions.get(number=1)
    fields = {f.attname: getattr(first, f.attname) for f in Revision._meta.concrete_fields if not f.primary_key}
    have = draft.revisions.count()
    Revision.objects.bulk_create([Revision(**{**fields, "number": n}) for n in range(have + 1, upto + 1)])


def test_a_history_page_reads_the_same_rows_however_long_the_history(client_in, long_draft):
    """A page reads its own rows, not every revision's number nor any revision's text."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("review:history", args=[long_draft.pk])
    _grow(long_draft, 60)
    client_in.get(url)  # the session and the library's version, read once
    with CaptureQueriesContext(connection) as short:
        first_page = client_in.get(url).content.decode()
    _grow(long_draft, 600)
    with CaptureQueriesContext(connection) as long:
        newest = client_in.get(url).content.decode()
    assert len(long.captured_queries) == len(short.captured_queries)
    for query in long.captured_queries:
        sql = query["sql"].lower()
        if "review_revision" in sql:
            assert '"document"' not in sql.split(" from ")[0], sql[:200]
            assert "limit" in sql or "count(" in sql, f"reads every revision: {sql[:200]}"
    # The last row of a page still compares with the revision on the next page.
    assert "a=rev-10&amp;b=rev-11" in first_page
    assert 'id="revision-551"' in newest and "a=rev-550&amp;b=rev-551" in newest
    second = client_in.get(url + "?page=2").content.decode()
    assert 'id="revision-550"' in second and "a=rev-500&amp;b=rev-501" in second


def test_saving_answers_reads_no_revision_text_nor_the_owner_again(client_in, long_draft):
    """An autosave writes the new revision's text; it decides whether to fold it into the open
    one from the revisions' answers alone, and knows whose draft it is from the draft it read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import step_data

    url = reverse("drafts:autosave", args=[long_draft.pk, "terms"])
    with CaptureQueriesContext(connection) as queries:
        response = client_in.post(
            url, step_data(long_draft, "terms", termination_cure_days="45"), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert long_draft.revisions.order_by("-number").first().spec["terms"]["termination_cure_days"] == 45
    selects = [q["sql"].lower() for q in queries.captured_queries if q["sql"].lower().startswith("select")]
    for sql in selects:
        if "review_revision" in sql:
            assert '"document"' not in sql.split(" from ")[0], sql[:200]
            assert '"markdown"' not in sql.split(" from ")[0], sql[:200]
    assert sum('from "auth_user"' in sql for sql in selects) == 1, "the owner read again"
