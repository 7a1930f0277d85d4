"""The respondent path keeps each consultation's definition per process (surveys.services.get_consultation):
any change to it, made anywhere, must show on the next request."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import Choice, Consultation, Question, Section


def _edit(session, model, **where_and_set):
    values = where_and_set.pop("set")
    row = session.exec(select(model).filter_by(**where_and_set)).first()
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.commit()


def test_a_designer_edit_shows_on_the_next_request(client, session, make_consultation):
    slug = make_consultation()
    page = open_first_section(client, slug)
    assert "Your story" in page

    _edit(session, Question, key="story", set={"label": {"en": "Tell us what happened", "fr": "Racontez"}})
    assert "Tell us what happened" in open_first_section(client, slug)

    _edit(session, Section, position=0, set={"title": {"en": "Renamed section"}})
    assert "Renamed section" in open_first_section(client, slug)


def test_a_new_question_and_choice_show_on_the_next_request(client, session, make_consultation):
    slug = make_consultation()
    open_first_section(client, slug)
    question = session.exec(select(Question).where(Question.key == "story")).one()
    added = Question(consultation_id=question.consultation_id, section_id=question.section_id, position=1,
                     key="where", type="single_choice", label={"en": "Where do you live?"})
    session.add(added)
    session.flush()
    session.add(Choice(question_id=added.id, position=0, key="north", label={"en": "In the north"}))
    session.commit()
    page = open_first_section(client, slug)
    assert "Where do you live?" in page
    assert "In the north" in page


def test_closing_or_unpublishing_takes_effect_at_once(client, session, make_consultation):
    slug = make_consultation()
    assert client.get(f"/c/{slug}").status_code == 200
    _edit(session, Consultation, slug=slug, set={"state": "closed"})
    assert client.get(f"/c/{slug}").status_code == 410
    _edit(session, Consultation, slug=slug, set={"state": "draft"})
    assert client.get(f"/c/{slug}").status_code == 404
    _edit(session, Consultation, slug=slug, set={"state": "open"})
    assert client.get(f"/c/{slug}").status_code == 200
    session.delete(session.exec(select(Consultation).where(Consultation.slug == slug)).one())
    session.commit()
    assert client.get(f"/c/{slug}").status_code == 404


def open_first_section(client, slug: str) -> str:
    from tests.formclient import open_form

    page = open_form(client, f"/c/{slug}?lang=en").fill(_consent="yes").press("_action", "next")
    assert page.status == 200
    return page.html
