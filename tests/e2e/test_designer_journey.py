"""A designer builds a consultation from nothing in Chromium with JavaScript off: a title,
a second section, three questions (one of single choice, one shown only under a
condition), a second language translated on the side-by-side screen, a refused then
successful publication; a respondent then answers it in that language, and the
database holds exactly her answers. Every main page passes axe-core's WCAG 2.1 A/AA."""

from __future__ import annotations

import re

from sqlmodel import select

from surveys.models import Answer, Consultation, Question, Response
from tests.conftest import STAFF_PASSWORD
from tests.e2e.conftest import axe_violations

SLUG = "water-peace-2026"
DESIGNER = "designer@example.org"

#: Every English text of the consultation and its French translation.
FRENCH = {
    "Water and peace": "Eau et paix",
    "Tell us how access to water shapes peace where you live.": "Dites-nous comment l'accès à l'eau façonne "
                                                                 "la paix là où vous vivez.",
    "About you": "À propos de vous",
    "Your experience": "Votre expérience",
    "What is your role?": "Quel est votre rôle ?",
    "Farmer": "Agricultrice ou agriculteur",
    "Teacher": "Enseignante ou enseignant",
    "Another role": "Un autre rôle",
    "Have you taken part in a dispute over water?": "Avez-vous pris part à un différend sur l'eau ?",
    "What happened, and how was it settled?": "Que s'est-il passé, et comment le différend a-t-il été réglé ?",
    "Leave out names.": "N'indiquez aucun nom.",
}
STORY = "Le comité du village a partagé le puits entre les deux quartiers."


def follow(locator) -> None:
    """Click a link or button and wait for the page it leads to (forms post without JavaScript)."""
    with locator.page.expect_navigation():
        locator.click()


class Auditor:
    """axe-core waits on timers, and timers never fire with JavaScript off, so axe cannot run
    in the designer's own page. The auditor serves the DOM that page shows, at its URL, to a
    page of its own with JavaScript on (the app has no script, so nothing changes it) and
    runs axe there; the stylesheets load from the live server as usual."""

    def __init__(self, page_for):
        self.page = page_for(javascript=True)
        self.page.route("**/*", self._serve)
        self.html = ""
        self.found: dict[str, list[str]] = {}

    def _serve(self, route) -> None:
        if route.request.resource_type == "document":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.html)
        else:
            route.continue_()

    def check(self, page, where: str) -> None:
        self.html = page.content()
        self.page.goto(page.url)
        assert self.page.title() == page.title(), where
        self.found[where] = axe_violations(self.page)

    def problems(self) -> list[str]:
        return [f"{where}: {line}" for where, lines in self.found.items() for line in lines]


def test_a_designer_builds_translates_and_publishes_and_a_respondent_answers_in_french(
    live_server, page_for, make_user, session
):
    make_user(email=DESIGNER, roles=("designer",))
    audit = Auditor(page_for)
    page = page_for(javascript=False)
    base = live_server

    # Sign in.
    page.goto(f"{base}/staff/login?next=/design/")
    audit.check(page, "sign-in")
    page.fill("input[name=email]", DESIGNER)
    page.fill("input[name=password]", STAFF_PASSWORD)
    follow(page.locator("button.primary"))
    assert page.url == f"{base}/design/"
    audit.check(page, "consultations")

    # A new consultation, in English only for now.
    page.goto(f"{base}/design/new")
    audit.check(page, "new consultation")
    page.fill("#new-consultation [name=title]", "Water and peace")
    page.fill("#new-consultation [name=slug]", SLUG)
    page.fill("#new-consultation [name=default_language]", "en")
    follow(page.locator("#new-consultation button.primary"))
    match = re.search(r"/design/(\d+)/questions$", page.url)
    assert match, page.url
    cid = int(match.group(1))
    questions_url = f"{base}/design/{cid}/questions"
    assert page.locator("section.design-section").count() == 1  # a new draft has one empty section

    # Name the first section, add a second one and name it.
    follow(page.locator("section.design-section").nth(0).locator("a:text-is('Edit section')"))
    audit.check(page, "section")
    page.fill("#section-form [name=title]", "About you")
    follow(page.locator("#section-form button.primary"))
    follow(page.locator("button:text-is('Add a section')"))
    assert page.locator("section.design-section").count() == 2
    follow(page.locator("section.design-section").nth(1).locator("a:text-is('Edit section')"))
    page.fill("#section-form [name=title]", "Your experience")
    follow(page.locator("#section-form button.primary"))

    def new_question(section: int, kind: str, fields: dict[str, str], required: bool = False,
                     audit_as: str | None = None) -> None:
        page.goto(questions_url)
        block = page.locator("section.design-section").nth(section)
        block.locator("select[name=type]").select_option(kind)
        follow(block.locator("button:text-is('Add to this section')"))
        if audit_as:
            audit.check(page, audit_as)
        for name, value in fields.items():
            page.fill(f"#question-form [name={name}]", value)
        if required:
            page.check("#question-form input[name=required]")
        follow(page.locator("#question-form button.primary"))
        assert page.url.startswith(questions_url), page.locator("main").inner_text()[:500]

    # Section 1: a required single choice with three choices, then a yes/no question.
    new_question(0, "single_choice", {"key": "role", "label": "What is your role?",
                                      "choices": "farmer | Farmer\nteacher | Teacher\nother | Another role"},
                 required=True, audit_as="new question")
    new_question(0, "yes_no", {"key": "dispute", "label": "Have you taken part in a dispute over water?"})
    # Section 2: a long text, with help.
    new_question(1, "long_text", {"key": "story", "label": "What happened, and how was it settled?",
                                  "help": "Leave out names."})
    items = page.locator("section.design-section li .q-meta code")
    assert items.all_inner_texts() == ["role", "dispute", "story"]
    assert "3 choices" in page.locator("li", has=page.locator("code:text-is('role')")).inner_text()

    # Skip logic: the story only when she took part in a dispute.
    story = page.locator("li", has=page.locator("code:text-is('story')"))
    follow(story.locator("a", has_text="Skip logic"))
    audit.check(page, "skip logic")
    page.select_option("#logic-form select[name='rows-0-question']", "dispute")
    page.select_option("#logic-form select[name='rows-0-operator']", "equals")
    page.fill("#logic-form input[name='rows-0-value']", "yes")
    follow(page.locator("#logic-form button.primary"))
    assert page.url == questions_url
    assert "conditional" in page.locator("li", has=page.locator("code:text-is('story')")).inner_text()
    audit.check(page, "questions")

    # Settings: an introduction, and French as a second language.
    page.goto(f"{base}/design/{cid}/")
    audit.check(page, "settings")
    page.fill("#settings [name=introduction]", "Tell us how access to water shapes peace where you live.")
    page.fill("#settings [name=languages]", "en, fr")
    follow(page.locator("#settings button.primary"))
    assert "The settings were saved." in page.content()

    # Publishing now is refused: the French texts are missing, and the page says which.
    page.goto(f"{base}/design/{cid}/publish")
    audit.check(page, "publish (problems)")
    follow(page.locator("button:text-is('Open it to respondents')"))
    refusal = page.locator(".error-summary[role=alert]")
    assert refusal.is_visible()
    problems = refusal.locator("ul.problems li").all_inner_texts()
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"Français: {len(FRENCH)} texts are not written yet"), problems
    assert "Question “role”" in problems[0]
    audit.check(page, "publish refused")
    session.expire_all()
    assert session.exec(select(Consultation.state).where(Consultation.slug == SLUG)).one() == "draft"

    # The side-by-side screen: every English text with its French beside it.
    page.goto(f"{base}/design/{cid}/translations")
    audit.check(page, "translations")
    follow(page.locator(f"a[href='/design/{cid}/translations/fr']"))
    audit.check(page, "translate (empty)")
    assert "0% written" in page.locator(".completeness-figure").inner_text()
    rows = page.locator("#translate-form table.side-by-side tbody tr")
    assert rows.count() == len(FRENCH)
    for index in range(rows.count()):
        row = rows.nth(index)
        source = row.locator("td div[lang=en]").inner_text().strip()
        assert source in FRENCH, source
        row.locator("textarea").fill(FRENCH[source])
    follow(page.locator("#translate-form button.primary"))
    assert f"{len(FRENCH)} texts were saved." in page.content()
    assert "100% written" in page.locator(".completeness-figure").inner_text()
    audit.check(page, "translate (complete)")

    # Now it publishes, and lands on the sharing page with the public link.
    page.goto(f"{base}/design/{cid}/publish")
    assert page.locator(".error-summary").count() == 0
    follow(page.locator("button:text-is('Open it to respondents')"))
    assert page.url == f"{base}/design/{cid}/share"
    audit.check(page, "share")
    link = page.input_value("#public-link")
    assert link == f"{base}/c/{SLUG}"

    # A respondent, in a browser of her own, switches to French and answers.
    visitor = page_for(javascript=False)
    visitor.goto(link)
    assert visitor.locator("h1").inner_text() == "Water and peace"
    follow(visitor.locator("button[name=_switch_lang][value=fr]"))
    assert visitor.locator("html").get_attribute("lang") == "fr"
    assert visitor.locator("h1").inner_text() == "Eau et paix"
    audit.check(visitor, "respondent consent (fr)")
    visitor.check("input[name=_consent]")
    follow(visitor.locator("button.primary"))
    assert visitor.locator("h1").inner_text() == "À propos de vous"
    assert "Enseignante ou enseignant" in visitor.locator("main").inner_text()
    visitor.check("input[name=q-role][value=teacher]")
    visitor.check("input[name=q-dispute][value=yes]")
    audit.check(visitor, "respondent section 1 (fr)")
    follow(visitor.locator("button.primary"))
    assert visitor.locator("h1").inner_text() == "Votre expérience"  # shown: she answered yes
    assert "N'indiquez aucun nom." in visitor.locator("main").inner_text()
    visitor.fill("textarea[name=q-story]", STORY)
    audit.check(visitor, "respondent section 2 (fr)")
    follow(visitor.locator("button.primary"))
    code = visitor.locator("p.code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", code)
    assert visitor.locator("html").get_attribute("lang") == "fr"
    audit.check(visitor, "receipt (fr)")

    assert len(audit.found) == 18
    assert not audit.problems(), "\n".join(audit.problems())

    # Exactly one response, in French, with her three answers.
    session.expire_all()
    consultation = session.exec(select(Consultation).where(Consultation.slug == SLUG)).one()
    assert consultation.state == "open" and consultation.languages == ["en", "fr"]
    responses = session.exec(select(Response).where(Response.consultation_id == consultation.id)).all()
    assert [r.language for r in responses] == ["fr"]
    answers = dict(
        session.exec(
            select(Question.key, Answer.value).join(Answer, Answer.question_id == Question.id)
            .where(Answer.response_id == responses[0].id)
        ).all()
    )
    assert answers == {"role": "teacher", "dispute": "yes", "story": STORY}
    story = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                Question.key == "story")).one()
    assert story.relevance == {"op": "equals", "question": "dispute", "value": "yes"}
    assert session.exec(select(Response)).all() == responses  # the demo's consultation got nothing
