"""The respondent's whole journey through the test client, in each of the four demo languages."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from surveys.models import Answer, Question, Response
from tests.formclient import open_form

# What a respondent sees in her language (from the shipped catalogs and the demo content).
LANGUAGES = {
    "en": {"dir": "ltr", "continue": "Continue", "consent_error": "Please confirm that you agree to take part.",
           "required": "Please answer this question.", "title": "Women, Peace and Security"},
    "fr": {"dir": "ltr", "continue": "Continuer", "consent_error": "Veuillez confirmer que vous acceptez de participer.",
           "required": "Veuillez répondre à cette question.", "title": "Femmes, paix et sécurité"},
    "es": {"dir": "ltr", "continue": "Continuar", "consent_error": "Confirme que acepta participar.",
           "required": "Por favor, responda a esta pregunta.", "title": "Mujeres, paz y seguridad"},
    "ar": {"dir": "rtl", "continue": "متابعة", "consent_error": "يُرجى تأكيد الموافقة على المشاركة.",
           "required": "يُرجى الإجابة عن هذا السؤال.", "title": "المرأة والسلام والأمن"},
}


def responses(session):
    return session.exec(select(Response)).all()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_journey_in_each_language(client, session, demo, lang):
    expected = LANGUAGES[lang]
    page = open_form(client, f"/c/{demo}?lang={lang}")
    assert page.status == 200
    assert f'<html lang="{lang}" dir="{expected["dir"]}">' in page.html
    assert expected["title"] in page
    assert expected["continue"] in page
    if lang != "en":
        assert ">Continue<" not in page.html

    # Consent comes first and is required.
    page = page.press("_action", "next")
    assert page.status == 400
    assert expected["consent_error"] in page
    page = page.fill(_consent="yes").press("_action", "next")
    assert page.status == 200

    # Section 1: the required question is enforced and what was typed is kept.
    page = page.fill(q_years_active="12").press("_action", "next")
    assert page.status == 400
    assert expected["required"] in page
    assert page.fields["q-years_active"] == "12"
    page = page.fill(q_role="peacebuilder").press("_action", "next")

    # Section 2, with a yes that opens the mediation section.
    page = page.fill(
        q_participation_text="Women were left out of the talks. My name is Zainab Okafor, call +254 712 345 678.",
        q_influence="2",
        q_mediation_involved="yes",
    ).press("_action", "next")
    assert "q-mediation_text" in page.fields
    page = page.fill(q_mediation_text="The local dialogue gave us a voice.", q_mediation_date="2019-05-01")
    page = page.press("_action", "next")
    page = page.fill(q_sgbv_text="Survivors need shelters.").press("_action", "next")
    page = page.fill(
        q_priorities=["participation", "funding"], **{"q-services-police": "unsafe", "q-support_ranking-access": "1"}
    ).press("_action", "next")
    page = page.fill(q_about_you_ok="yes").press("_action", "next")
    page = page.fill(q_region="west_africa", q_identity=["youth", "rural"]).press("_action", "submit")
    assert page.status == 200
    receipt = re.search(r'<p class="code"[^>]*>([0-9A-Z-]{24})</p>', page.html).group(1)

    stored = responses(session)
    assert len(stored) == 1
    response = stored[0]
    assert response.language == lang
    assert re.fullmatch(r"[0-9a-f]{32}", response.id)
    answers = {
        session.get(Question, a.question_id).key: a.value
        for a in session.exec(select(Answer).where(Answer.response_id == response.id))
    }
    assert answers["role"] == "peacebuilder"
    assert answers["years_active"] == 12
    assert answers["influence"] == 2
    assert answers["mediation_date"] == "2019-05-01"
    assert answers["priorities"] == ["participation", "funding"]
    assert answers["identity"] == ["youth", "rural"]
    assert answers["services"] == {"police": "unsafe"}
    assert answers["support_ranking"] == ["access"]
    assert "Women were left out of the talks." in answers["participation_text"]
    assert "Zainab" not in answers["participation_text"]
    assert "712 345 678" not in answers["participation_text"]

    # Withdrawal with the receipt deletes it.
    page = open_form(client, f"/c/{demo}/withdraw?lang={lang}")
    page = page.fill(receipt=receipt.lower().replace("-", " "))
    response_page = client.post(page.action, data=page.fields)
    assert response_page.status_code == 200
    session.expire_all()
    assert responses(session) == []
    assert session.exec(select(Answer)).all() == []


def test_skip_logic_drops_answers_to_questions_that_became_irrelevant(client, session, demo):
    page = open_form(client, f"/c/{demo}?lang=en").fill(_consent="yes").press("_action", "next")
    page = page.fill(q_role="activist").press("_action", "next")
    page = page.fill(q_mediation_involved="yes").press("_action", "next")
    page = page.fill(q_mediation_text="We mediated between two villages.").press("_action", "back")
    # Back on section 2, she changes her mind: the mediation section no longer applies.
    page = page.fill(q_mediation_involved="no").press("_action", "next")
    assert "q-sgbv_text" in page.fields
    page = page.press("_action", "next").press("_action", "next").press("_action", "submit")
    assert page.status == 200
    keys = {session.get(Question, a.question_id).key for a in session.exec(select(Answer))}
    assert "mediation_text" not in keys
    assert keys >= {"role", "mediation_involved"}


def test_language_switch_keeps_answers(client, demo):
    page = open_form(client, f"/c/{demo}?lang=en").fill(_consent="yes").press("_action", "next")
    page = page.fill(q_role="researcher", q_years_active="7").press("_switch_lang", "fr")
    assert '<html lang="fr" dir="ltr">' in page.html
    assert "À propos de votre travail" in page
    assert page.fields["q-years_active"] == "7"
    assert page.fields["q-role"] == "researcher"
    assert page.fields["_consent"] == "yes"


def test_invalid_answers_get_errors_and_keep_what_was_typed(client, session, demo):
    page = open_form(client, f"/c/{demo}?lang=es").fill(_consent="yes").press("_action", "next")
    page = page.fill(q_role="not-a-choice", q_years_active="doce").press("_action", "next")
    assert page.status == 400
    assert "Elija una de las opciones" in page
    assert "Introduzca un número" in page
    assert page.fields["q-years_active"] == "doce"
    assert 'href="#q-years_active"' in page.html  # the summary links to the field
    assert responses(session) == []


def test_number_accepts_arabic_indic_digits(client, session, demo):
    page = open_form(client, f"/c/{demo}?lang=ar").fill(_consent="yes").press("_action", "next")
    page = page.fill(q_role="activist", q_years_active="١٢").press("_action", "next")
    assert page.status == 200
    assert "q-participation_text" in page.fields


def test_overlong_text_is_refused_with_the_limit(client, demo):
    page = open_form(client, f"/c/{demo}?lang=en").fill(_consent="yes").press("_action", "next")
    page = page.fill(q_role="activist").press("_action", "next")
    page = page.fill(q_participation_text="x" * 5001).press("_action", "next")
    assert page.status == 400
    assert "5,000 characters or fewer" in page


def test_request_size_limit_gets_a_translated_page(client, demo):
    response = client.post(f"/c/{demo}?lang=fr", data={"q-participation_text": "x" * 300_000})
    assert response.status_code == 413
    assert "Trop de données" in response.get_data(as_text=True)


def test_expired_form_token_keeps_answers(app, demo):
    client = app.test_client()
    page = open_form(client, f"/c/{demo}?lang=fr").fill(_consent="yes").press("_action", "next")
    page = page.fill(q_role="activist", q_years_active="3")
    page.fields["csrf_token"] = "expired-or-forged"
    page = page.press("_action", "next")
    assert page.status == 400
    assert "vos réponses sont conservées" in page.html.lower()
    assert page.fields["q-years_active"] == "3"
    # A fresh token is on the page: sending again works.
    page = page.press("_action", "next")
    assert page.status == 200
    assert "q-participation_text" in page.fields


def test_double_submission_stores_one_response_and_shows_the_same_receipt(client, session, demo):
    page = open_form(client, f"/c/{demo}?lang=en").fill(_consent="yes").press("_action", "next")
    page = page.fill(q_role="activist").press("_action", "next")
    for _ in range(3):
        page = page.press("_action", "next")
    first = page.press("_action", "submit")
    second = page.press("_action", "submit")
    code = re.compile(r'<p class="code"[^>]*>([0-9A-Z-]+)</p>')
    assert code.search(first.html).group(1) == code.search(second.html).group(1)
    assert len(responses(session)) == 1


def test_language_choice_order(client, demo):
    """?lang=, then the cookie, then Accept-Language, then the default."""
    page = client.get(f"/c/{demo}", headers={"Accept-Language": "es-CO,es;q=0.9"})
    assert 'lang="es"' in page.get_data(as_text=True)
    page = client.get(f"/c/{demo}?lang=ar", headers={"Accept-Language": "es"})
    assert 'lang="ar"' in page.get_data(as_text=True)
    cookie = page.headers["Set-Cookie"]
    assert "consult_lang=ar" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie  # a session cookie only
    page = client.get(f"/c/{demo}", headers={"Accept-Language": "es"})
    assert 'lang="ar"' in page.get_data(as_text=True)
    client.delete_cookie("consult_lang")
    page = client.get(f"/c/{demo}", headers={"Accept-Language": "de, sw"})
    assert 'lang="en"' in page.get_data(as_text=True)


def test_withdraw_with_an_unknown_code_says_so(client, demo):
    page = open_form(client, f"/c/{demo}/withdraw?lang=fr")
    page = page.fill(receipt="AAAA-BBBB-CCCC-DDDD-EEEE")
    response = client.post(page.action, data=page.fields)
    assert response.status_code == 400
    assert "Aucune réponse ne correspond" in response.get_data(as_text=True)


def test_closed_consultation_says_so_in_her_language(client, make_consultation):
    slug = make_consultation(state="closed")
    response = client.get(f"/c/{slug}?lang=fr")
    assert response.status_code == 410
    assert "Cette consultation est fermée" in response.get_data(as_text=True)


def test_draft_and_unknown_consultations_are_not_found(client, make_consultation):
    slug = make_consultation(state="draft")
    assert client.get(f"/c/{slug}").status_code == 404
    assert client.get("/c/no-such-thing").status_code == 404


def test_a_section_whose_questions_are_all_hidden_is_skipped(client, session, make_consultation):
    slug = make_consultation(sections=[
        {"title": {"en": "About the dispute", "fr": "Le différend"}, "questions": [
            {"key": "dispute", "type": "yes_no", "required": True,
             "label": {"en": "Was there a dispute?", "fr": "Y a-t-il eu un différend ?"}},
        ]},
        {"title": {"en": "Your story", "fr": "Votre histoire"}, "questions": [
            {"key": "story", "type": "long_text", "label": {"en": "Tell us", "fr": "Racontez"},
             "relevance": {"op": "equals", "question": "dispute", "value": "yes"}},
        ]},
    ])
    page = open_form(client, f"/c/{slug}?lang=en").fill(_consent="yes").press("_action", "next")
    # Unanswered, the question hides the second section: this page is the last one.
    assert ("_action", "submit") in [b[:2] for b in page.buttons]
    page = page.fill(q_dispute="no").press("_action", "submit")
    assert page.status == 200 and "Your story" not in page
    assert len(responses(session)) == 1
    # "Yes" opens the second section: "Submit" leads to it and says why, nothing is stored yet.
    page = open_form(client, f"/c/{slug}?lang=en").fill(_consent="yes").press("_action", "next")
    page = page.fill(q_dispute="yes").press("_action", "submit")
    assert "Your story" in page and "q-story" in page.fields
    assert "Your answers opened more questions on this page." in page
    assert len(responses(session)) == 1
    page = page.fill(q_story="We met at the well.").press("_action", "submit")
    assert page.status == 200 and len(responses(session)) == 2
