"""A designer's work in Chromium with JavaScript off, end to end.

The journey: a consultation built from nothing (a title, a second section, three questions,
one of single choice, one shown only under a condition), declared in four languages and
translated on the side-by-side screen (Arabic right to left), previewed in Spanish and Arabic
without a response being stored, refused then published; respondents answer in French and
Arabic, and the database holds exactly their answers; the designer closes it, and the link
then tells a Spanish and an Arabic respondent so in their language.

The import: an XLSForm made with KoboToolbox conventions becomes a draft with its groups,
languages and logic; a form with a repeat is refused with the sheet and row of the problem.

Every main page visited (33 of them) passes axe-core's WCAG 2.1 A/AA."""

from __future__ import annotations

import re

from sqlmodel import func, select

from surveys.models import Answer, Consultation, Question, Response, Section
from tests.conftest import STAFF_PASSWORD
from tests.e2e.conftest import axe_violations
from tests.surveys.xlsform_forms import KOBO_CHOICES, KOBO_SETTINGS, KOBO_SURVEY, workbook

SLUG = "water-peace-2026"
DESIGNER = "designer@example.org"

#: Every English text of the consultation and its translations, written on the side-by-side screen.
TRANSLATIONS = {
    "fr": {
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
    },
    "es": {
        "Water and peace": "Agua y paz",
        "Tell us how access to water shapes peace where you live.": "Cuéntenos cómo el acceso al agua influye "
                                                                     "en la paz donde usted vive.",
        "About you": "Sobre usted",
        "Your experience": "Su experiencia",
        "What is your role?": "¿Cuál es su función?",
        "Farmer": "Agricultora o agricultor",
        "Teacher": "Docente",
        "Another role": "Otra función",
        "Have you taken part in a dispute over water?": "¿Ha participado en una disputa por el agua?",
        "What happened, and how was it settled?": "¿Qué ocurrió y cómo se resolvió?",
        "Leave out names.": "No indique nombres.",
    },
    "ar": {
        "Water and peace": "الماء والسلام",
        "Tell us how access to water shapes peace where you live.": "أخبرونا كيف يؤثر الوصول إلى الماء "
                                                                     "في السلام حيث تعيشون.",
        "About you": "معلومات عنك",
        "Your experience": "تجربتك",
        "What is your role?": "ما دورك؟",
        "Farmer": "مزارعة أو مزارع",
        "Teacher": "معلمة أو معلم",
        "Another role": "دور آخر",
        "Have you taken part in a dispute over water?": "هل شاركت في نزاع على الماء؟",
        "What happened, and how was it settled?": "ماذا حدث، وكيف سُوّي النزاع؟",
        "Leave out names.": "لا تذكر أي أسماء.",
    },
}
FRENCH, SPANISH, ARABIC = TRANSLATIONS["fr"], TRANSLATIONS["es"], TRANSLATIONS["ar"]
STORY = "Le comité du village a partagé le puits entre les deux quartiers."
CLOSED_EN = "This consultation is closed and no longer accepts answers. Thank you for your interest."
CLOSED = {
    "es": "Esta consulta está cerrada y ya no acepta respuestas. Gracias por su interés.",
    "ar": "هذه المشاورة مغلقة ولم تعد تقبل إجابات. شكرًا لاهتمامكم.",
}


def follow(locator):
    """Click a link or button and wait for the page it leads to (forms post without JavaScript);
    returns that page's HTTP response."""
    with locator.page.expect_navigation() as navigation:
        locator.click()
    return navigation.value


def direction(locator) -> str:
    """The computed CSS direction of an element ("ltr" or "rtl")."""
    return locator.evaluate("element => getComputedStyle(element).direction")


def response_count(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Response)).one()


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
        assert where not in self.found, where
        self.html = page.content()
        self.page.goto(page.url)
        assert self.page.title() == page.title(), where
        self.found[where] = axe_violations(self.page)

    def problems(self) -> list[str]:
        return [f"{where}: {line}" for where, lines in self.found.items() for line in lines]


def sign_in(page, base: str, audit: Auditor | None = None) -> None:
    page.goto(f"{base}/staff/login?next=/design/")
    if audit:
        audit.check(page, "sign-in")
    page.fill("input[name=email]", DESIGNER)
    page.fill("input[name=password]", STAFF_PASSWORD)
    follow(page.locator("button.primary"))
    assert page.url == f"{base}/design/"


def test_a_designer_builds_translates_previews_publishes_and_closes_a_consultation_in_four_languages(
    live_server, page_for, make_user, session
):
    make_user(email=DESIGNER, roles=("designer",))
    audit = Auditor(page_for)
    page = page_for(javascript=False)
    base = live_server

    sign_in(page, base, audit)
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

    # Settings: an introduction, and three more languages: French, Spanish and Arabic.
    page.goto(f"{base}/design/{cid}/")
    audit.check(page, "settings")
    page.fill("#settings [name=introduction]", "Tell us how access to water shapes peace where you live.")
    page.fill("#settings [name=languages]", "en, fr, es, ar")
    follow(page.locator("#settings button.primary"))
    assert "The settings were saved." in page.content()

    # Publishing now is refused: the translations are missing, and the page says which, per language.
    page.goto(f"{base}/design/{cid}/publish")
    audit.check(page, "publish (problems)")
    assert follow(page.locator("button:text-is('Open it to respondents')")).status == 400
    refusal = page.locator(".error-summary[role=alert]")
    assert refusal.is_visible()
    problems = refusal.locator("ul.problems li").all_inner_texts()
    assert len(problems) == 3, problems
    for problem, name in zip(problems, ["Français", "Español", "العربية"], strict=True):
        assert problem.startswith(f"{name}: {len(FRENCH)} texts are not written yet"), problems
        assert "Question “role”" in problem
    audit.check(page, "publish refused")
    session.expire_all()
    assert session.exec(select(Consultation.state).where(Consultation.slug == SLUG)).one() == "draft"

    # The side-by-side screen, once per language: every English text with its translation beside it.
    for lang, texts in TRANSLATIONS.items():
        page.goto(f"{base}/design/{cid}/translations")
        if lang == "fr":
            audit.check(page, "translations")
        follow(page.locator(f"a[href='/design/{cid}/translations/{lang}']"))
        if lang == "fr":
            audit.check(page, "translate (empty)")
        assert "0% written" in page.locator(".completeness-figure").inner_text()
        rows = page.locator("#translate-form table.side-by-side tbody tr")
        assert rows.count() == len(texts)
        for index in range(rows.count()):
            row = rows.nth(index)
            source = row.locator("td div[lang=en]").inner_text().strip()
            assert source in texts, source
            box = row.locator("textarea")
            assert box.get_attribute("lang") == lang
            # Arabic is typed right to left beside English, which stays left to right.
            assert direction(box) == ("rtl" if lang == "ar" else "ltr"), (lang, source)
            assert direction(row.locator("td div[lang=en]")) == "ltr"
            box.fill(texts[source])
        follow(page.locator("#translate-form button.primary"))
        assert f"{len(texts)} texts were saved." in page.content()
        assert "100% written" in page.locator(".completeness-figure").inner_text()
        assert page.locator("#translate-form textarea").first.input_value() in texts.values()
        audit.check(page, f"translate (complete, {lang})")
    page.goto(f"{base}/design/{cid}/translations")
    written = page.locator("table.completeness tbody td:has(meter)").all_inner_texts()
    assert [figure.strip() for figure in written] == ["100% (11 of 11)"] * 4

    # The preview in Spanish, from the translations table, all the way through: nothing is stored.
    before = response_count(session)
    follow(page.locator(f"a[href='/design/{cid}/preview/es']"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator(".preview-banner").is_visible()
    assert page.locator("h1").inner_text() == SPANISH["Water and peace"]
    assert SPANISH["Tell us how access to water shapes peace where you live."] in page.locator("main").inner_text()
    audit.check(page, "preview consent (es)")
    page.check("input[name=_consent]")
    follow(page.locator("button.primary"))
    assert page.locator("h1").inner_text() == SPANISH["About you"]
    main = page.locator("main").inner_text()
    for english in ("What is your role?", "Farmer", "Teacher", "Another role",
                    "Have you taken part in a dispute over water?"):
        assert SPANISH[english] in main
        assert english not in main
    page.check("input[name=q-role][value=farmer]")
    page.check("input[name=q-dispute][value=yes]")
    follow(page.locator("button.primary"))
    assert page.locator("h1").inner_text() == SPANISH["Your experience"]
    assert SPANISH["Leave out names."] in page.locator("main").inner_text()
    page.fill("textarea[name=q-story]", "Nadie debe guardar esto.")
    follow(page.locator("button.primary"))
    assert page.locator(f"a.primary[href='/design/{cid}/preview/es']").count() == 1  # "start the preview again"
    assert page.url == f"{base}/design/{cid}/preview/es"
    assert page.locator("p.code").count() == 0  # no receipt code in the preview
    audit.check(page, "preview done (es)")
    assert response_count(session) == before

    # The preview in Arabic: right to left, Arabic texts, and still nothing stored.
    page.goto(f"{base}/design/{cid}/preview/ar")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").evaluate("html => getComputedStyle(html).direction") == "rtl"
    assert page.locator("h1").inner_text() == ARABIC["Water and peace"]
    audit.check(page, "preview consent (ar)")
    page.check("input[name=_consent]")
    follow(page.locator("button.primary"))
    assert page.locator("h1").inner_text() == ARABIC["About you"]
    assert ARABIC["Have you taken part in a dispute over water?"] in page.locator("main").inner_text()
    assert direction(page.locator("main")) == "rtl"
    audit.check(page, "preview section 1 (ar)")
    page.check("input[name=q-role][value=other]")
    page.check("input[name=q-dispute][value=no]")
    follow(page.locator("button.primary"))  # no dispute: the story's section is never shown
    assert page.locator("textarea[name=q-story]").count() == 0
    assert page.locator(f"a.primary[href='/design/{cid}/preview/ar']").count() == 1
    assert page.locator("p.code").count() == 0
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert response_count(session) == before

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

    # Another, whose browser asks for Arabic, gets the form in Arabic right away and answers.
    arabic = page_for(javascript=False, locale="ar")
    arabic.goto(link)
    assert arabic.locator("html").get_attribute("lang") == "ar"
    assert arabic.locator("html").evaluate("html => getComputedStyle(html).direction") == "rtl"
    assert arabic.locator("h1").inner_text() == ARABIC["Water and peace"]
    audit.check(arabic, "respondent consent (ar)")
    arabic.check("input[name=_consent]")
    follow(arabic.locator("button.primary"))
    assert arabic.locator("h1").inner_text() == ARABIC["About you"]
    assert ARABIC["Farmer"] in arabic.locator("main").inner_text()
    arabic.check("input[name=q-role][value=farmer]")
    arabic.check("input[name=q-dispute][value=no]")
    follow(arabic.locator("button.primary"))
    # No dispute: the story's section has nothing to ask, so that page was the last one.
    assert arabic.locator("textarea[name=q-story]").count() == 0
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", arabic.locator("p.code").inner_text().strip())
    assert arabic.locator("html").get_attribute("dir") == "rtl"
    audit.check(arabic, "receipt (ar)")

    # Exactly two responses, in French and Arabic, with their answers.
    session.expire_all()
    consultation = session.exec(select(Consultation).where(Consultation.slug == SLUG)).one()
    assert consultation.state == "open" and consultation.languages == ["en", "fr", "es", "ar"]
    assert consultation.title == {"en": "Water and peace", "fr": "Eau et paix", "es": "Agua y paz",
                                  "ar": "الماء والسلام"}
    responses = session.exec(select(Response).where(Response.consultation_id == consultation.id)).all()
    assert sorted(r.language for r in responses) == ["ar", "fr"]

    def answers_of(response: Response) -> dict:
        return dict(session.exec(
            select(Question.key, Answer.value).join(Answer, Answer.question_id == Question.id)
            .where(Answer.response_id == response.id)
        ).all())

    by_language = {r.language: answers_of(r) for r in responses}
    assert by_language == {"fr": {"role": "teacher", "dispute": "yes", "story": STORY},
                           "ar": {"role": "farmer", "dispute": "no"}}
    story = session.exec(select(Question).where(Question.consultation_id == consultation.id,
                                                Question.key == "story")).one()
    assert story.relevance == {"op": "equals", "question": "dispute", "value": "yes"}
    assert session.exec(select(Response)).all() == responses  # the demo's consultation got nothing

    # The designer closes it from the settings page.
    page.goto(f"{base}/design/{cid}/")
    assert "2 responses so far." in page.locator("main").inner_text()
    follow(page.locator("button:text-is('Close it')"))
    assert page.url == f"{base}/design/{cid}/"
    assert "The consultation is now: Closed." in page.locator("main").inner_text()
    assert page.locator("h1 .state").inner_text() == "Closed"
    assert page.locator("button:text-is('Close it')").count() == 0
    assert page.locator("a:text-is('Reopen…')").is_visible()
    audit.check(page, "settings (closed)")
    session.expire_all()
    assert session.exec(select(Consultation.state).where(Consultation.id == cid)).one() == "closed"

    # Its link now says so, in each respondent's language, with 410 Gone.
    for lang in ("es", "ar"):
        respondent = page_for(javascript=False, locale=lang)
        reply = respondent.goto(link)
        assert reply.status == 410
        assert respondent.locator("html").get_attribute("lang") == lang
        assert respondent.locator("h1").inner_text() == TRANSLATIONS[lang]["Water and peace"]
        message = respondent.locator("main p").inner_text().strip()
        assert message == CLOSED[lang] and message != CLOSED_EN
        assert respondent.locator("input[name=_consent]").count() == 0
        assert respondent.locator("html").evaluate("html => getComputedStyle(html).direction") == (
            "rtl" if lang == "ar" else "ltr")
        audit.check(respondent, f"closed ({lang})")
    # The Arabic respondent who answered earlier cannot send a second response either.
    assert arabic.goto(link).status == 410
    assert response_count(session) == 2

    assert len(audit.found) == 29, sorted(audit.found)
    assert not audit.problems(), "\n".join(audit.problems())


#: A KoboToolbox form (tests.surveys.xlsform_forms) in two groups, with an age question added.
KOBO_WIDTH = len(KOBO_SURVEY[0])


def kobo_row(*cells: str) -> list[str]:
    return list(cells) + [""] * (KOBO_WIDTH - len(cells))


def kobo_group_survey() -> list[list[str]]:
    header = KOBO_SURVEY[0]
    assert header[:8] == ["type", "name", "$given_name", "label::English (en)", "label::Français (fr)",
                          "hint::English (en)", "hint::Français (fr)", "required"]
    age = kobo_row("integer", "age", "Age", "How old are you?", "Quel âge avez-vous ?", "In years.", "En années.",
                   "true")
    age[header.index("constraint")] = ". >= 0 and . <= 120"
    return [
        header,
        kobo_row("begin_group", "membership", "Membership", "Membership", "Adhésion",
                 "About the organisations you belong to.", "Sur les organisations dont vous êtes membre."),
        KOBO_SURVEY[1],  # select_one yes_no, required, with hints
        KOBO_SURVEY[2],  # select_one org_kind, relevant ${member} = 'yes'
        kobo_row("end_group"),
        kobo_row("begin_group", "activity", "Activity", "Your activity", "Votre activité"),
        age,
        KOBO_SURVEY[3],  # integer, . >= 0 and . <= 80
        KOBO_SURVEY[4],  # text multiline, relevant ${years} > 2
        kobo_row("end_group"),
    ]


def test_a_designer_imports_a_kobotoolbox_xlsform_and_a_form_with_a_repeat_is_refused(
    live_server, page_for, make_user, session, tmp_path
):
    make_user(email=DESIGNER, roles=("designer",))
    audit = Auditor(page_for)
    page = page_for(javascript=False)
    base = live_server
    sign_in(page, base)
    session.expire_all()
    consultations_before = session.exec(select(func.count()).select_from(Consultation)).one()

    # A form with a repeat: refused, with the sheet and row, on the import page (400, not 500).
    repeat = tmp_path / "household.xlsx"
    repeat.write_bytes(workbook(
        [KOBO_SURVEY[0], kobo_row("text", "village", "Village", "Village", "Village"),
         kobo_row("begin_repeat", "members", "Members", "Household members", "Membres du foyer"),
         kobo_row("text", "member_name", "Name", "Name", "Nom"),
         kobo_row("end_repeat")],
        KOBO_CHOICES, KOBO_SETTINGS,
    ))
    follow(page.locator("a:text-is('Import an XLSForm')"))
    assert page.url == f"{base}/design/import"
    audit.check(page, "import")
    page.set_input_files("#xlsform-form input[type=file]", str(repeat))
    reply = follow(page.locator("#xlsform-form button.primary"))
    assert reply.status == 400
    assert page.url == f"{base}/design/import"
    assert page.title().startswith("Error: Import an XLSForm")
    refusal = page.locator(".error-summary[role=alert]")
    assert "Nothing was imported" in refusal.inner_text()
    problems = refusal.locator("ul.problems li").all_inner_texts()
    assert len(problems) == 1, problems
    assert problems[0].startswith("sheet survey, row 3, column type (A):"), problems
    assert "repeat" in problems[0].lower() and "rows 3–5" in problems[0], problems
    assert page.locator("#xlsform-form").is_visible()
    audit.check(page, "import refused")
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Consultation)).one() == consultations_before

    # The KoboToolbox form: a draft with its two groups as sections, both languages and the logic.
    kobo = tmp_path / "kobo.xlsx"
    kobo.write_bytes(workbook(kobo_group_survey(), KOBO_CHOICES, KOBO_SETTINGS))
    page.set_input_files("#xlsform-form input[type=file]", str(kobo))
    page.fill("#xlsform-form [name=slug]", "kobo-network")
    reply = follow(page.locator("#xlsform-form button.primary"))
    assert reply.status == 200, page.locator("main").inner_text()[:800]
    main = page.locator("main").inner_text()
    assert "A draft was created at /c/kobo-network with 2 sections and 5 questions." in main
    assert "Languages: English, Français" in main
    audit.check(page, "import report")

    follow(page.locator("a:text-is('Open its questions')"))
    assert re.search(r"/design/\d+/questions$", page.url), page.url
    assert page.locator("h1 span[lang=en]").inner_text() == "Kobo network survey"
    assert page.locator("h1 .state").inner_text() == "Draft"
    blocks = page.locator("section.design-section")
    assert blocks.locator("h2").all_inner_texts() == ["Section 1: Membership", "Section 2: Your activity"]
    assert blocks.nth(0).locator(".q-meta code").all_inner_texts() == ["member", "org"]
    assert blocks.nth(1).locator(".q-meta code").all_inner_texts() == ["age", "years", "story"]

    def meta(key: str) -> str:
        return page.locator("li", has=page.locator(f"code:text-is('{key}')")).locator(".q-meta").inner_text()

    assert "required" in meta("member") and "conditional" not in meta("member")
    assert "conditional" in meta("org") and "2 choices" in meta("org")
    assert "required" in meta("age")
    assert "conditional" in meta("story")
    audit.check(page, "imported questions")

    session.expire_all()
    consultation = session.exec(select(Consultation).where(Consultation.slug == "kobo-network")).one()
    assert consultation.state == "draft"
    assert consultation.default_language == "en" and consultation.languages == ["en", "fr"]
    sections = session.exec(select(Section).where(Section.consultation_id == consultation.id)
                            .order_by(Section.position)).all()
    assert [s.title for s in sections] == [{"en": "Membership", "fr": "Adhésion"},
                                           {"en": "Your activity", "fr": "Votre activité"}]
    assert sections[0].description == {"en": "About the organisations you belong to.",
                                       "fr": "Sur les organisations dont vous êtes membre."}
    found = {q.key: q for q in session.exec(select(Question).where(Question.consultation_id == consultation.id))}
    assert {key: found[key].section_id for key in found} == {
        "member": sections[0].id, "org": sections[0].id,
        "age": sections[1].id, "years": sections[1].id, "story": sections[1].id,
    }
    member, org, age = found["member"], found["org"], found["age"]
    assert (member.type, member.required) == ("yes_no", True)
    assert member.label == {"en": "Member of an organisation?", "fr": "Membre d'une organisation ?"}
    assert member.help == {"en": "Any organisation counts.", "fr": "Toute organisation compte."}
    assert (org.type, org.required) == ("single_choice", False)
    assert org.relevance == {"op": "equals", "question": "member", "value": "yes"}
    assert [(c.key, c.label) for c in sorted(org.choices, key=lambda c: c.position)] == [
        ("local", {"en": "Local group", "fr": "Groupe local"}), ("ngo", {"en": "NGO", "fr": "ONG"})]
    assert (age.type, age.required, age.options) == ("number", True, {"integer": True, "min": 0, "max": 120})
    assert age.label == {"en": "How old are you?", "fr": "Quel âge avez-vous ?"}
    assert age.help == {"en": "In years.", "fr": "En années."}
    assert found["years"].options == {"integer": True, "min": 0, "max": 80}
    assert (found["story"].type, found["story"].relevance) == (
        "long_text", {"op": "greater", "question": "years", "value": 2})
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Consultation)).one() == consultations_before + 1

    assert len(audit.found) == 4, sorted(audit.found)
    assert not audit.problems(), "\n".join(audit.problems())
