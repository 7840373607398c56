"""The journeys' pages run under the site's Content-Security-Policy with nothing blocked (the
``web`` fixture fails a test on any violation); this checks that a violation is seen at all."""

from playwright.sync_api import expect


def test_a_blocked_inline_script_or_style_is_reported_as_a_problem(web):
    page = web.page()
    page.goto("/")
    expect(page.locator("html")).to_have_class("js")  # boot.js ran: scripts from the site's files are allowed
    page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "window.injected = true";
            document.body.appendChild(s);
            document.body.insertAdjacentHTML("beforeend", '<p style="color: red">styled</p>');
        }"""
    )
    assert page.evaluate("window.injected") is None

    def seen(directive):
        return any(p.startswith("CSP violation") and directive in p for p in web.problems)

    for _ in range(100):  # console messages arrive asynchronously: up to 5 s
        if seen("script-src") and seen("style-src"):
            break
        page.wait_for_timeout(50)
    assert seen("script-src") and seen("style-src"), web.problems
    web.problems.clear()  # expected here; any other test fails on them
