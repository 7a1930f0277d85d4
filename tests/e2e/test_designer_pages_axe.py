"""The designer's pages in Chromium: WCAG 2.1 A/AA by axe-core, including pages showing errors.

Marked `browser` (Debian's chromium, driven by Playwright; skipped locally without it).
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from surveys.models import Consultation, Question
from tests.conftest import STAFF_PASSWORD
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_designer_pages_pass_axe(live_server, page_for, make_user, session):
    make_user(email="designer@example.org", roles=("designer",))
    consultation = session.exec(select(Consultation).where(Consultation.slug == "wps-2026")).one()
    cid = consultation.id
    question = session.exec(select(Question).where(Question.key == "priorities")).one()
    page = page_for(javascript=True)
    page.goto(f"{live_server}/staff/login?next=/design/")
    page.fill("input[name=email]", "designer@example.org")
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.click("button.primary")
    assert page.url.endswith("/design/")

    found = {}
    for path in ("/design/", "/design/new", f"/design/{cid}/", f"/design/{cid}/questions",
                 f"/design/{cid}/questions/{question.id}", f"/design/{cid}/logic/question/{question.id}",
                 f"/design/{cid}/translations", f"/design/{cid}/translations/ar", f"/design/{cid}/publish",
                 f"/design/{cid}/share", f"/design/{cid}/preview/ar", "/design/import"):
        page.goto(live_server + path)
        found[path] = axe_violations(page)

    # Pages showing refusals: the settings with k below 5, a question with a malformed key.
    page.goto(f"{live_server}/design/{cid}/")
    page.fill("input[name=k_threshold]", "3")
    page.click("#settings button.primary")
    page.wait_for_load_state("load")
    assert "k cannot be below 5" in page.content()
    found["settings refused"] = axe_violations(page)
    page.goto(f"{live_server}/design/{cid}/questions/{question.id}")
    page.fill("input[name=key]", "not a key")
    page.click("#question-form button.primary")
    page.wait_for_load_state("load")
    assert "A key is a short name" in page.content()
    found["question refused"] = axe_violations(page)

    problems = [f"{where}: {v}" for where, violations in found.items() for v in violations]
    assert not problems, "\n".join(problems)
