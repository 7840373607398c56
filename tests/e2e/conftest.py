"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM calls
from a thread with a running loop. The tests only touch the database while the browser is idle, so
that check is switched off (DJANGO_ALLOW_ASYNC_UNSAFE) for as long as these tests run, and no longer:
a process the other tests start (``manage.py check --deploy``, gunicorn) must not inherit it. For
the same reason the browser lives as long as this package's tests, not the whole session.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="package", autouse=True)
def async_unsafe_allowed() -> Iterator[None]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(async_unsafe_allowed: None) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        # Never a skip: a CI run without a browser must not pass as if the browser tests had run.
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. The browser tests need Debian's chromium package "
            "(run bin/system-deps as root, or apt-get install chromium), or set CHROMIUM to its path.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        expect.set_options(timeout=TIMEOUT_MS)
        yield browser
        browser.close()


class Session:
    """Browser contexts for one test, with what went wrong in any of their pages.

    Every page records uncaught JavaScript errors, server errors (5xx) and anything the page's
    Content-Security-Policy blocked; the test fails at the end if there were any, whatever it
    asserted itself.
    """

    def __init__(self, browser: Browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []

    def context(self, **options: Any) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = self.browser.new_context(base_url=self.base_url, accept_downloads=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", self._watch)
        self.contexts.append(context)
        return context

    def page(self, **options: Any) -> Page:
        """A page in a new context (a new browser profile: no cookies, no login)."""
        return self.context(**options).new_page()

    def _watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))
        page.on(
            "response",
            lambda response: (
                self.problems.append(f"{response.status} from {response.request.method} {response.url}")
                if response.status >= 500
                else None
            ),
        )
        # Leaving a page with unsaved typing asks first (app.js); the tests always mean to leave.
        page.on("dialog", lambda dialog: dialog.accept())
        # Chromium reports what the Content-Security-Policy blocked as console errors.
        page.on(
            "console",
            lambda message: (
                self.problems.append(f"CSP violation on {page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def web(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Session]:
    session = Session(browser, live_server.url)
    yield session
    session.close()
    assert not session.problems, "Problems while the browser ran:\n" + "\n".join(session.problems)


class Screenshots:
    """Numbered full-page screenshots in test-output/e2e/<test name>/."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def __call__(self, page: Page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        # caret="initial": hiding the caret would insert a <style> the page's CSP (rightly) blocks.
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    folder = OUTPUT / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Screenshots(folder)
