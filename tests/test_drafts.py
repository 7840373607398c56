"""The dashboard, new drafts (blank, preset, import), rename, duplicate and delete."""

import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from licensebuilder.core import spec as specs
from licensebuilder.core.exports import build
from licensebuilder.core.presets import presets
from licensebuilder.drafts.models import Draft
from tests.factories import MINIMAL, make_draft, make_spec
from tests.helpers import run_license

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_only_my_drafts(client_in, user, other_user):
    make_draft(user, make_spec(**{"model.name": "Mine-7B"}), title="My draft")
    make_draft(other_user, title="Their secret draft")
    html = client_in.get(reverse("drafts:dashboard")).content.decode()
    assert "My draft" in html and "Mine-7B" in html
    assert "Their secret draft" not in html


def test_the_dashboard_shows_lint_status(client_in, user):
    spec = make_spec(**{"derivatives.fine_tune_full": "share_alike", "derivatives.distillation": "permitted"})
    draft = Draft.objects.start(user, spec=spec)
    # "errors" while the clause library is still incomplete; "warnings" once it defines every term.
    assert draft.lint in ("warnings", "errors") and draft.lint_count >= 1
    html = client_in.get(reverse("drafts:dashboard")).content.decode()
    assert f"badge--{draft.lint}" in html


def test_the_dashboard_shows_the_status_of_a_draft_checked_before_but_writes_nothing(client_in, user):
    spec = make_spec(**{"derivatives.fine_tune_full": "share_alike", "derivatives.distillation": "permitted"})
    draft = make_draft(user, spec, lint="clean", lint_count=0, lint_library="an older library")
    before = Draft.objects.values().get(pk=draft.pk)
    html = client_in.get(reverse("drafts:dashboard")).content.decode()
    assert "badge--clean" not in html and ("badge--warnings" in html or "badge--errors" in html)
    assert Draft.objects.values().get(pk=draft.pk) == before


def test_relinting_stores_the_status_of_drafts_checked_with_another_library(user):
    spec = make_spec(**{"derivatives.fine_tune_full": "share_alike", "derivatives.distillation": "permitted"})
    stale = make_draft(user, spec, lint="clean", lint_count=0, lint_library="an older library")
    fresh = Draft.objects.start(user, spec=make_spec())
    assert run_license("relint").stdout.startswith("1 draft(s) checked against clause library ")
    stale.refresh_from_db()
    assert stale.lint in ("warnings", "errors") and stale.lint_count >= 1
    assert stale.lint_library == fresh.lint_library != "an older library"


def test_an_empty_dashboard_offers_a_start(client_in):
    assert reverse("drafts:new") in client_in.get(reverse("drafts:dashboard")).content.decode()


def test_new_page_offers_blank_presets_and_import(client_in):
    html = client_in.get(reverse("drafts:new")).content.decode()
    assert 'id="start-blank"' in html
    for slug, preset in presets().items():
        assert f'id="preset-{slug}"' in html and preset.title in html
    assert 'enctype="multipart/form-data"' in html


def test_a_blank_draft_starts_at_basics(client_in, user):
    response = client_in.post(reverse("drafts:new"))
    draft = Draft.objects.get(owner=user)
    assert response["Location"] == reverse("drafts:step", args=[draft.pk, "basics"])
    assert draft.spec == specs.defaults()
    assert draft.title == "Untitled draft" and draft.version == 1


def test_a_preset_draft_takes_the_presets_choices_but_not_its_names(client_in, user):
    slug, preset = next(iter(presets().items()))
    client_in.post(reverse("drafts:new"), {"preset": slug})
    draft = Draft.objects.get(owner=user)
    assert draft.spec["derivatives"] == preset.spec["derivatives"]
    assert draft.spec["elements"] == preset.spec["elements"]
    assert not draft.spec["licensor"].get("name")
    assert preset.title in draft.title


def test_an_unknown_preset_is_refused(client_in, user):
    response = client_in.post(reverse("drafts:new"), {"preset": "nope"})
    assert response.status_code == 400
    assert not Draft.objects.filter(owner=user).exists()


def upload(content: bytes | str, name: str):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_import_accepts_a_json_spec(client_in, user):
    response = client_in.post(reverse("drafts:import"), {"file": upload(json.dumps(MINIMAL), "spec.json")})
    draft = Draft.objects.get(owner=user)
    assert response["Location"] == reverse("drafts:step", args=[draft.pk, "review"])
    assert draft.spec == specs.validate(MINIMAL)
    assert draft.title == "Acme Open Model License"
    assert "basics" in draft.done and "terms" in draft.done


def test_import_accepts_yaml(client_in, user):
    client_in.post(reverse("drafts:import"), {"file": upload(yaml.safe_dump(MINIMAL), "spec.yaml")})
    assert Draft.objects.get(owner=user).spec["model"]["name"] == "Acme-7B"


def test_import_accepts_an_exported_license_json(client_in, user):
    exported = build(make_spec(**{"derivatives.distillation": "prohibited"})).json
    client_in.post(reverse("drafts:import"), {"file": upload(exported, "license.json")})
    assert Draft.objects.get(owner=user).spec["derivatives"]["distillation"] == "prohibited"


def test_import_reports_every_problem_by_field(client_in, user):
    bad = {**MINIMAL, "derivatives": {"distillation": "maybe", "fine_tune_ful": "permitted"},
           "licensor": {"name": "", "contact": "nobody"}}  # fmt: skip
    response = client_in.post(reverse("drafts:import"), {"file": upload(json.dumps(bad), "spec.json")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "derivatives.distillation" in html and "&#x27;maybe&#x27; is not one of" in html
    assert "derivatives.fine_tune_ful" in html and "did you mean" in html
    assert "licensor.name" in html and "must not be empty" in html
    assert "licensor.contact" in html
    assert "Distillation" in html  # the field named in words
    assert not Draft.objects.filter(owner=user).exists()


def test_import_names_an_unknown_top_level_key_once(client_in, user):
    spec = json.dumps({**MINIMAL, "name": "x"})
    response = client_in.post(reverse("drafts:import"), {"file": upload(spec, "s.json")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<li><code>name</code>: is not a known key" in html
    assert "name</strong>" not in html  # not "name name: is not a known key"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("{not json", "spec.json", "is not valid JSON"),
        ("license: [unclosed", "spec.yaml", "is not valid YAML"),
        (b"\xff\xfe\x00bad", "spec.yaml", "is not UTF-8 text"),
        ("- just\n- a list\n", "spec.yaml", "must be a mapping"),
    ],
)
def test_import_reports_unreadable_files(client_in, user, content, name, message):
    response = client_in.post(reverse("drafts:import"), {"file": upload(content, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Draft.objects.filter(owner=user).exists()


KEY_HEADER = "license: {name: L}\nlicensor: {name: Acme}\n"


@pytest.mark.parametrize(
    ("content", "path", "message"),
    [
        (KEY_HEADER + "model: {name: M, 1: x}\n", "model", "key 1 is not text"),
        (KEY_HEADER + "model: {name: M}\nderivatives: {true: permitted}\n", "derivatives", "key true is not text"),
        (KEY_HEADER + "model: {name: M}\n1: x\n", "spec", "key 1 is not text"),
        (KEY_HEADER + "model: {name: M}\nuse: {restrictions: [{2: x}]}\n", "use.restrictions[0]", "key 2 is not text"),
    ],
)
def test_import_names_the_field_of_a_key_that_is_not_text(client_in, user, content, path, message):
    response = client_in.post(reverse("drafts:import"), {"file": upload(content, "spec.yaml")})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"<code>{path}</code>): {message}" in html or f"<code>{path}</code>: {message}" in html
    assert "Traceback" not in html
    assert not Draft.objects.filter(owner=user).exists()


def test_import_shows_a_key_with_control_characters_escaped(client_in, user):
    spec = json.dumps({**MINIMAL, "mo\u0000del\u001b[31m": 1})
    response = client_in.post(reverse("drafts:import"), {"file": upload(spec, "spec.json")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a known key" in html
    assert "\x00" not in html and "\x1b" not in html


def test_import_refuses_a_file_over_the_size_limit(client_in, user):
    big = json.dumps({**MINIMAL, "padding": "x" * (specs.MAX_SPEC_BYTES + 10)})
    response = client_in.post(reverse("drafts:import"), {"file": upload(big, "spec.json")})
    assert response.status_code == 400
    assert "the limit is 256 KiB" in response.content.decode()


def test_import_without_a_file_says_so(client_in):
    response = client_in.post(reverse("drafts:import"), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_rename(client_in, draft):
    assert client_in.get(reverse("drafts:rename", args=[draft.pk])).status_code == 200
    response = client_in.post(reverse("drafts:rename", args=[draft.pk]), {"title": "  For legal review  "})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "For legal review"


def test_rename_refuses_an_empty_title(client_in, draft):
    response = client_in.post(reverse("drafts:rename", args=[draft.pk]), {"title": "   "})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()


def test_duplicate(client_in, user, draft):
    response = client_in.post(reverse("drafts:duplicate", args=[draft.pk]))
    assert response.status_code == 302
    copy = Draft.objects.exclude(pk=draft.pk).get(owner=user)
    assert copy.spec == draft.spec and copy.title == f"Copy of {draft.title}" and copy.version == 1


def test_duplicate_needs_a_post(client_in, draft):
    assert client_in.get(reverse("drafts:duplicate", args=[draft.pk])).status_code == 405


def test_delete_asks_first(client_in, draft):
    html = client_in.get(reverse("drafts:delete", args=[draft.pk])).content.decode()
    assert "Delete this draft" in html
    assert Draft.objects.filter(pk=draft.pk).exists()
    response = client_in.post(reverse("drafts:delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_htmx_actions_redirect_the_client(client_in, draft):
    response = client_in.post(reverse("drafts:duplicate", args=[draft.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("drafts:dashboard")


def test_the_admin_shows_drafts_read_only(client, draft, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-enough-passphrase-42")
    client.force_login(admin)
    assert client.get(reverse("admin:drafts_draft_changelist")).status_code == 200
    html = client.get(reverse("admin:drafts_draft_change", args=[draft.pk])).content.decode()
    assert "Acme-7B" in html
    assert 'name="_save"' not in html
    assert client.get(reverse("admin:drafts_draft_add")).status_code == 403
    assert client.post(reverse("admin:drafts_draft_delete", args=[draft.pk]), {"post": "yes"}).status_code == 403


def test_one_title_rule_for_saving_and_restoring(user):
    unnamed = make_spec()
    del unnamed["license"]["name"]
    draft = Draft.objects.start(user, spec=unnamed)
    assert draft.title == "Untitled draft"
    first = draft.revisions.get()
    named = make_spec(**{"license.name": "Beta License"})
    saved = draft.save_answers(named, editor="tab-one-x", based_on_version=draft.version)
    assert not saved.conflict and saved.draft.title == "Beta License"  # the title follows the name
    saved.draft.restore(first, user)
    saved.draft.refresh_from_db()
    assert saved.draft.title == "Beta License"  # no name to follow: the title stays
    Draft.objects.filter(pk=draft.pk).update(title="My own title")
    draft.refresh_from_db()
    draft.save_answers(
        make_spec(**{"license.name": "Gamma License"}), editor="tab-one-x", based_on_version=draft.version
    )
    draft.refresh_from_db()
    assert draft.title == "My own title"  # a title the licensor chose stays
    restored = draft.restore(draft.revisions.get(number=2), user)
    draft.refresh_from_db()
    assert draft.title == "My own title" and draft.spec["license"]["name"] == "Beta License"
    assert restored.kind == "restore" and restored.summary == "Restored revision 2"


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize("name", ["drafts:new", "drafts:import"])
def test_starting_and_importing_take_only_get_and_post(client_in, user, name, method):
    response = getattr(client_in, method)(reverse(name))
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
    assert not Draft.objects.filter(owner=user).exists()


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize("name", ["drafts:rename", "drafts:delete"])
def test_rename_and_delete_take_only_get_and_post_refused_before_the_draft_is_looked_up(client_in, draft, name, method):
    for draft_id in (draft.pk, draft.pk + 1000):  # the user's draft, and one that does not exist
        response = getattr(client_in, method)(reverse(name, args=[draft_id]), "title=Gone")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
    draft.refresh_from_db()
    assert draft.title == "Acme Open Model License"


def test_rename_is_the_drafts_own(draft):
    draft.rename("  For   legal review ")
    assert draft.title == "For legal review"
    draft.refresh_from_db()
    assert draft.title == "For legal review" and draft.version == 1 and draft.revisions.count() == 0


def test_a_renamed_draft_keeps_its_title_when_the_license_is_renamed(draft):
    draft.rename("For legal review")
    saved = draft.save_answers(make_spec(**{"license.name": "Other License"}), editor="tab", based_on_version=1)
    assert saved.draft.title == "For legal review"


def test_an_empty_title_is_the_license_name_again_and_follows_it(draft):
    draft.rename("   ")
    assert draft.title == "Acme Open Model License"
    saved = draft.save_answers(make_spec(**{"license.name": "Other License"}), editor="tab", based_on_version=1)
    assert saved.draft.title == "Other License"
