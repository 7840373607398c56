"""Reviewing a draft in a real browser: the owner's history, names and comparisons, a share link,
and a reviewer without an account who reads, compares and comments through it.

One long journey on purpose (starting Chromium pages and signing up cost more than the steps).
Screenshots land in test-output/e2e/<test name>/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from licensebuilder.drafts.models import Draft, Revision
from licensebuilder.review.models import Comment, ShareLink
from tests.e2e.support import assert_accessible, choose, expect_step, sign_up, start_from_preset, step_url

pytestmark = pytest.mark.browser

LICENSE = "Heron Model License"
LICENSOR = "Heron Research Ltd"
MODEL = "Heron-7B"
REVISION_NAME = "Sent to counsel"
REVIEWER = "Ada Counsel"
COMMENT = "Is <b>not bold</b> the intent? Distillation for on-device models should stay possible."
DISTILLATION = "derivatives.distillation"
DISTILLATION_ANCHOR = "clause-derivatives-distillation"
# A share link's token must never reach another site through the Referer header. Under
# "no-referrer" a page's form posts carry "Origin: null": the reviewer's comment form must still work.
PRIVATE_HEADERS = {
    "cache-control": "private, no-store",
    "x-robots-tag": "noindex, nofollow",
    "referrer-policy": "no-referrer",
}


def by_id(page: Page, element_id: str):
    """An element by an id that may hold dots (clause ids do), which a #selector would misread."""
    return page.locator(f'[id="{element_id}"]')


def close_up(shot, locator, name: str) -> None:
    """A numbered screenshot of one part of the page, beside the full-page ones, to look at closely."""
    shot.count += 1
    locator.screenshot(path=str(shot.folder / f"{shot.count:02d}-{name}.png"))


def expect_private(response, where: str) -> None:
    assert response is not None, f"no response for {where}"
    for header, value in PRIVATE_HEADERS.items():
        assert response.headers.get(header) == value, f"{where}: {header} is {response.headers.get(header)!r}"


def expect_no_edit_controls(page: Page, where: str) -> None:
    """Nothing on a reviewer's page leads to the wizard or changes the draft."""
    main = page.locator("#main")
    expect(main.locator('a[href*="/steps/"]'), f"{where}: a link into the wizard").to_have_count(0)
    expect(main.locator('a[href^="/drafts/"], form[action^="/drafts/"]'), f"{where}: an owner URL").to_have_count(0)
    expect(main.locator('form[action*="/restore/"], form[action*="/name/"]'), where).to_have_count(0)
    expect(main.locator('form[action*="/resolve/"], form[action*="/revoke/"]'), where).to_have_count(0)
    expect(main.get_by_role("link", name="Edit the draft"), where).to_have_count(0)
    owner_forms = main.locator("summary", has_text=re.compile(r"^(Name|Rename|Restore this version)\b"))
    expect(owner_forms, f"{where}: a form to name or restore a revision").to_have_count(0)


def test_an_owner_shares_a_draft_and_a_reviewer_comments_on_the_redline(web, shot):
    owner = web.page()

    # 1. The owner drafts from a preset and names the license, the licensor and the model.
    sign_up(owner, "heron")
    draft_id = start_from_preset(owner, "permissive")
    expect_step(owner, draft_id, "basics", "Basics")
    owner.fill("#field-license_name", LICENSE)
    owner.fill("#field-licensor_name", LICENSOR)
    owner.fill("#field-model_name", MODEL)
    owner.click("#save-next")
    expect_step(owner, draft_id, "elements", "Elements")

    # The newest revision gets a name from the History page, reached from the wizard.
    owner.locator(".draft-tools").get_by_role("link", name="History").click()
    expect(owner).to_have_url(re.compile(rf"/drafts/{draft_id}/history/$"))
    named = Revision.objects.filter(draft_id=draft_id).order_by("-number").first()
    row = owner.locator(f"#revision-{named.number}")
    row.locator("summary", has_text="Name").click()
    row.get_by_label(f"Name of revision {named.number}").fill(REVISION_NAME)
    row.get_by_role("button", name="Save name").click()
    expect(owner.locator(f"#revision-{named.number} .revision-name")).to_have_text(f"“{REVISION_NAME}”")

    # Then a change on the Derivatives step: a revision of its own, since the last one has a name.
    owner.goto(step_url(draft_id, "derivatives"))
    expect_step(owner, draft_id, "derivatives", "Derivatives")
    choose(owner, "distillation", "prohibited")
    owner.click("#save-next")
    expect(owner).not_to_have_url(re.compile(r"/steps/derivatives/$"))
    assert Draft.objects.get(pk=draft_id).spec["derivatives"]["distillation"] == "prohibited"
    newest = Revision.objects.filter(draft_id=draft_id).order_by("-number").first()
    assert newest.number == named.number + 1, "the change was folded into the named revision"

    # 2. The history lists both revisions, the name and what changed, in words.
    owner.goto(f"/drafts/{draft_id}/history/")
    expect(owner.locator(".history-row")).to_have_count(newest.number)
    expect(owner.locator(f"#revision-{named.number}")).to_contain_text(REVISION_NAME)
    expect(owner.locator(f"#revision-{named.number} .revision-summary")).to_contain_text("License name")
    newest_row = owner.locator(f"#revision-{newest.number}")
    expect(newest_row.locator(".revision-summary")).to_have_text("Distillation: permitted → prohibited")
    expect(newest_row.locator(".revision-name")).to_have_count(0)
    assert_accessible(owner, "the owner's History page")
    shot(owner, "owner-history")

    # 3. "Sent to counsel" compared with now: the answer that differs, then the redline.
    owner.locator(f"#revision-{named.number}").get_by_role("link", name=re.compile(r"^Compare with now")).click()
    expect(owner).to_have_url(re.compile(rf"/drafts/{draft_id}/compare/\?a=rev-{named.number}&b=current$"))
    expect(owner.locator("#compare-heading")).to_contain_text(REVISION_NAME)
    expect(owner.locator("#compare-heading")).to_contain_text("Now")
    expect(owner.locator(".compare-summary")).to_contain_text("1 answer differs")
    expect(owner.locator(".compare-choice-list")).to_contain_text("Distillation: permitted → prohibited")
    changed = owner.locator(f"#{DISTILLATION_ANCHOR}")
    expect(changed).to_have_class(re.compile(r"\bcompare-clause--changed\b"))
    expect(changed.locator(".compare-status")).to_be_visible()
    expect(changed.locator(".compare-body ins").first).to_be_visible()
    expect(changed.locator(".compare-body del").first).to_be_visible()
    expect(changed.locator(".compare-body ins").first).to_contain_text(re.compile(r"\S"))
    # The choice links to the clause it changed.
    expect(owner.locator(f'.compare-choice-list a[href="#{DISTILLATION_ANCHOR}"]')).to_have_count(1)
    assert_accessible(owner, "the owner's Compare page (inline)")
    shot(owner, "owner-compare-inline")
    close_up(shot, changed, "owner-compare-inline-distillation")

    owner.check("#view-side")
    owner.get_by_role("button", name="Compare", exact=True).click()
    expect(owner).to_have_url(re.compile(r"view=side"))
    expect(owner.locator(".compare-table").first).to_be_visible()
    side = owner.locator(f"tbody#{DISTILLATION_ANCHOR}")
    expect(side).to_have_class(re.compile(r"\bcompare-clause--changed\b"))
    cells = side.locator("tr").nth(1).locator("td")
    expect(cells).to_have_count(2)
    expect(cells.nth(0).locator("del").first).to_be_visible()
    expect(cells.nth(1).locator("ins").first).to_be_visible()
    expect(cells.nth(0).locator("ins")).to_have_count(0)  # before: deletions only
    expect(cells.nth(1).locator("del")).to_have_count(0)  # after: insertions only
    before_box, after_box = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert before_box["x"] + before_box["width"] <= after_box["x"] + 1, "the two columns overlap"
    assert abs(before_box["width"] - after_box["width"]) < 2, "the two columns differ in width"
    assert_accessible(owner, "the owner's Compare page (side by side)")
    shot(owner, "owner-compare-side")
    close_up(shot, side, "owner-compare-side-distillation")

    # 4. A share link for counsel; its URL is shown once.
    owner.get_by_role("navigation", name="Review").get_by_role("link", name="Share").click()
    expect(owner).to_have_url(re.compile(rf"/drafts/{draft_id}/shares/$"))
    expect(owner.locator("#page-heading")).to_have_text("Share with a reviewer")
    owner.get_by_label("Label").fill("Counsel")
    owner.get_by_label("Expires after (days)").fill("14")
    owner.click("#create-share")
    expect(owner.locator("#created-heading")).to_have_text("Link “Counsel” is ready")
    share_url = owner.locator("#share-url").input_value()
    assert re.fullmatch(r"https?://[^/]+/s/[A-Za-z0-9_-]{43}/", share_url), share_url
    # Shown only this once, so shown whole: no part of it scrolled out of its field.
    assert owner.locator("#share-url").evaluate("e => e.scrollWidth <= e.clientWidth"), "the link is cut off"
    link = ShareLink.objects.get(draft_id=draft_id)
    expect(owner.locator(f"#share-{link.pk}")).to_contain_text("Counsel")
    expect(owner.locator(f"#share-{link.pk} .badge")).to_have_text("Live")
    assert link.expires is not None
    assert_accessible(owner, "the Share page with a new link")
    shot(owner, "owner-shares")

    # 5. The reviewer, in a browser of their own, opens the link.
    reviewer = web.page()
    response = reviewer.goto(share_url)
    assert response.status == 200
    expect_private(response, "the reviewer's read page")
    expect(reviewer.locator(".guest-banner")).to_contain_text(f"You are reviewing “{LICENSE}” as a guest")
    expect(reviewer.locator("#page-heading")).to_have_text(LICENSE)
    expect(reviewer.locator(".review-license .license-header")).to_contain_text(LICENSE)
    clause = by_id(reviewer, DISTILLATION_ANCHOR)
    expect(clause).to_contain_text("may not carry out")
    expect(reviewer.locator(".review-status")).to_have_text("No open comments.")
    expect_no_edit_controls(reviewer, "the reviewer's read page")
    # The draft's own title is the owner's private label; the reviewer sees the license's name.
    draft_title = Draft.objects.get(pk=draft_id).title
    if draft_title != LICENSE:
        expect(reviewer.locator("#main")).not_to_contain_text(draft_title)
    assert_accessible(reviewer, "the reviewer's read page")
    shot(reviewer, "reviewer-read")

    # A comment on the distillation clause, with HTML in it that must stay text.
    thread = by_id(reviewer, f"thread-{DISTILLATION}")
    thread.locator("summary", has_text="Comment on this clause").click()
    by_id(reviewer, f"c-{DISTILLATION}-name").fill(REVIEWER)
    by_id(reviewer, f"c-{DISTILLATION}-body").fill(COMMENT)
    thread.get_by_role("button", name="Post comment").click()
    expect(reviewer).to_have_url(re.compile(rf"/s/[^/]+/read/#{DISTILLATION_ANCHOR}$"))
    expect(reviewer.locator(".message--success")).to_contain_text("Comment posted")
    posted = by_id(reviewer, f"thread-{DISTILLATION}").locator(".comment")
    expect(posted).to_have_count(1)
    expect(posted.locator(".comment-name")).to_have_text(REVIEWER)
    expect(posted.locator(".comment-body")).to_have_text(COMMENT)
    expect(posted.locator(".comment-body b")).to_have_count(0)
    expect(reviewer.locator(".review-status")).to_have_text("1 open comment.")
    # Beside its clause: in the same row, to the right of the clause's text on a wide screen.
    row = reviewer.locator(".review-clause", has=by_id(reviewer, DISTILLATION_ANCHOR))
    text_box = row.locator(".review-clause-text").bounding_box()
    comments_box = row.locator(".review-clause-comments").bounding_box()
    assert comments_box["x"] >= text_box["x"] + text_box["width"] - 1, "the comments are not beside the clause"
    assert comments_box["y"] < text_box["y"] + text_box["height"], "the comments are not beside the clause"
    saved = Comment.objects.get(draft_id=draft_id)
    assert (saved.name, saved.body, saved.clause_id, saved.link_id) == (REVIEWER, COMMENT, DISTILLATION, link.pk)
    # The reviewer's name is remembered for the next comment.
    expect(by_id(reviewer, f"c-{DISTILLATION}-name")).to_have_value(REVIEWER)
    expect_no_edit_controls(reviewer, "the reviewer's read page with a comment")
    assert_accessible(reviewer, "the reviewer's read page with a comment")
    shot(reviewer, "reviewer-commented")
    close_up(shot, row, "reviewer-commented-distillation")

    # The comparison, through the page's own link: the newest change, with the comment beside it.
    reviewer.get_by_role("navigation", name="Review").get_by_role("link", name="Compare").click()
    expect(reviewer).to_have_url(re.compile(r"/s/[^/]+/compare/$"))
    expect(reviewer.locator(".guest-banner")).to_be_visible()
    expect(reviewer.locator(".compare-choice-list")).to_contain_text("Distillation: permitted → prohibited")
    changed = by_id(reviewer, DISTILLATION_ANCHOR)
    expect(changed.locator(".compare-body ins").first).to_be_visible()
    expect(changed.locator(".compare-body del").first).to_be_visible()
    expect(changed.locator(".compare-thread .comment-body")).to_have_text(COMMENT)
    expect(changed.locator(".compare-thread .comment-body b")).to_have_count(0)
    expect_no_edit_controls(reviewer, "the reviewer's Compare page")
    assert_accessible(reviewer, "the reviewer's Compare page")
    shot(reviewer, "reviewer-compare")
    close_up(shot, changed, "reviewer-compare-distillation")

    reviewer.check("#view-side")
    reviewer.get_by_role("button", name="Compare", exact=True).click()
    expect(reviewer).to_have_url(re.compile(r"/s/[^/]+/compare/\?.*view=side"))
    side = reviewer.locator(f"tbody#{DISTILLATION_ANCHOR}")
    expect(side.locator("td").nth(0).locator("del").first).to_be_visible()
    expect(side.locator("td").nth(1).locator("ins").first).to_be_visible()
    expect(side.locator(".compare-thread .comment-body")).to_have_text(COMMENT)
    expect_no_edit_controls(reviewer, "the reviewer's Compare page, side by side")
    assert_accessible(reviewer, "the reviewer's Compare page (side by side)")
    close_up(shot, side, "reviewer-compare-side-distillation")
    # On a phone the two columns stay within the page (the table may scroll in its own box).
    reviewer.set_viewport_size({"width": 390, "height": 844})
    assert reviewer.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    shot(reviewer, "reviewer-compare-side-phone")
    reviewer.set_viewport_size({"width": 1280, "height": 900})

    reviewer.get_by_role("navigation", name="Review").get_by_role("link", name="History").click()
    expect(reviewer).to_have_url(re.compile(r"/s/[^/]+/history/$"))
    expect(reviewer.locator(".history-row")).to_have_count(newest.number)
    expect(reviewer.locator(f"#revision-{named.number}")).to_contain_text(REVISION_NAME)
    expect(reviewer.locator("th", has_text="By")).to_have_count(0)  # who saved what is the owner's business
    expect_no_edit_controls(reviewer, "the reviewer's History page")
    assert_accessible(reviewer, "the reviewer's History page")
    shot(reviewer, "reviewer-history")

    # 6. The owner sees the open comment on the dashboard and resolves it.
    owner.goto("/drafts/")
    open_comments = owner.locator(f"#draft-{draft_id} .open-comments")
    expect(open_comments).to_have_text(re.compile(r"^1 open comment\b"))
    open_comments.click()
    expect(owner).to_have_url(re.compile(rf"/drafts/{draft_id}/read/$"))
    mine = by_id(owner, f"thread-{DISTILLATION}").locator(".comment-thread")
    expect(mine).to_have_count(1)
    expect(mine.locator(".comment-name")).to_have_text(REVIEWER)
    expect(mine.locator(".comment-meta")).to_contain_text("reviewer, via “Counsel”")
    expect(mine.locator(".comment-body")).to_have_text(COMMENT)
    expect(mine.locator(".comment-body b")).to_have_count(0)
    assert_accessible(owner, "the owner's review page with a comment")
    shot(owner, "owner-review-open-comment")
    close_up(shot, owner.locator(".review-clause", has=by_id(owner, DISTILLATION_ANCHOR)), "owner-open-comment")
    mine.get_by_role("button", name=f"Mark resolved the comment by {REVIEWER}").click()
    expect(owner.locator(".message--success")).to_contain_text("Comment resolved")
    expect(owner.locator(".review-status")).to_have_text("No open comments.")
    expect(by_id(owner, f"thread-{DISTILLATION}").locator(".comment .badge")).to_have_text("Resolved")
    assert Comment.objects.get(pk=saved.pk).resolved is not None
    assert_accessible(owner, "the owner's review page with a resolved comment")
    shot(owner, "owner-review-resolved")
    close_up(shot, owner.locator(".review-clause", has=by_id(owner, DISTILLATION_ANCHOR)), "owner-resolved-comment")
    owner.goto("/drafts/")
    expect(owner.locator(f"#draft-{draft_id} .open-comments")).to_have_text(re.compile(r"^No open comments\b"))
    shot(owner, "owner-dashboard")

    # 7. Every answer through the link is private; once revoked, the link opens nothing.
    token_base = share_url.rstrip("/")
    for path in ("/", "/read/", "/history/", "/compare/", f"/history/{named.number}/"):
        response = reviewer.goto(token_base + path)
        assert response.status == 200, f"{path}: {response.status}"
        expect_private(response, f"the reviewer's {path}")
    owner.goto(f"/drafts/{draft_id}/shares/")
    row = owner.locator(f"#share-{link.pk}")
    row.locator("summary", has_text="Revoke").click()  # asks first
    expect(row.locator(".revoke-confirm")).to_contain_text("loses access at once")
    row.get_by_role("button", name="Yes, revoke “Counsel”").click()
    expect(owner.locator(".message--success")).to_contain_text("Revoked “Counsel”")
    expect(owner.locator(f"#share-{link.pk} .badge")).to_have_text("Revoked")
    response = reviewer.reload()
    assert response.status == 404
    expect_private(response, "the reviewer's page after the link was revoked")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(reviewer.locator("#main")).not_to_contain_text(LICENSE)
    response = reviewer.goto(share_url)
    assert response.status == 404
    shot(reviewer, "reviewer-revoked")
