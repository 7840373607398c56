"""The drafting wizard in a real browser: a whole journey with JavaScript (htmx, autosave, the live
preview), two tabs editing one draft, and the same journey with JavaScript switched off.

Each journey is long on purpose: starting Chromium pages and signing up cost more than the steps.
Screenshots of every step land in test-output/e2e/<test name>/.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Download, Page, expect

from licensebuilder.drafts.models import Draft
from tests.e2e.support import (
    assert_accessible,
    choose,
    expect_step,
    log_in,
    radio,
    sign_up,
    start_from_preset,
    step_url,
    wait_until_autosaved,
)
from tests.factories import make_user
from tests.helpers import pdf_attachment_json, pdf_text

pytestmark = pytest.mark.browser

BUNDLE_FILES = {"LICENSE.md", "LICENSE.html", "LICENSE.pdf", "license.json", "NOTICE", "model-card.yml"}


def saved_spec(draft_id: int) -> dict:
    return Draft.objects.get(pk=draft_id).spec


def download(page: Page, selector: str) -> tuple[Download, bytes]:
    with page.expect_download() as info:
        page.click(selector)
    return info.value, Path(info.value.path()).read_bytes()


def one_line(text: str) -> str:
    return " ".join(text.split())


def clear_save_status(page: Page) -> None:
    """Forget the last "Saved at" so that the next one is known to come from the next autosave."""
    page.evaluate("document.getElementById('save-status').textContent = ''")


# -- with JavaScript -------------------------------------------------------------------------

LICENSE = "Orchid Open Model License"
LICENSOR = "Orchid Labs GmbH"
MODEL = "Orchid-13B"


def test_a_new_user_drafts_from_a_preset_exports_and_finds_everything_saved(web, shot):
    page = web.page()
    page.goto("/")
    assert_accessible(page, "the home page")
    shot(page, "home")

    sign_up(page, "orchid")
    assert_accessible(page, "the New draft page")
    shot(page, "new-draft")
    draft_id = start_from_preset(page, "foundation-share-alike")

    # Basics: the preset's names are not carried over; the licensor names their own.
    expect_step(page, draft_id, "basics", "Basics")
    expect(page.locator("#field-license_name")).to_have_value("")
    page.fill("#field-license_name", LICENSE)
    page.fill("#field-license_version", "2.0")
    page.fill("#field-licensor_name", LICENSOR)
    page.fill("#field-licensor_contact", "legal@orchid.example")
    page.fill("#field-model_name", MODEL)
    page.fill("#field-model_url", "https://orchid.example/13b")
    # The preview follows the typing.
    expect(page.locator("#preview .license-header")).to_contain_text(LICENSE)
    expect(page.locator("#preview .license-header")).to_contain_text(MODEL)
    assert_accessible(page, "the Basics step")
    shot(page, "basics")
    page.click("#save-next")

    # Elements
    expect_step(page, draft_id, "elements", "Elements")
    expect(radio(page, "training_data", "described")).to_be_checked()  # the preset's choice
    choose(page, "training_data", "withheld")
    choose(page, "reproducibility", "described")
    assert_accessible(page, "the Elements step")
    shot(page, "elements")
    page.click("#save-next")

    # Use
    expect_step(page, draft_id, "use", "Use")
    page.check("#field-sublicensing")
    page.check('#step-form input[name="restrictions"][value="weapons"]')
    page.fill("#field-custom_restrictions", "Ranking job applicants")
    expect(page.locator("#preview")).to_contain_text("Ranking job applicants")
    assert_accessible(page, "the Use step")
    shot(page, "use")
    page.click("#save-next")

    # Derivatives: the preview changes in place, without a page load, and marks the changed clause.
    expect_step(page, draft_id, "derivatives", "Derivatives")
    page.evaluate("window.__marker = 1")
    head = page.locator('#preview [data-clause-id="derivatives.fine_tune_head"]')
    expect(head).not_to_have_class(re.compile(r"\bclause--changed\b"))
    expect(head).not_to_contain_text("trained output layer on its own")
    choose(page, "fine_tune_head", "no_distribution")
    expect(head).to_have_class(re.compile(r"\bclause--changed\b"))
    expect(head).to_contain_text("trained output layer on its own")
    expect(page.locator("#preview .preview-changes-title")).to_have_text("Your last change: 1 clause changed")
    expect(page.locator("#preview .changed-clause-link")).to_have_text(re.compile(r"^5\.\d+ Head-only fine-tunes$"))
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of updated"
    choose(page, "synthetic_data", "share_alike")
    assert_accessible(page, "the Derivatives step")
    shot(page, "derivatives")
    page.click("#save-next")

    # Share-alike (applies: several policies ask for it)
    expect_step(page, draft_id, "share_alike", "Share-alike")
    choose(page, "trigger", "distribution_or_service")
    page.check('#step-form input[name="release"][value="training_code"]')
    trigger = page.locator('#preview [data-clause-id="share_alike.trigger"]')
    expect(trigger).to_have_class(re.compile(r"\bclause--changed\b"))
    assert_accessible(page, "the Share-alike step")
    shot(page, "share-alike")
    page.click("#save-next")
    assert page.evaluate("window.__marker") == 1, "moving between steps reloaded the page"

    # Terms: autosave keeps what was typed without pressing a button; a reload finds it.
    expect_step(page, draft_id, "terms", "Terms")
    clear_save_status(page)
    choose(page, "naming", "prefix_required")
    page.fill("#field-termination_cure_days", "14")
    page.fill("#field-governing_law", "the laws of Ireland")
    wait_until_autosaved(page)
    page.reload()
    expect_step(page, draft_id, "terms", "Terms")
    expect(radio(page, "naming", "prefix_required")).to_be_checked()
    expect(page.locator("#field-termination_cure_days")).to_have_value("14")
    expect(page.locator("#field-governing_law")).to_have_value("the laws of Ireland")
    expect(page.locator("#preview")).to_contain_text("the laws of Ireland")
    assert_accessible(page, "the Terms step")
    shot(page, "terms")
    page.click("#save-next")

    # Review
    expect(page).to_have_url(re.compile(re.escape(step_url(draft_id, "review")) + "$"))
    expect(page.locator("#step-heading")).to_have_text("Review")
    expect(page.locator("#nav-review")).to_have_attribute("aria-current", "step")
    for slug in ("basics", "elements", "use", "derivatives", "share_alike", "terms"):
        expect(page.locator(f"#nav-{slug}")).to_contain_text("(complete)")
    expect(page.locator(".deed")).to_contain_text("You may")
    expect(page.locator("#preview .license-header")).to_contain_text(LICENSE)
    assert_accessible(page, "the Review page")
    shot(page, "review")

    # Reload every step: everything typed and chosen was saved.
    spec = saved_spec(draft_id)
    assert (spec["license"]["name"], spec["license"]["version"]) == (LICENSE, "2.0")
    assert (spec["licensor"]["name"], spec["model"]["name"]) == (LICENSOR, MODEL)
    assert spec["elements"]["training_data"] == "withheld"
    assert spec["elements"]["reproducibility"] == "described"
    assert spec["grants"]["sublicensing"] is True
    assert spec["use"]["restrictions"] == ["weapons", {"text": "Ranking job applicants"}]
    assert spec["derivatives"]["fine_tune_head"] == "no_distribution"
    assert spec["derivatives"]["synthetic_data"] == "share_alike"
    assert spec["share_alike"]["trigger"] == "distribution_or_service"
    assert spec["share_alike"]["release"] == ["weights", "inference_code", "training_code", "prompts"]
    assert spec["terms"]["naming"] == "prefix_required"
    assert spec["terms"]["termination_cure_days"] == 14
    assert spec["terms"]["governing_law"] == "the laws of Ireland"

    page.goto(step_url(draft_id, "basics"))
    for field, value in [("license_name", LICENSE), ("license_version", "2.0"), ("licensor_name", LICENSOR),
                         ("licensor_contact", "legal@orchid.example"), ("model_name", MODEL),
                         ("model_url", "https://orchid.example/13b")]:  # fmt: skip
        expect(page.locator(f"#field-{field}")).to_have_value(value)
    page.goto(step_url(draft_id, "elements"))
    expect(radio(page, "training_data", "withheld")).to_be_checked()
    expect(radio(page, "reproducibility", "described")).to_be_checked()
    page.goto(step_url(draft_id, "use"))
    expect(page.locator("#field-sublicensing")).to_be_checked()
    expect(page.locator('#step-form input[name="restrictions"][value="weapons"]')).to_be_checked()
    expect(page.locator("#field-custom_restrictions")).to_have_value("Ranking job applicants")
    page.goto(step_url(draft_id, "derivatives"))
    expect(radio(page, "fine_tune_head", "no_distribution")).to_be_checked()
    expect(radio(page, "synthetic_data", "share_alike")).to_be_checked()
    page.goto(step_url(draft_id, "share_alike"))
    expect(radio(page, "trigger", "distribution_or_service")).to_be_checked()
    expect(page.locator('#step-form input[name="release"][value="training_code"]')).to_be_checked()
    page.goto(step_url(draft_id, "review"))
    expect(page.locator("#step-heading")).to_have_text("Review")

    # Export the PDF: its text is the license as drafted, with this preset's characteristic clauses.
    pdf_download, pdf = download(page, "#export-pdf-a4")
    assert pdf_download.suggested_filename == "orchid-open-model-license-2.0.pdf"
    assert pdf.startswith(b"%PDF")
    text = one_line(pdf_text(pdf))
    for expected in [
        LICENSE, LICENSOR, MODEL,
        "Foundation and narrow derivatives", "Foundation Derivative", "Narrow Derivative",
        "When share-alike applies", "Releasing the share-alike materials", "Head-only fine-tunes",
        "Use restrictions", "Ranking job applicants", "Governing law", "the laws of Ireland",
    ]:  # fmt: skip
        assert expected in text, f"{expected!r} is not in the PDF's text"
    attached = pdf_attachment_json(pdf)
    assert attached["spec"]["derivatives"]["fine_tune_head"] == "no_distribution"
    assert attached["fingerprint"]["value"] in text.replace(" ", "")

    # Export the release bundle.
    bundle_download, bundle = download(page, "#export-bundle-a4")
    assert bundle_download.suggested_filename == "orchid-open-model-license-2.0-bundle.zip"
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    assert set(archive.namelist()) == BUNDLE_FILES
    license_json = json.loads(archive.read("license.json"))
    markdown = archive.read("LICENSE.md")
    assert license_json["fingerprint"]["value"] == hashlib.sha256(markdown).hexdigest()
    assert license_json["spec"] == spec
    assert markdown.decode().startswith(f"# {LICENSE}\n")
    assert archive.read("LICENSE.pdf").startswith(b"%PDF")
    assert f"Licensed by {LICENSOR} under the {LICENSE} 2.0" in archive.read("NOTICE").decode()
    card = yaml.safe_load(archive.read("model-card.yml"))
    assert card["license_link"] == "LICENSE.md" and card["license_name"].startswith("orchid-open-model-license")

    # The dashboard lists the draft.
    page.get_by_role("link", name="Your drafts").first.click()
    expect(page).to_have_url(re.compile(r"/drafts/$"))
    row = page.locator(f"#draft-{draft_id}")
    expect(row).to_contain_text("Share-alike for foundation models draft")
    expect(row).to_contain_text(MODEL)
    expect(row.locator(".badge")).to_have_text(re.compile(r"warning|problem|No warnings"))
    assert_accessible(page, "the dashboard")
    shot(page, "dashboard")


# -- two tabs --------------------------------------------------------------------------------


NOT_SAVED = "Not saved — this draft was changed in another tab or window."


def conflict_row(page: Page, label: str):
    return page.locator("#conflict tr", has=page.locator("th", has_text=label))


def test_a_second_tab_editing_the_same_draft_is_shown_the_conflict(web, shot):
    make_user("twotabs")
    context = web.context()
    a = context.new_page()
    log_in(a, "twotabs")
    a.goto("/drafts/new/")
    draft_id = start_from_preset(a, "foundation-share-alike")
    a.goto(step_url(draft_id, "derivatives"))
    b = context.new_page()
    b.goto(step_url(draft_id, "derivatives"))
    expect_step(b, draft_id, "derivatives", "Derivatives")

    # Tab A saves a change (autosave).
    a.bring_to_front()  # as a person would; a tab in the background also renders slowly
    clear_save_status(a)
    choose(a, "distillation", "prohibited")
    wait_until_autosaved(a)
    shot(a, "tab-a-saved")

    # Tab B, opened before that, changes something else and saves: it is told, and nothing is lost.
    b.bring_to_front()
    choose(b, "fine_tune_head", "no_distribution")
    b.click("#save-next")
    expect(b.locator("#conflict")).to_be_visible()
    expect(b.locator("#conflict")).to_contain_text("This draft was changed somewhere else")
    expect(b.locator("#conflict")).to_be_focused()
    expect(conflict_row(b, "Distillation").locator(".mine")).to_have_text("share-alike")
    expect(conflict_row(b, "Distillation").locator(".theirs")).to_have_text("prohibited")
    expect(conflict_row(b, "Head-only fine-tune").locator(".mine")).to_have_text("private use only")
    expect(conflict_row(b, "Head-only fine-tune").locator(".theirs")).to_have_text("attribution")
    expect(b.get_by_role("button", name="Keep mine")).to_be_visible()
    expect(b.get_by_role("link", name="Take the saved one")).to_be_visible()
    assert_accessible(b, "the conflict after a submit")
    shot(b, "tab-b-conflict")
    assert saved_spec(draft_id)["derivatives"]["distillation"] == "prohibited"
    assert saved_spec(draft_id)["derivatives"]["fine_tune_head"] == "attribution"
    # Answering on in tab B does not slip past the conflict: the autosave is refused too.
    clear_save_status(b)
    choose(b, "initialization", "attribution")
    expect(b.locator("#save-status")).to_have_text(NOT_SAVED)
    assert saved_spec(draft_id)["derivatives"]["initialization"] == "permitted"

    # "Take the saved one": tab B shows what tab A saved, and B's change is dropped.
    b.get_by_role("link", name="Take the saved one").click()
    expect(b.locator("#conflict")).to_have_count(0)
    expect(radio(b, "distillation", "prohibited")).to_be_checked()
    expect(radio(b, "fine_tune_head", "attribution")).to_be_checked()
    shot(b, "tab-b-took-saved")

    # Again, and this time tab B keeps its own answers.
    a.bring_to_front()
    clear_save_status(a)
    choose(a, "embeddings", "attribution")
    wait_until_autosaved(a)
    b.bring_to_front()
    choose(b, "fine_tune_head", "no_distribution")
    b.click("#save-next")
    expect(conflict_row(b, "Embeddings and parts").locator(".mine")).to_have_text("permitted")
    expect(conflict_row(b, "Embeddings and parts").locator(".theirs")).to_have_text("attribution")
    shot(b, "tab-b-second-conflict")
    b.get_by_role("button", name="Keep mine").click()
    expect(b.locator("#conflict")).to_have_count(0)
    expect(b.locator("#save-status")).to_have_text("Saved.")
    expect_step(b, draft_id, "derivatives", "Derivatives")
    expect(radio(b, "fine_tune_head", "no_distribution")).to_be_checked()
    expect(radio(b, "embeddings", "permitted")).to_be_checked()
    shot(b, "tab-b-kept-mine")
    derivatives = saved_spec(draft_id)["derivatives"]
    assert (derivatives["fine_tune_head"], derivatives["embeddings"], derivatives["distillation"]) == (
        "no_distribution",
        "permitted",
        "prohibited",
    )

    # Tab A is now the stale one: its next autosave is refused, and so is every one after it
    # until A chooses; typing on must not quietly overwrite what B saved.
    a.bring_to_front()
    clear_save_status(a)
    choose(a, "code_changes", "attribution")
    expect(a.locator("#save-status")).to_have_text(NOT_SAVED)
    expect(a.locator("#conflict")).to_be_visible()
    expect(conflict_row(a, "Head-only fine-tune").locator(".theirs")).to_have_text("private use only")
    clear_save_status(a)
    choose(a, "prompts", "attribution")
    expect(a.locator("#save-status")).to_have_text(NOT_SAVED)
    assert_accessible(a, "the conflict after an autosave")
    shot(a, "tab-a-conflict")
    derivatives = saved_spec(draft_id)["derivatives"]
    assert (derivatives["fine_tune_head"], derivatives["code_changes"], derivatives["prompts"]) == (
        "no_distribution",
        "permitted",
        "share_alike_foundation",
    )
    a.get_by_role("link", name="Take the saved one").click()
    expect(a.locator("#conflict")).to_have_count(0)
    expect(radio(a, "fine_tune_head", "no_distribution")).to_be_checked()
    expect(radio(a, "code_changes", "permitted")).to_be_checked()

    # Both tabs agree after a reload.
    for tab in (a, b):
        tab.bring_to_front()
        tab.reload()
        expect(radio(tab, "fine_tune_head", "no_distribution")).to_be_checked()
        expect(radio(tab, "distillation", "prohibited")).to_be_checked()
        expect(radio(tab, "embeddings", "permitted")).to_be_checked()


# -- without JavaScript ----------------------------------------------------------------------

PLAIN_LICENSE = "Plainform Responsible Model License"


def test_the_same_journey_works_without_javascript(web, shot):
    page = web.page(java_script_enabled=False)
    sign_up(page, "plainform")
    shot(page, "new-draft")
    draft_id = start_from_preset(page, "responsible-use")
    expect(page.locator("html")).to_have_class("no-js")

    # Basics
    expect_step(page, draft_id, "basics", "Basics")
    page.fill("#field-license_name", PLAIN_LICENSE)
    page.fill("#field-licensor_name", "Plainform Cooperative")
    page.fill("#field-model_name", "Plain-3B")
    shot(page, "basics")
    page.click("#save-next")

    # Elements
    expect_step(page, draft_id, "elements", "Elements")
    expect(page.locator(".message--success")).to_have_count(0)
    choose(page, "training_code", "included")
    shot(page, "elements")
    page.click("#save-next")

    # Use
    expect_step(page, draft_id, "use", "Use")
    page.uncheck('#step-form input[name="restrictions"][value="spam"]')
    page.fill("#field-custom_restrictions", "Grading school exams")
    shot(page, "use")
    page.click("#save-next")

    # Derivatives: the Preview button shows the change without saving it.
    expect_step(page, draft_id, "derivatives", "Derivatives")
    expect(page.locator("#nav-share_alike")).to_have_count(0)  # no policy asks for share-alike yet
    version = Draft.objects.get(pk=draft_id).version
    choose(page, "distillation", "share_alike")
    page.click("#preview-button")
    expect(page.locator("#preview-notice")).to_contain_text("not saved")
    distillation = page.locator('#preview [data-clause-id="derivatives.distillation"]')
    expect(distillation).to_have_class(re.compile(r"\bclause--changed\b"))
    expect(distillation).to_contain_text("every student, whatever its size")
    expect(radio(page, "distillation", "share_alike")).to_be_checked()
    shot(page, "derivatives-preview")
    draft = Draft.objects.get(pk=draft_id)
    assert draft.version == version and draft.spec["derivatives"]["distillation"] == "attribution"
    page.click("#save-next")

    # Share-alike: now a step, because distillation asks for it.
    expect_step(page, draft_id, "share_alike", "Share-alike")
    choose(page, "trigger", "distribution_or_service")
    shot(page, "share-alike")
    page.click("#save-next")

    # Terms: a mistake is explained at the field and nothing is lost; then it is fixed.
    expect_step(page, draft_id, "terms", "Terms")
    page.fill("#field-termination_cure_days", "999")
    page.fill("#field-governing_law", "the laws of Scotland")
    page.click("#save-next")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("Days to fix a breach"))).to_be_visible()
    expect(page.locator("#field-termination_cure_days-errors")).not_to_be_empty()
    expect(page.locator("#field-governing_law")).to_have_value("the laws of Scotland")  # kept
    shot(page, "terms-error")
    assert Draft.objects.get(pk=draft_id).spec["terms"]["termination_cure_days"] == 30
    page.fill("#field-termination_cure_days", "21")
    shot(page, "terms")
    page.click("#save-next")

    # Review
    expect(page).to_have_url(re.compile(re.escape(step_url(draft_id, "review")) + "$"))
    expect(page.locator("#step-heading")).to_have_text("Review")
    expect(page.locator(".deed")).to_contain_text("You may")
    shot(page, "review")

    # Reload: every answer was saved.
    page.reload()
    expect(page.locator("#preview .license")).to_contain_text("Grading school exams")
    page.goto(step_url(draft_id, "basics"))
    expect(page.locator("#field-license_name")).to_have_value(PLAIN_LICENSE)
    page.goto(step_url(draft_id, "elements"))
    expect(radio(page, "training_code", "included")).to_be_checked()
    page.goto(step_url(draft_id, "use"))
    expect(page.locator('#step-form input[name="restrictions"][value="spam"]')).not_to_be_checked()
    expect(page.locator("#field-custom_restrictions")).to_have_value("Grading school exams")
    page.goto(step_url(draft_id, "derivatives"))
    expect(radio(page, "distillation", "share_alike")).to_be_checked()
    page.goto(step_url(draft_id, "share_alike"))
    expect(radio(page, "trigger", "distribution_or_service")).to_be_checked()
    page.goto(step_url(draft_id, "terms"))
    expect(page.locator("#field-termination_cure_days")).to_have_value("21")
    expect(page.locator("#field-governing_law")).to_have_value("the laws of Scotland")
    spec = saved_spec(draft_id)
    assert spec["derivatives"]["distillation"] == "share_alike"
    assert "spam" not in spec["use"]["restrictions"]
    assert {"text": "Grading school exams"} in spec["use"]["restrictions"]
    assert spec["terms"]["termination_cure_days"] == 21

    # Export Markdown.
    page.goto(step_url(draft_id, "review"))
    md_download, markdown = download(page, "#export-md")
    assert md_download.suggested_filename == "plainform-responsible-model-license-1.0.md"
    text = markdown.decode("utf-8")
    assert text.startswith(f"# {PLAIN_LICENSE}\n")
    for expected in ["Plainform Cooperative", "Plain-3B", "Grading school exams", "When share-alike applies",
                     "Use restrictions", "the laws of Scotland"]:  # fmt: skip
        assert expected in text, f"{expected!r} is not in the Markdown"

    # The dashboard
    page.get_by_role("link", name="Your drafts").first.click()
    expect(page.locator(f"#draft-{draft_id}")).to_contain_text("Plain-3B")
    shot(page, "dashboard")
