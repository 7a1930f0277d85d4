"""Sections and questions: ordered, movable without JavaScript, and protected once answers exist."""

from __future__ import annotations

import pytest
from sqlmodel import select

from surveys.models import Choice, Question, Section
from tests.surveys.designer.conftest import page, post, text


def questions(session, cid) -> dict[str, Question]:
    session.expire_all()
    return {q.key: q for q in session.exec(select(Question).where(Question.consultation_id == cid))}


def order(session, cid) -> list[list[str]]:
    session.expire_all()
    sections = session.exec(select(Section).where(Section.consultation_id == cid).order_by(Section.position)).all()
    return [[q.key for q in s.questions] for s in sections]


def edit(client, cid, qid, **values):
    return page(client, f"/design/{cid}/questions/{qid}", "question-form").send(**values)


def test_move_buttons_reorder_within_and_across_sections(designer, session, arrange):
    cid = arrange()
    q = questions(session, cid)
    assert post(designer, f"/design/{cid}/questions/{q['role'].id}/move", direction="down").status_code == 302
    assert order(session, cid) == [["years", "role", "story"]]
    assert post(designer, f"/design/{cid}/sections").status_code == 302
    post(designer, f"/design/{cid}/questions/{q['story'].id}/move", direction="down")
    assert order(session, cid) == [["years", "role"], ["story"]]
    post(designer, f"/design/{cid}/questions/{q['story'].id}/move", direction="down")
    assert "This question is already last." in text(designer.get(f"/design/{cid}/questions"))
    post(designer, f"/design/{cid}/questions/{q['story'].id}/move", direction="up")
    assert order(session, cid) == [["years", "role", "story"], []]
    second = session.exec(select(Section).where(Section.consultation_id == cid, Section.position == 1)).one()
    post(designer, f"/design/{cid}/sections/{second.id}/move", direction="up")
    assert order(session, cid) == [[], ["years", "role", "story"]]
    # The question list shows them in that order, each with its move buttons.
    listing = text(designer.get(f"/design/{cid}/questions"))
    assert listing.index("<code>years</code>") < listing.index("<code>role</code>") < listing.index("<code>story</code>")
    assert listing.count('name="direction" value="up"') == 3 + 1


def test_sections_are_edited_and_deleted(designer, session, arrange):
    cid = arrange()
    section = session.exec(select(Section).where(Section.consultation_id == cid)).one()
    response = page(designer, f"/design/{cid}/sections/{section.id}", "section-form").send(
        title="Your work", description="About what you do.")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Section, section.id).title == {"en": "Your work", "fr": "Premier"}
    post(designer, f"/design/{cid}/sections/{section.id}/delete")
    assert order(session, cid) == []


def test_every_edit_is_allowed_before_responses(designer, session, arrange):
    cid = arrange(state="open", languages=["en"])
    q = questions(session, cid)
    # Type, key and choices all change freely while nobody has answered.
    assert edit(designer, cid, q["years"].id, type="short_text", key="years_text").status_code == 302
    assert edit(designer, cid, q["role"].id, choices="activist | Activist\nofficial | Official",
                required="y").status_code == 302
    # A change of type keeps the choices' translations (they follow their keys).
    assert edit(designer, cid, q["role"].id, type="multiple_choice").status_code == 302
    assert questions(session, cid)["role"].choices[0].label == {"en": "Activist", "fr": "Militante"}
    assert post(designer, f"/design/{cid}/questions/{q['story'].id}/delete").status_code == 302
    now = questions(session, cid)
    assert set(now) == {"role", "years_text"} and now["years_text"].type == "short_text"
    assert [c.key for c in now["role"].choices] == ["activist", "official"] and now["role"].required
    assert now["role"].type == "multiple_choice"


@pytest.fixture
def answered(arrange, respond, session):
    """An open consultation with one response: role=mediator, years=12, a story."""
    cid = arrange(state="open", languages=["en"])
    respond("draft-one", q_role="mediator", q_years="12", q_story="We met in the market.")
    return cid, questions(session, cid)


def test_edits_that_would_corrupt_answers_are_refused_and_keep_what_was_typed(designer, session, answered):
    cid, q = answered
    refusals = [
        ("role", {"type": "multiple_choice"}, "already has 1 answer, so its type cannot change"),
        ("role", {"key": "position"}, "already has answers, so its key cannot change"),
        ("role", {"choices": "activist | Activist"}, "cannot be removed or get a new key: mediator"),
        ("role", {"choices": "activist | Activist\nmediatrice | Mediator"}, "cannot be removed or get a new key: mediator"),
        ("years", {"max": "10"}, "1 answer already given would not fit these settings"),
        ("story", {"max_length": "5"}, "1 answer already given would not fit these settings"),
        ("years", {"required": "y"}, "an optional question cannot become required"),
    ]
    for key, change, message in refusals:
        response = edit(designer, cid, q[key].id, label="Typed but refused", **change)
        html = text(response)
        assert response.status_code == 400, (key, change)
        assert message in html, (key, change)
        assert "Typed but refused" in html  # the form keeps what was typed
    session.expire_all()
    role = session.get(Question, q["role"].id)
    assert (role.type, role.key, role.label["en"]) == ("single_choice", "role", "Your role")
    assert [c.key for c in role.choices] == ["activist", "mediator"]

    response = post(designer, f"/design/{cid}/questions/{q['years'].id}/delete")
    assert "already has 1 answer: it cannot be deleted" in text(designer.get(response.headers["Location"]))
    section = session.get(Section, q["years"].section_id)
    post(designer, f"/design/{cid}/sections/{section.id}/delete")
    assert "questions in it already have answers" in text(designer.get(f"/design/{cid}/questions"))
    assert set(questions(session, cid)) == {"role", "years", "story"}


def test_wording_fixes_new_choices_and_new_optional_questions_are_allowed(designer, session, answered):
    cid, q = answered
    assert edit(designer, cid, q["role"].id, label="Your main role",
                choices="activist | Activist (human rights)\nmediator | Mediator\nresearcher | Researcher",
                ).status_code == 302
    assert edit(designer, cid, q["years"].id, max="80").status_code == 302  # wider is fine
    add = f"/design/{cid}/sections/{q['role'].section_id}/questions/new?type=yes_no"
    refused = page(designer, add, "question-form").send(key="funded", label="Funded?", required="y")
    assert refused.status_code == 400
    assert "earlier respondents could not answer this, so it must stay optional" in text(refused)
    assert page(designer, add, "question-form").send(key="funded", label="Funded?").status_code == 302
    now = questions(session, cid)
    assert now["role"].label["en"] == "Your main role"
    assert [c.key for c in session.exec(select(Choice).where(Choice.question_id == q["role"].id)
                                        .order_by(Choice.position))] == ["activist", "mediator", "researcher"]
    assert now["years"].options["max"] == 80 and "funded" in now


def test_bad_question_input_is_explained_per_field(designer, session, arrange):
    cid = arrange()
    q = questions(session, cid)
    add = f"/design/{cid}/sections/{q['role'].section_id}/questions/new?type=rating"
    response = page(designer, add, "question-form").send(key="2bad key", label="", min="5", max="3")
    html = text(response)
    assert response.status_code == 400
    assert "A key is a short name of letters, digits and underscores" in html
    assert "Please write the question&#39;s text." in html or "Please write the question's text." in html
    assert "A scale goes from 0 or more up to a larger number" in html
    assert 'value="2bad key"' in html and 'aria-invalid="true"' in html
    response = page(designer, add, "question-form").send(key="role", label="Again")
    assert "Another question already uses the key “role”." in text(response)
    response = edit(designer, cid, q["role"].id, choices="a | One\na | Two\nwith space | Three")
    html = text(response)
    assert "The key “a” is used twice." in html and "“with space” cannot be a key" in html
