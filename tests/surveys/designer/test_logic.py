"""Skip logic edited without JavaScript: rows of question, comparison and value, checked on
save with surveys.logic.validate_logic; refusals name the question and keep what was typed."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import Question, Section
from tests.formclient import open_form
from tests.surveys.designer.conftest import page, post, text


def ids(session, cid):
    return {q.key: q.id for q in session.exec(select(Question).where(Question.consultation_id == cid))}


def logic_page(client, cid, qid):
    return page(client, f"/design/{cid}/logic/question/{qid}", "logic-form")


def test_condition_is_saved_as_data_and_evaluated_on_the_server(designer, session, arrange):
    cid = arrange(languages=["en"], title={"en": "Logic"})
    q = ids(session, cid)
    form = logic_page(designer, cid, q["story"])
    assert [o for o in ("role", "years") if f'value="{o}"' in form.html] == ["role", "years"]
    response = form.send(**{"rows-0-question": "role", "rows-0-operator": "equals", "rows-0-value": "mediator",
                            "rows-1-question": "years", "rows-1-operator": "greater", "rows-1-value": "4",
                            "combine": "all"})
    assert response.status_code == 302, text(response)
    session.expire_all()
    assert session.get(Question, q["story"]).relevance == {
        "all": [{"op": "equals", "question": "role", "value": "mediator"},
                {"op": "greater", "question": "years", "value": 4}]
    }
    # The form shows it back as rows.
    form = logic_page(designer, cid, q["story"])
    assert form.fields["rows-1-value"] == "4" and form.fields["rows-0-question"] == "role"

    # In the preview, the story question appears only for a mediator with more than 4 years.
    preview = open_form(designer, f"/design/{cid}/preview/en").fill(_consent="yes").press("_action", "next")
    assert "q-story" not in preview.html
    preview = preview.fill(q_role="mediator", q_years="9").press("_action", "submit")
    assert "Your answers opened new questions below." in preview and "q-story" in preview.fields


def test_negated_any_of_and_answered(designer, session, arrange):
    cid = arrange(languages=["en"], title={"en": "Logic"})
    q = ids(session, cid)
    response = logic_page(designer, cid, q["story"]).send(
        combine="any", negate="y",
        **{"rows-0-question": "role", "rows-0-operator": "any_of", "rows-0-value": "activist, mediator",
           "rows-1-question": "years", "rows-1-operator": "not_answered"},
    )
    assert response.status_code == 302, text(response)
    session.expire_all()
    assert session.get(Question, q["story"]).relevance == {"not": {"any": [
        {"op": "any_of", "question": "role", "values": ["activist", "mediator"]},
        {"op": "not_answered", "question": "years"},
    ]}}


def test_a_forward_reference_is_refused_naming_the_question_and_keeping_the_rows(designer, session, arrange):
    cid = arrange(languages=["en"], title={"en": "Logic"})
    q = ids(session, cid)
    form = logic_page(designer, cid, q["role"])
    # The form offers only earlier questions; a crafted or stale form can still send a later one.
    assert 'value="years"' not in form.html
    form.fields["rows-0-question"] = "years"
    response = form.send(**{"rows-0-operator": "equals", "rows-0-value": "12"})
    assert response.status_code == 400
    html = text(response)
    assert "Question “role”: it refers to years, which comes later in the form" in html
    assert 'value="12"' in html  # what was typed is still there
    session.expire_all()
    assert session.get(Question, q["role"]).relevance is None


def test_a_cycle_is_refused_naming_both_questions(designer, session, arrange):
    cid = arrange(languages=["en"], title={"en": "Logic"})
    q = ids(session, cid)
    ok = logic_page(designer, cid, q["years"]).send(
        **{"rows-0-question": "role", "rows-0-operator": "equals", "rows-0-value": "activist"})
    assert ok.status_code == 302
    form = logic_page(designer, cid, q["role"])
    form.fields["rows-0-question"] = "years"
    response = form.send(**{"rows-0-operator": "answered"})
    assert response.status_code == 400
    assert "Question “role”: it refers to years, which itself depends on role: that is a cycle" in text(response)
    # A question cannot depend on itself either.
    form = logic_page(designer, cid, q["years"])
    form.fields["rows-0-question"] = "years"
    response = form.send(**{"rows-0-operator": "answered"})
    assert "Question “years”: it refers to itself (years)" in text(response)


def test_values_are_checked_against_the_question(designer, session, arrange):
    cid = arrange(languages=["en"], title={"en": "Logic"})
    q = ids(session, cid)
    response = logic_page(designer, cid, q["story"]).send(
        **{"rows-0-question": "role", "rows-0-operator": "equals", "rows-0-value": "minister"})
    assert response.status_code == 400
    assert "Question “story”: role has no choice minister" in text(response)
    response = logic_page(designer, cid, q["story"]).send(
        **{"rows-0-question": "role", "rows-0-operator": "greater", "rows-0-value": "3"})
    assert "“is greater than” compares numbers, and role is a “One choice” question" in text(response)
    response = logic_page(designer, cid, q["story"]).send(
        **{"rows-0-question": "years", "rows-0-operator": "less", "rows-0-value": "many"})
    assert "Line 1: “many” is not a number." in text(response)
    assert 'value="many"' in text(response)


def test_section_logic_and_moves_that_would_break_logic(designer, session, arrange):
    cid = arrange(languages=["en"], title={"en": "Logic"}, sections=[
        {"title": {"en": "One"}, "questions": [
            {"key": "involved", "type": "yes_no", "label": {"en": "Involved?"}},
            {"key": "detail", "type": "short_text", "label": {"en": "Details"},
             "relevance": {"op": "equals", "question": "involved", "value": "yes"}},
        ]},
        {"title": {"en": "Two"}, "questions": [{"key": "later", "type": "short_text", "label": {"en": "Later"}}]},
    ])
    q = ids(session, cid)
    second = session.exec(select(Section).where(Section.consultation_id == cid, Section.position == 1)).one()
    response = page(designer, f"/design/{cid}/logic/section/{second.id}", "logic-form").send(
        **{"rows-0-question": "involved", "rows-0-operator": "equals", "rows-0-value": "YES"})
    assert response.status_code == 302, text(response)
    session.expire_all()
    assert session.get(Section, second.id).relevance == {"op": "equals", "question": "involved", "value": "yes"}

    # Moving "detail" above the question it depends on is refused with the reason.
    response = post(designer, f"/design/{cid}/questions/{q['detail']}/move", direction="up")
    listing = text(designer.get(response.headers["Location"]))
    assert "Question “detail”: it refers to involved, which comes later in the form" in listing
    # Moving the second section above the first is refused too.
    post(designer, f"/design/{cid}/sections/{second.id}/move", direction="up")
    assert "Section 1: it refers to involved, which comes later in the form" in text(designer.get(f"/design/{cid}/questions"))
    session.expire_all()
    assert [s.position for s in session.exec(select(Section).where(Section.consultation_id == cid)
                                             .order_by(Section.id))] == [0, 1]
    # Deleting the question others depend on is refused.
    post(designer, f"/design/{cid}/questions/{q['involved']}/delete")
    assert "it refers to a question that does not exist: involved" in text(designer.get(f"/design/{cid}/questions"))
    assert session.get(Question, q["involved"]) is not None
