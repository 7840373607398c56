"""The dashboard shows a page of drafts at a time, newest first, with each one's open comments."""

import pytest
from django.urls import reverse

from licensebuilder.drafts.models import Draft
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


def test_the_dashboard_pages_a_long_list_of_drafts(client_in, user):
    for n in range(30):
        make_draft(user, title=f"Draft number {n}")
    first = client_in.get(reverse("drafts:dashboard")).content.decode()
    assert first.count('<tr id="draft-') == 25
    newest = Draft.objects.filter(owner=user).order_by("-updated", "-id").first()
    assert f'id="draft-{newest.pk}"' in first
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = client_in.get(reverse("drafts:dashboard") + "?page=2").content.decode()
    assert second.count('<tr id="draft-') == 5
    shown = {line for line in (first + second).split() if line.startswith('id="draft-')}
    assert len(shown) == 30


def test_a_page_past_the_end_shows_the_last_page(client_in, user):
    make_draft(user)
    response = client_in.get(reverse("drafts:dashboard") + "?page=9")
    assert response.status_code == 200 and response.content.decode().count('<tr id="draft-') == 1


def test_a_short_list_has_no_pager(client_in, draft):
    assert "Page 1 of" not in client_in.get(reverse("drafts:dashboard")).content.decode()


def test_relinting_after_a_library_upgrade_is_one_bulk_pass(user, django_assert_max_num_queries):
    for n in range(120):
        make_draft(user, title=f"Draft {n}", lint="clean", lint_library="0.0-old")
    with django_assert_max_num_queries(4):
        assert Draft.objects.relint(batch=500) == 120
    assert not Draft.objects.filter(lint_library="0.0-old").exists()
    # Nothing reorders: checking a draft is not changing it.
    assert Draft.objects.order_by("-updated", "-id").first().title == "Draft 119"


def test_the_relint_command_says_how_many_drafts_it_checked(user):
    from io import StringIO

    from django.core.management import call_command

    make_draft(user, lint_library="0.0-old")
    out = StringIO()
    call_command("license", "relint", stdout=out)
    assert out.getvalue().startswith("1 draft(s) checked against clause library ")
    out = StringIO()
    call_command("license", "relint", stdout=out)
    assert out.getvalue().startswith("0 draft(s)")
