"""Publishing and the licensee's side, in the browser: an owner publishes; a visitor without an
account opens the permalink, copies the model-card header and asks what a distilled narrow
classifier owes."""

import re

import pytest
import yaml
from playwright.sync_api import expect

from licensebuilder.core.exports import build
from licensebuilder.core.obligations import ask, obligations
from licensebuilder.core.presets import presets
from licensebuilder.publish.models import Publication
from tests.e2e.support import (
    assert_accessible,
    choose,
    expect_step,
    sign_up,
    start_from_preset,
    step_url,
    wait_until_autosaved,
)

pytestmark = pytest.mark.browser

LICENSE = "Heron Open Model License"
PERMALINK = "/l/heron-open-model-license/1.0/"
PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page, where):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{where} scrolls sideways"


@pytest.fixture
def warm():
    """The clause library, its templates and the rules model loaded before the browser waits on
    them: the first assembly in a process is slow on a busy machine."""
    result = build(presets()["foundation-share-alike"].spec)
    assert result.findings is not None
    obligations(result.document, ask("distillation", "narrow", "distribute"))


def test_an_owner_publishes_and_a_visitor_learns_what_a_narrow_distillation_owes(web, warm):
    owner = web.page()

    # 1. The owner drafts from a preset, names it, makes distillation share-alike only for
    #    general-purpose students, and publishes from the Review step.
    sign_up(owner, "heron")
    draft_id = start_from_preset(owner, "foundation-share-alike")
    owner.fill("#field-license_name", LICENSE)
    owner.fill("#field-licensor_name", "Heron Lab")
    owner.fill("#field-model_name", "Heron-3B")
    wait_until_autosaved(owner)
    owner.click("#save-next")
    owner.goto(step_url(draft_id, "derivatives"))
    expect_step(owner, draft_id, "derivatives", "Derivatives")
    choose(owner, "distillation", "share_alike_foundation")
    wait_until_autosaved(owner)
    owner.click("#save-next")
    expect(owner).not_to_have_url(re.compile(r"/steps/derivatives/$"))
    owner.goto(step_url(draft_id, "review"))
    expect(owner.locator("#snippet-model-card-text")).to_contain_text("license_link: LICENSE.md")
    owner.click("#publish-button")
    expect(owner).to_have_url(re.compile(re.escape(PERMALINK) + "$"))
    expect(owner.locator(".message--success")).to_contain_text("Published version 1.0")

    # 2. A visitor without an account opens the permalink: the deed first, then the text.
    context = web.context(permissions=["clipboard-read", "clipboard-write"])
    visitor = context.new_page()
    visitor.goto(PERMALINK)
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(LICENSE)
    expect(visitor.get_by_role("link", name="Log in")).to_be_visible()
    expect(visitor.locator("#fingerprint")).to_have_text(Publication.objects.get().fingerprint)
    assert_accessible(visitor, "the published license")

    # 3. The visitor copies the model-card header; its link is this page.
    visitor.locator("#snippet-model-card button[data-copy]").click()
    expect(visitor.locator("#snippet-model-card button[data-copy]")).to_have_text("Copied")
    header = yaml.safe_load(visitor.evaluate("navigator.clipboard.readText()"))
    assert header["license"] == "other" and header["license_name"] == "heron-open-model-license-1.0"
    assert header["license_link"] == web.base_url + PERMALINK

    # 4. "What do I owe?" for a small classifier distilled from the model and distributed.
    visitor.click("#owe-link")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"What do I owe under {LICENSE} 1.0?")
    expect(visitor.locator("#owe-tests")).to_contain_text("can be stated in advance in a sentence or two")
    visitor.check('input[name="modification"][value="distillation"]')
    visitor.check('input[name="result"][value="narrow"]')
    visitor.check('input[name="use"][value="distribute"]')
    visitor.click("#owe-submit")
    expect(visitor.locator("#answer-heading")).to_have_text("Permitted")
    credit = visitor.locator('li.duty[data-kind="attribution"]')
    expect(credit).to_contain_text("Credit the model")
    expect(credit.locator("blockquote")).to_contain_text("“that it was made from the Model”")
    expect(visitor.locator('li.duty[data-kind="share_alike_license"]')).to_have_count(0)
    expect(visitor).to_have_url(re.compile(r"/owe/\?.*modification=distillation.*result=narrow"))
    assert_accessible(visitor, "the answer")

    # The cited section opens in the license text at that clause.
    number = credit.locator("footer a").inner_text()
    credit.locator("footer a").click()
    expect(visitor).to_have_url(re.compile(re.escape(PERMALINK) + r"#clause-"))
    expect(visitor.locator(f"h4:text-is('{number} Distillation')")).to_be_visible()

    # 5. At phone width neither page scrolls sideways.
    visitor.set_viewport_size(PHONE)
    visitor.goto(PERMALINK)
    _no_sideways_scroll(visitor, "the published license")
    visitor.go_back()
    visitor.goto(f"{PERMALINK}owe/?modification=distillation&result=narrow&use=distribute")
    _no_sideways_scroll(visitor, "the answer")


def test_what_do_i_owe_works_without_javascript(web, warm):
    page = web.page(java_script_enabled=False)
    page.goto("/try/no-derivatives/owe/")
    page.check('input[name="modification"][value="fine_tune_full"]')
    page.check('input[name="use"][value="distribute"]')
    page.click("#owe-submit")
    expect(page.locator("#answer-heading")).to_have_text("Not permitted")
    expect(page.locator(".reasons blockquote").first).to_contain_text("You may not Distribute it")
    assert "modification=fine_tune_full" in page.url


def test_the_gallery_is_readable_on_a_phone(web, warm):
    page = web.page(viewport=PHONE)
    page.goto("/try/")
    expect(page.locator(".gallery-card")).to_have_count(6)
    _no_sideways_scroll(page, "the gallery")
    assert_accessible(page, "the gallery")
    page.get_by_role("link", name="Strong copyleft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strong copyleft")
    _no_sideways_scroll(page, "a preset")
    assert_accessible(page, "a preset")
