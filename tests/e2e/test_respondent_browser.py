"""A respondent completes the demo in a real browser, in each of en, fr, es, ar, with
JavaScript on and off; every page she sees passes axe-core's WCAG 2.1 A/AA rules;
the form can be completed with the keyboard alone."""

from __future__ import annotations

import os
import re

import pytest
from sqlmodel import select

from surveys.models import Response
from tests.e2e.conftest import DOCS, axe_violations

LANGUAGES = ["en", "fr", "es", "ar"]


def check(page, violations: list[str], where: str) -> None:
    found = axe_violations(page)
    violations.extend(f"{where}: {line}" for line in found)


def complete_demo(page, base: str, lang: str, audit: bool, screenshots: bool = False) -> tuple[str, list[str]]:
    """Walk the demo from the consent page to the receipt; returns the receipt code."""
    violations: list[str] = []
    page.goto(f"{base}/c/wps-2026?lang={lang}")
    if audit:
        check(page, violations, "consent")
        direction = page.locator("html").evaluate("html => getComputedStyle(html).direction")
        assert direction == ("rtl" if lang == "ar" else "ltr")
    if screenshots:
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / f"respondent-consent-{lang}.png"), full_page=True)
    # Submitting without consent shows the error summary, in her language.
    page.click("button.primary")
    assert page.locator(".error-summary").is_visible()
    if audit:
        check(page, violations, "consent error")
    page.check("input[name=_consent]")
    page.click("button.primary")

    page.check("input[name=q-role][value=peacebuilder]")
    page.fill("input[name=q-years_active]", "12")
    if audit:
        check(page, violations, "section 1")
    page.click("button.primary")

    page.fill("textarea[name=q-participation_text]", "Women were left out of the talks; local groups need funding.")
    page.check("input[name=q-influence][value='2']")
    page.check("input[name=q-mediation_involved][value=yes]")
    if screenshots:
        page.screenshot(path=str(DOCS / f"respondent-section-{lang}.png"), full_page=True)
    if audit:
        check(page, violations, "section 2")
    page.click("button.primary")

    page.fill("textarea[name=q-mediation_text]", "The dialogue in our district gave women a voice.")
    page.fill("input[name=q-mediation_date]", "2019-05-01")
    if audit:
        check(page, violations, "section 3 (conditional)")
    page.click("button.primary")

    page.fill("textarea[name=q-sgbv_text]", "Survivors need shelters and courts that work.")
    if audit:
        check(page, violations, "section 4")
    page.click("button.primary")

    page.check("input[name=q-services-police][value=unsafe]")
    page.select_option("select[name=q-support_ranking-access]", "1")
    page.check("input[name=q-priorities][value=funding]")
    if audit:
        check(page, violations, "section 5 (matrix, ranking)")
    page.click("button.primary")

    page.check("input[name=q-about_you_ok]")
    page.click("button.primary")
    page.select_option("select[name=q-region]", "west_africa")
    page.check("input[name=q-identity][value=youth]")
    if audit:
        check(page, violations, "section 7 (demographics)")
    page.click("button.primary")

    code = page.locator("p.code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", code)
    if audit:
        check(page, violations, "receipt")
    return code, violations


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_respondent_completes_and_withdraws(live_server, page_for, session, lang, javascript):
    page = page_for(javascript=javascript, mobile=not javascript)
    code, violations = complete_demo(
        page, live_server, lang, audit=javascript,
        screenshots=bool(os.environ.get("CONSULT_SCREENSHOTS")) and javascript and lang in ("en", "ar"),
    )
    assert not violations, "\n".join(violations)
    stored = session.exec(select(Response)).all()
    assert [r.language for r in stored] == [lang]

    page.goto(f"{live_server}/c/wps-2026/withdraw?lang={lang}")
    if javascript:
        assert not axe_violations(page)
    page.fill("input[name=receipt]", code.lower())
    page.click("button.primary")
    assert page.locator("h1").inner_text()
    if javascript:
        assert not axe_violations(page)
    session.expire_all()
    assert session.exec(select(Response)).all() == []


def test_keyboard_only_completion_of_the_first_pages(live_server, page_for):
    page = page_for()
    page.goto(f"{live_server}/c/wps-2026?lang=en")
    # Tab from the top of the page to the consent box, tick it with Space, Enter on Continue.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "_consent":
            break
    else:
        pytest.fail("the consent box cannot be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Continue"
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name=q-role]")
    # Radio group: Tab in, arrows choose; Enter in a text field continues the form.
    page.focus("input[name=q-role] >> nth=0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    page.wait_for_selector("textarea[name=q-participation_text]")


def test_error_summary_and_invalid_fields_pass_axe(live_server, page_for):
    page = page_for()
    page.goto(f"{live_server}/c/wps-2026?lang=ar")
    page.check("input[name=_consent]")
    page.click("button.primary")
    page.fill("input[name=q-years_active]", "abc")
    page.click("button.primary")
    assert page.locator(".error-summary a").count() == 2
    assert not axe_violations(page)
