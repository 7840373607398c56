"""Starting a draft before signing up: kept in the session, made a real draft at sign-up."""

import re

import pytest

from licensebuilder.drafts.models import Draft
from licensebuilder.publish.trial import MAX_TRIAL_DRAFTS, SESSION_KEY
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _start(client, slug):
    return client.post(f"/try/{slug}/start/", follow=True)


def test_a_visitor_starts_a_draft_and_signing_up_keeps_it(client, mailoutbox):
    page = _start(client, "foundation-share-alike").content.decode()
    assert "Started a draft from “Share-alike for foundation models”" in page
    assert "Share-alike for foundation models draft" in page and 'href="/accounts/signup/"' in page
    data = {"username": "wren", "email": "wren@example.org", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/signup/", data).status_code == 200
    # The account is made when the emailed link is followed, in the same browser.
    link = re.findall(r"https?://\S+", mailoutbox[-1].body)[-1]
    response = client.post(link, follow=True)
    assert response.status_code == 200
    draft = Draft.objects.get(owner__username="wren")
    assert draft.title == "Share-alike for foundation models draft"
    assert draft.spec["derivatives"]["distillation"] == "share_alike"
    # The preset's example names are not the licensor's: they are left to fill in.
    assert not draft.license_name and not draft.model_name
    assert "Kept the draft you started: Share-alike for foundation models draft." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_logging_in_keeps_them_too(client):
    make_user("finch")
    _start(client, "permissive")
    _start(client, "strong-copyleft")
    client.post("/accounts/login/", {"username": "finch", "password": PASSWORD})
    assert sorted(Draft.objects.filter(owner__username="finch").values_list("title", flat=True)) == [
        "Permissive draft",
        "Strong copyleft draft",
    ]


def test_the_session_holds_only_a_few_drafts(client):
    for _ in range(MAX_TRIAL_DRAFTS):
        _start(client, "permissive")
    page = _start(client, "permissive").content.decode()
    assert f"This browser already holds {MAX_TRIAL_DRAFTS} drafts" in page
    assert len(client.session[SESSION_KEY]) == MAX_TRIAL_DRAFTS
    # Only a preset's slug and a title are kept: a visitor cannot grow the session.
    assert all(set(entry) == {"preset", "title"} for entry in client.session[SESSION_KEY])


def test_a_signed_in_user_gets_the_draft_at_once(client_in, user):
    response = client_in.post("/try/responsible-use/start/")
    draft = Draft.objects.get(owner=user)
    assert response["Location"] == f"/drafts/{draft.pk}/steps/basics/"
    assert draft.spec["use"]["restrictions"]


def test_an_unknown_preset_or_a_get_starts_nothing(client):
    assert client.post("/try/nothing/start/").status_code == 404
    assert client.get("/try/permissive/start/").status_code == 405
    assert SESSION_KEY not in client.session
