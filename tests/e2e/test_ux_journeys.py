"""The wizard as people use it, in a real browser at a desktop size (1366 by 900) and a phone size
(390 by 844): the preview shows the clause a change touched; the sticky save bar never covers the
element that has the keyboard focus; no page scrolls sideways on a phone; a share link is copied
with one button and revoked only after a confirmation; without JavaScript the preview says how to
update it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from licensebuilder.review.models import ShareLink
from tests.e2e.support import assert_accessible, choose, expect_step, sign_up, start_from_preset, step_url

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DISTILLATION = "clause-derivatives-distillation"
FORM_STEPS = [("basics", "Basics"), ("elements", "Elements"), ("use", "Use"), ("derivatives", "Derivatives"),
              ("terms", "Terms")]  # fmt: skip

# Where the element with focus is, and whether a sticky or fixed bar other than its own covers any of it.
COVERED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {name: "body"};
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (e.getAttribute("name") ? "[name=" + e.getAttribute("name") + "]" : "") +
    (e.textContent.trim() ? " '" + e.textContent.trim().slice(0, 40) + "'" : "");
  const r = el.getBoundingClientRect();
  const bars = [...document.querySelectorAll("body *")].filter((b) => {
    const p = getComputedStyle(b).position;
    return (p === "sticky" || p === "fixed") && !b.contains(el) && b.offsetHeight > 0;
  });
  for (const bar of bars) {
    const c = bar.getBoundingClientRect();
    const across = Math.min(r.right, c.right) - Math.max(r.left, c.left);
    const down = Math.min(r.bottom, c.bottom) - Math.max(r.top, c.top);
    if (across > 0.5 && down > 0.5) {
      return {name: describe(el), covered: describe(bar).slice(0, 40), rect: [r.top, r.bottom], bar: [c.top, c.bottom]};
    }
  }
  const again = el.dataset.tabbed === "1";
  el.dataset.tabbed = "1";
  return {name: describe(el), again};
}"""

# Whatever scrolls sideways: the page itself, or any region inside it.
SIDEWAYS = """() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push("the page: " + doc.scrollWidth + " > " + doc.clientWidth);
  for (const el of document.querySelectorAll("body *")) {
    const x = getComputedStyle(el).overflowX;
    if ((x === "auto" || x === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      out.push(el.tagName.toLowerCase() + "." + el.className + ": " + el.scrollWidth + " > " + el.clientWidth);
    }
  }
  return out;
}"""


def in_view_of(page: Page, selector: str, container: str | None) -> bool:
    """Whether the top of ``selector`` is on screen: inside ``container``'s box (below any sticky head
    in it) if given, else inside the window."""
    return page.evaluate(
        """([selector, container]) => {
          const el = document.querySelector(selector);
          const r = el.getBoundingClientRect();
          let top = 0, bottom = window.innerHeight;
          if (container) {
            const box = document.querySelector(container).getBoundingClientRect();
            top = Math.max(top, box.top); bottom = Math.min(bottom, box.bottom);
            const head = document.querySelector(container + " .preview-head");
            if (head && getComputedStyle(head).position === "sticky") {
              top = Math.max(top, head.getBoundingClientRect().bottom);
            }
          }
          return r.top >= top - 1 && r.top + 40 <= bottom;
        }""",
        [selector, container],
    )


def test_the_preview_shows_the_clause_a_change_touched(web, shot):
    page = web.page(viewport=DESKTOP)
    sign_up(page, "kestrel")
    draft_id = start_from_preset(page, "permissive")
    page.goto(step_url(draft_id, "derivatives"))
    expect_step(page, draft_id, "derivatives", "Derivatives")
    clause = f"#preview #{DISTILLATION}"
    assert not in_view_of(page, clause, "#preview-pane"), "the clause was in view before the change"

    choose(page, "distillation", "prohibited")
    expect(page.locator(clause)).to_have_class(re.compile(r"\bclause--changed\b"))
    # The pane has scrolled to it, below the pane's heading, without moving the questions.
    page.wait_for_function(
        "() => { const p = document.getElementById('preview-pane'); return p.scrollTop > 0; }", timeout=5000
    )
    assert in_view_of(page, clause, "#preview-pane"), "the changed clause is not in the preview's view"
    expect(page.locator('#step-form input[name="distillation"][value="prohibited"]')).to_be_in_viewport()
    # The banner names and links every clause the change touched.
    banner = page.locator("#preview-changes")
    title = re.compile(r"^Your last change: \d+ clauses? changed")
    expect(banner.locator(".preview-changes-title")).to_have_text(title)
    links = banner.locator(".changed-clause-link")
    expect(links.first).to_have_attribute("href", f"#{DISTILLATION}")
    expect(links.first).to_contain_text("Distillation")
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        expect(page.locator(f"#preview {target}")).to_have_class(re.compile(r"\bclause--(changed|added)\b"))
    # Following a link from the banner brings that clause into view too.
    page.locator("#preview-pane").evaluate("p => { p.scrollTop = 0; }")
    links.first.click()
    page.wait_for_timeout(200)
    assert in_view_of(page, clause, "#preview-pane"), "the banner's link did not bring the clause into view"
    assert_accessible(page, "the Derivatives step after a change")
    shot(page, "desktop-preview-shows-the-change")

    # On a phone the preview is far below the questions: the save bar says what changed and links to it.
    phone = web.context(viewport=PHONE, storage_state=page.context.storage_state()).new_page()
    phone.goto(step_url(draft_id, "derivatives"))
    choose(phone, "distillation", "attribution")
    note = phone.locator("#footer-changes")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Your last change:")
    expect(note.get_by_role("link")).to_have_text(re.compile(r"^Show \d+\.\d+ Distillation$"))
    assert in_view_of(phone, ".step-footer", None)
    shot(phone, "phone-save-bar-links-the-change")
    note.get_by_role("link").click()
    phone.wait_for_timeout(200)
    assert in_view_of(phone, clause, None), "the link did not show the changed clause"
    assert_accessible(phone, "the Derivatives step on a phone after a change")


def tab_through(page: Page, where: str, limit: int = 600) -> int:
    """Tabs through every stop of the page, from its top until the focus comes round to a stop
    it has been to; fails at the first stop a bar covers."""
    page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
    for stops in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(COVERED)
        if "covered" in state:
            pytest.fail(f"{where}: tab stop {stops + 1}, {state['name']}, is covered by {state['covered']}: {state}")
        if state.get("again") or (state["name"] == "body" and stops):
            return stops
    pytest.fail(f"{where}: the focus did not come round after {limit} tab stops")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_save_bar_never_covers_the_focused_element(web, shot, viewport):
    page = web.page(viewport=viewport)
    sign_up(page, f"wren{viewport['width']}")
    draft_id = start_from_preset(page, "foundation-share-alike")
    total = 0
    for slug, title in [*FORM_STEPS, ("share_alike", "Share-alike"), ("review", "Review")]:
        page.goto(step_url(draft_id, slug))
        expect_step(page, draft_id, slug, title)
        total += tab_through(page, f"{title} at {viewport['width']}×{viewport['height']}")
    assert total > 300, f"only {total} tab stops were checked"
    # The bar is compact on a phone: at most a tenth of the screen when nothing has been saved yet.
    page.goto(step_url(draft_id, "elements"))
    height = page.locator(".step-footer").evaluate("e => e.getBoundingClientRect().height")
    if viewport == PHONE:
        assert height <= 0.12 * PHONE["height"], f"the save bar takes {height}px of {PHONE['height']}"
    shot(page, "save-bar")


def test_no_page_scrolls_sideways_on_a_phone(web, shot):
    page = web.page(viewport=PHONE, is_mobile=True, has_touch=True)
    checked = []

    def check(name: str) -> None:
        page.wait_for_load_state("load")
        found = page.evaluate(SIDEWAYS)
        assert not found, f"{name} ({page.url}) scrolls sideways at 390 px: {found}"
        checked.append(name)

    for path, name in [("/", "home"), ("/accounts/login/", "log in"), ("/accounts/signup/", "sign up")]:
        page.goto(path)
        check(name)
    sign_up(page, "plover")
    check("new draft")
    draft_id = start_from_preset(page, "strong-copyleft")
    page.fill("#field-license_name", "Plover Public Model License")
    page.fill("#field-licensor_name", "Plover Cooperative")
    page.fill("#field-model_name", "Plover-3B")
    page.click("#save-next")
    expect_step(page, draft_id, "elements", "Elements")
    for slug, title in [*FORM_STEPS, ("share_alike", "Share-alike")]:
        page.goto(step_url(draft_id, slug))
        check(f"the {title} step")
    page.goto(step_url(draft_id, "derivatives"))
    choose(page, "distillation", "prohibited")
    page.click("#save-next")
    page.goto(step_url(draft_id, "review"))
    check("the review step")
    page.goto("/drafts/")
    check("the dashboard")
    shot(page, "phone-dashboard")
    for path, name in [
        (f"/drafts/{draft_id}/read/", "the text and comments"),
        (f"/drafts/{draft_id}/history/", "the history"),
        (f"/drafts/{draft_id}/history/1/", "a revision"),
        (f"/drafts/{draft_id}/compare/?a=rev-1&b=current", "a comparison"),
        (f"/drafts/{draft_id}/compare/?a=rev-1&b=current&view=side", "a side-by-side comparison"),
        (f"/drafts/{draft_id}/history/1/restore/", "a restore"),
        (f"/drafts/{draft_id}/rename/", "rename"),
        (f"/drafts/{draft_id}/delete/", "delete"),
        (f"/drafts/{draft_id}/upgrade/", "the wording upgrade"),
        ("/drafts/nothing-here/", "not found"),
        ("/try/", "the gallery"),
        ("/try/strong-copyleft/", "a preset"),
        ("/try/strong-copyleft/owe/?modification=distillation&use=distribute", "a preset's “What do I owe?”"),
        ("/accounts/", "the account"),
        ("/accounts/password/change/", "the password change"),
        ("/accounts/delete/", "the account deletion"),
    ]:
        assert page.goto(path).status == (404 if name == "not found" else 200), name
        check(name)
    page.goto(f"/drafts/{draft_id}/history/")
    shot(page, "phone-history")
    page.goto(f"/drafts/{draft_id}/shares/")
    page.get_by_label("Label").fill("Counsel at a long-named law firm")
    page.click("#create-share")
    expect(page.locator("#created-heading")).to_be_visible()
    check("the share links")
    assert_accessible(page, "the share links on a phone")
    shot(page, "phone-shares")
    share_url = page.locator("#share-url").input_value()
    page.goto(share_url)
    check("the reviewer's page")
    for path, name in [
        ("history/", "the reviewer's history"),
        ("compare/?a=rev-1&b=current", "the reviewer's compare"),
    ]:
        assert page.goto(share_url + path).status == 200, name
        check(name)
    assert len(checked) == 32, checked


def test_a_share_link_is_copied_with_one_button_and_revoked_after_a_confirmation(web, shot):
    context = web.context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_up(page, "avocet")
    draft_id = start_from_preset(page, "permissive")
    page.goto(f"/drafts/{draft_id}/shares/")
    page.get_by_label("Label").fill("Counsel")
    page.click("#create-share")
    share_url = page.locator("#share-url").input_value()
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#copy-status")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == share_url
    shot(page, "copied")

    link = ShareLink.objects.get(draft_id=draft_id)
    row = page.locator(f"#share-{link.pk}")
    confirm = row.get_by_role("button", name="Yes, revoke “Counsel”")
    expect(confirm).to_be_hidden()  # one click on "Revoke" only asks
    row.locator("summary", has_text="Revoke").click()
    expect(confirm).to_be_visible()
    link.refresh_from_db()
    assert link.revoked is None
    assert_accessible(page, "the share links with a revoke confirmation open")
    shot(page, "revoke-asks")
    confirm.click()
    expect(page.locator(f"#share-{link.pk} .badge")).to_have_text("Revoked")


def test_without_javascript_the_preview_says_how_to_update_it(web):
    page = web.page(viewport=DESKTOP, java_script_enabled=False)
    sign_up(page, "dunlin")
    draft_id = start_from_preset(page, "permissive")
    page.goto(step_url(draft_id, "derivatives"))
    head = page.locator("#preview .preview-head")
    expect(head.get_by_text("Updates as you answer")).to_be_hidden()
    expect(head.get_by_text("Choose “Preview” under the questions")).to_be_visible()
    expect(page.locator("#preview-button")).to_be_visible()


def test_a_blank_draft_previews_each_answer_and_the_review_lists_the_steps_never_opened(web, shot):
    page = web.page(viewport=DESKTOP)
    sign_up(page, "godwit")
    page.click("#start-blank")
    expect(page).to_have_url(re.compile(r"/drafts/\d+/steps/basics/$"))
    draft_id = int(re.search(r"/drafts/(\d+)/", page.url).group(1))
    # The first name typed shows in the preview at once; the names not reached yet are not errors.
    page.fill("#field-license_name", "Godwit Open Weights License")
    header = page.locator("#preview .license-header")
    expect(header).to_contain_text("Godwit Open Weights License")
    expect(header).to_contain_text("[model name]")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Not saved yet: \d more answers? needed"))
    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator("#field-licensor_name-errors .error-message")).to_have_count(0)
    expect(page.locator("#field-model_name-wrap")).not_to_have_class(re.compile(r"field--error"))
    shot(page, "blank-draft-first-answer")
    page.fill("#field-licensor_name", "Godwit Labs")
    page.fill("#field-model_name", "Godwit-1B")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at "))

    # Straight to the Review, as a user goes there: every step not opened is listed, and the
    # exports say so.
    page.click("#nav-review")
    expect_step(page, draft_id, "review", "Review")
    unopened = page.locator("#unconfirmed")
    expect(unopened).to_contain_text("steps you have not opened")
    for slug in ("elements", "use", "derivatives", "terms"):
        expect(page.locator(f"#unconfirmed-{slug}")).to_be_visible()
    expect(page.locator("#export-unconfirmed")).to_contain_text("These exports include answers you have not checked")
    assert_accessible(page, "the Review with steps not opened")
    shot(page, "review-lists-steps-not-opened")
    page.click("#confirm-answers")
    expect(page.locator(".message--success")).to_contain_text("Kept the answers of")
    expect(page.locator("#unconfirmed")).to_have_count(0)
    expect(page.locator("#export-unconfirmed")).to_have_count(0)
