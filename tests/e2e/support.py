"""What the browser journeys share: accessibility checks, accounts, and the wizard's moves."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

_AXE = Axe()
BLOCKING = ("serious", "critical")
TEMPLATE_SYNTAX = re.compile(r"\{[#%{]|[#%}]\}")


def assert_accessible(page: Page, where: str) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    results = _AXE.run(page)
    found = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    lines = []
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"][:8]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    assert not found, f"axe-core: serious or critical violations on {where} ({page.url}):\n" + "\n".join(lines)


def sign_up(page: Page, username: str) -> None:
    """Signs up and follows the link of the confirmation email (the tests' outbox)."""
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    (message,) = [m for m in mail.outbox if m.to == [f"{username}@example.org"]]
    page.goto(re.findall(r"https?://\S+", message.body)[-1])
    page.get_by_role("button", name="Activate my account").click()
    expect(page).to_have_url(re.compile(r"/drafts/new/$"))
    expect(page.locator(".message--success")).to_contain_text("Welcome")


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/drafts/$"))


def start_from_preset(page: Page, slug: str) -> int:
    """Starts a draft from a preset on the New draft page; returns the draft's id."""
    page.click(f"#preset-{slug}")
    expect(page).to_have_url(re.compile(r"/drafts/\d+/steps/basics/$"))
    return int(re.search(r"/drafts/(\d+)/", page.url).group(1))


def step_url(draft_id: int, slug: str) -> str:
    return f"/drafts/{draft_id}/steps/{slug}/"


def expect_step(page: Page, draft_id: int, slug: str, title: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(step_url(draft_id, slug)) + "$"))
    expect(page.locator("#step-heading")).to_have_text(title)
    expect(page.locator("#nav-" + slug)).to_have_attribute("aria-current", "step")
    # No template syntax leaks into the page (a multi-line {# #} comment, say, is printed as text).
    expect(page.locator("#main")).not_to_contain_text(TEMPLATE_SYNTAX)


def radio(page: Page, name: str, value: str):
    return page.locator(f'#step-form input[name="{name}"][value="{value}"]')


def choose(page: Page, name: str, value: str) -> None:
    radio(page, name, value).check()


def wait_until_autosaved(page: Page) -> None:
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at \d\d:\d\d:\d\d$"))
