"""The wizard guides rather than scolds: a blank draft's preview follows each answer as soon as it
is valid, autosave reports only the fields someone has typed into, and the Review lists the steps
never opened, whose answers the exports would carry unchecked until the licensor keeps them."""

import re

import pytest
from django.urls import reverse

from licensebuilder.drafts.models import Draft
from tests.factories import make_draft, make_spec, step_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(draft, slug, name="step"):
    return reverse(f"drafts:{name}", args=[draft.pk, slug])


def blank_basics(draft, **typed):
    data = {"license_name": "", "license_version": "1.0", "licensor_name": "", "model_name": "", **typed}
    return {**data, "version": str(draft.version)}


def test_a_blank_drafts_preview_follows_a_name_before_the_step_is_complete(client_in, blank_draft):
    data = blank_basics(blank_draft, license_name="Zephyr Model License")
    html = client_in.post(url(blank_draft, "basics", "preview"), data, **HTMX).content.decode()
    header = re.search(r'<header class="license-header">(.*?)</header>', html, re.S).group(1)
    assert "Zephyr Model License" in header  # the valid answer is shown at once
    assert "[model name]" in header and "[licensor]" in header  # stand-ins for the rest
    assert "The preview follows your answers, except those that need fixing" in html
    assert Draft.objects.get(pk=blank_draft.pk).spec["license"].get("name") in (None, "")  # nothing saved


def test_autosave_reports_only_the_fields_typed_into(client_in, blank_draft):
    data = {**blank_basics(blank_draft, license_name="Zephyr Model License"), "touched": "license_name"}
    html = client_in.post(url(blank_draft, "basics", "autosave"), data, **HTMX).content.decode()
    assert "need fixing" not in html and "error-message" not in html
    assert "Not saved yet: 2 more answers needed on this step." in html
    # Once a field has been typed into and left wrong, it is reported.
    data = {**blank_basics(blank_draft, license_name="Zephyr Model License"), "touched": "license_name model_name"}
    html = client_in.post(url(blank_draft, "basics", "autosave"), data, **HTMX).content.decode()
    assert "Not saved — some answers need fixing" in html
    errors = re.search(r'id="field-model_name-errors"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert "error-message" in errors
    assert "error-message" not in re.search(r'id="field-licensor_name-errors"[^>]*>(.*?)</div>', html, re.S).group(1)


def test_the_review_lists_the_steps_never_opened_until_their_answers_are_kept(client_in, user):
    draft = make_draft(user, make_spec(**{"derivatives.distillation": "prohibited"}), done=["basics"])
    html = client_in.get(url(draft, "review")).content.decode()
    listed = re.findall(r'class="unconfirmed-step" id="unconfirmed-([a-z_]+)"', html)
    assert listed == ["elements", "use", "derivatives", "share_alike", "terms"]
    assert "5 steps you have not opened" in html
    assert "Distillation</dt><dd>prohibited</dd>" in html  # the answer, not the default
    assert 'Weights</dt><dd>included <span class="muted">(the default)</span>' in html
    assert "These exports include answers you have not checked" in html
    assert "No warnings: your answers are consistent" not in html

    response = client_in.post(reverse("drafts:confirm", args=[draft.pk]))
    assert response.status_code == 302
    assert set(Draft.objects.get(pk=draft.pk).done) >= {"elements", "use", "derivatives", "share_alike", "terms"}
    html = client_in.get(url(draft, "review")).content.decode()
    assert 'id="unconfirmed' not in html and "answers you have not checked" not in html
    assert "Kept the answers of Elements, Use, Derivatives, Share-alike, Terms as they are." in html


def test_a_step_saved_is_no_longer_listed(client_in, user):
    draft = make_draft(user, make_spec(), done=["basics"])
    client_in.post(url(draft, "elements"), step_data(draft, "elements"))
    html = client_in.get(url(draft, "review")).content.decode()
    assert 'id="unconfirmed-elements"' not in html and 'id="unconfirmed-use"' in html


def test_keeping_answers_needs_a_post(client_in, draft):
    assert client_in.get(reverse("drafts:confirm", args=[draft.pk])).status_code == 405


def test_another_users_draft_cannot_be_confirmed(client_in, other_user):
    theirs = make_draft(other_user, done=[])
    assert client_in.post(reverse("drafts:confirm", args=[theirs.pk])).status_code == 404
    assert Draft.objects.get(pk=theirs.pk).done == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-3", "A number of days cannot be negative"),
        ("400", "Give at most 365 days."),
        ("soon", "whole number of days"),
    ],
)
def test_days_to_fix_a_breach_are_explained_in_words(client_in, draft, typed, message):
    html = client_in.post(url(draft, "terms"), step_data(draft, "terms", termination_cure_days=typed)).content.decode()
    assert message in html
    assert "Ensure this value" not in html
