"""Staff account pages in Chromium: axe-core's WCAG 2.1 A/AA rules on each page, in
English and Arabic (right to left). The pages have no scripts of their own; JavaScript
is on only so that axe-core can run."""

from __future__ import annotations

import pytest

from tests.conftest import STAFF_PASSWORD
from tests.e2e.conftest import axe_violations, browser, chromium_path, live_server, page_for  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_account_pages_pass_axe(live_server, page_for, make_user, lang):  # noqa: F811 (imported fixtures)
    make_user(email="ana@example.org", roles=("admin", "designer"))
    page = page_for()
    violations: list[str] = []

    def audit(where: str) -> None:
        violations.extend(f"{where}: {line}" for line in axe_violations(page))

    page.goto(f"{live_server}/staff/admin/users?lang={lang}")  # sent to sign in first
    assert "/staff/login" in page.url
    page.click("button.primary")  # empty: the error summary
    assert page.locator(".error-summary").is_visible()
    audit("sign-in errors")
    page.fill("#email", "ana@example.org")
    page.fill("#password", STAFF_PASSWORD)
    page.click("button.primary")
    assert page.url.endswith(f"/staff/admin/users?lang={lang}")  # back where she was going
    direction = page.evaluate("getComputedStyle(document.documentElement).direction")
    assert direction == ("rtl" if lang == "ar" else "ltr")
    audit("users")

    page.goto(f"{live_server}/staff/admin/users/invite")
    page.fill("#email", "amal@example.org")
    page.click("button.primary")  # no role chosen
    assert page.locator(".error-summary").is_visible()
    audit("invite errors")
    page.check("input[name=roles][value=analyst]")
    page.click("button.primary")
    link = page.input_value("#link")
    audit("invitation link")

    page.goto(f"{live_server}/staff/admin/users")
    page.click("text=amal@example.org")
    audit("one account")
    for url in ("/staff/", "/staff/admin/audit", "/staff/account", "/staff/logout"):
        page.goto(live_server + url)
        audit(url)

    invitee = page_for()
    invitee.goto(link.replace("http://localhost", live_server))
    invitee.fill("#password", "short")
    invitee.fill("#password_again", "short")
    invitee.click("button.primary")
    assert invitee.locator(".error-summary").is_visible()
    violations.extend(f"set password: {line}" for line in axe_violations(invitee))

    assert violations == []
