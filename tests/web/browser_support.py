"""Support for the browser tests: a local federation served on loopback, Debian's Chromium
driven by Playwright, signed-in pages, and screenshots kept under the test run's output.

Chromium is the system's (``/usr/bin/chromium``, or ``PASSERELLE_CHROMIUM``): Playwright's own
browser download is never used. Screenshots go to ``test-output/browser/`` (or
``PASSERELLE_TEST_OUTPUT``/browser), one PNG per page and step.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

from passerelle.cli.local_federation import Federation, Member
from passerelle.seeding import DEMO_PASSWORD

CHROMIUM = os.environ.get("PASSERELLE_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(os.environ.get("PASSERELLE_TEST_OUTPUT", "test-output")) / "browser"
VIEWPORT = {"width": 1280, "height": 860}
WAIT_S = 30.0
CASE = "2026/611"
REASON = "fictional foreign fighter travel, browser test"


def shot(page: Page, name: str) -> Path:
    """A full-page screenshot ``<name>.png`` under the test output."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class Site:
    """One node of the federation as a browser sees it."""

    def __init__(self, federation: Federation, agency_id: str, browser: Browser) -> None:
        self.member: Member = next(m for m in federation.members if m.agency_id == agency_id)
        self.browser = browser
        self.url = self.member.url.rstrip("/")

    def session(self, username: str, lang: str = "en") -> tuple[BrowserContext, Page]:
        """A fresh browser context signed in as ``username``."""
        context = self.browser.new_context(viewport=VIEWPORT, locale=lang,
                                           extra_http_headers={"Accept-Language": lang})
        page = context.new_page()
        self.sign_in(page, username)
        return context, page

    def sign_in(self, page: Page, username: str) -> None:
        page.goto(self.url + "/")
        expect(page).to_have_url(self.url + "/login?next=/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.locator("main").get_by_role("button", name="Sign in").click()
        expect(page.locator("header .who")).to_be_visible()

    def open_personal(self, page: Page, path: str) -> None:
        """Open a page that shows personal data, stating the purpose when asked."""
        page.goto(self.url + path)
        if "/purpose" in page.url:
            state_purpose(page)
        expect(page).not_to_have_url(re.compile(r".*/purpose\b.*"))

    def api(self, username: str) -> httpx.Client:
        """An API client signed in with the session cookie, as the page's script is."""
        client = httpx.Client(base_url=self.url, timeout=10)
        answer = client.post("/api/v1/session",
                             json={"username": username, "password": DEMO_PASSWORD})
        answer.raise_for_status()
        return client


def state_purpose(page: Page) -> None:
    page.get_by_label("Case reference").fill(CASE)
    page.get_by_label("Reason").fill(REASON)
    page.locator("main").get_by_role("button", name="Continue").click()


def wait_for(what: str, probe: Callable[[], Any], timeout_s: float = WAIT_S) -> Any:
    """``probe()`` once it is truthy; fails naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
