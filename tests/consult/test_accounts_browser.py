"""Staff account pages in Chromium: axe-core's WCAG 2.1 A/AA rules on each page, in
English and Arabic (right to left). The pages have no scripts of their own; JavaScript
is on only so that axe-core can run.

Playwright runs in a thread of its own: tests/e2e keeps a session-wide Playwright in the
main thread of the same worker, and the sync API allows one per thread.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from tests.conftest import STAFF_PASSWORD
from tests.e2e.conftest import CHROMIUM_ARGS, axe_violations, serving

pytestmark = pytest.mark.browser


@pytest.fixture
def served(app):
    """The app served on loopback (no demo); yields its base URL."""
    with serving(app) as base:
        yield base


def in_browser(work) -> None:
    """Run `work(browser)` with a fresh Chromium in a thread; re-raise what it raised."""
    path = shutil.which("chromium")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `apt-get install chromium`")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    failure: list[BaseException] = []

    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
                try:
                    work(browser)
                finally:
                    browser.close()
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_account_pages_pass_axe(served, make_user, lang):
    make_user(email="ana@example.org", roles=("admin", "designer"))
    violations: list[str] = []

    def work(browser) -> None:
        page = browser.new_context().new_page()

        def audit(where: str, on=page) -> None:
            violations.extend(f"{where}: {line}" for line in axe_violations(on))

        page.goto(f"{served}/staff/admin/users?lang={lang}")  # sent to sign in first
        assert "/staff/login" in page.url
        page.click("button.primary")  # empty: the error summary
        assert page.locator(".error-summary").is_visible()
        audit("sign-in errors")
        page.fill("#email", "ana@example.org")
        page.fill("#password", STAFF_PASSWORD)
        page.click("button.primary")
        assert page.url.endswith(f"/staff/admin/users?lang={lang}")  # back where she was going
        direction = page.locator("html").evaluate("html => getComputedStyle(html).direction")
        assert direction == ("rtl" if lang == "ar" else "ltr")
        audit("users")

        page.goto(f"{served}/staff/admin/users/invite")
        page.fill("#email", "amal@example.org")
        page.click("button.primary")  # no role chosen
        assert page.locator(".error-summary").is_visible()
        audit("invite errors")
        page.check("input[name=roles][value=analyst]")
        page.click("button.primary")
        link = page.input_value("#link")
        audit("invitation link")

        page.goto(f"{served}/staff/admin/users")
        page.click("text=amal@example.org")
        audit("one account")
        for url in ("/staff/", "/staff/admin/audit", "/staff/account", "/staff/logout"):
            page.goto(served + url)
            audit(url)

        invitee = browser.new_context().new_page()
        invitee.goto(link.replace("http://localhost", served))
        invitee.fill("#password", "short")
        invitee.fill("#password_again", "short")
        invitee.click("button.primary")
        assert invitee.locator(".error-summary").is_visible()
        audit("set password errors", invitee)

    in_browser(work)
    assert violations == []
