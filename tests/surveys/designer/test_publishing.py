"""The state machine (draft -> open -> closed -> archived, closed -> open), publishing checks,
the settings editor, duplication and deletion of drafts."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import Answer, Consultation, Question, Response
from tests.surveys.designer.conftest import page, post, text


def state(session, cid) -> str:
    session.expire_all()
    return session.get(Consultation, cid).state


def test_publishing_refuses_with_the_list_of_problems(designer, session, arrange):
    cid = arrange(sections=[{"questions": [
        {"key": "role", "type": "single_choice", "label": {"en": "Your role", "fr": "Votre rôle"}},
        {"key": "story", "type": "long_text", "label": {"en": "Your story"},
         "relevance": {"op": "equals", "question": "later", "value": "yes"}},
        {"key": "later", "type": "yes_no", "label": {"en": "Later", "fr": "Plus tard"}},
        {"key": "grid", "type": "matrix", "label": {"en": "Grid", "fr": "Grille"}},
    ]}])
    checks = page(designer, f"/design/{cid}/publish")
    assert "things stop it from opening" in checks.html
    response = checks.send(("action", "publish"))
    assert response.status_code == 400
    html = text(response)
    for problem in (
        "Question “role” has no choices.",
        "Question “grid” has no choices.",
        "Question “grid” has no rows.",
        "Question “story”: it refers to later, which comes later in the form",
        "Français: 1 text is not written yet (Question “story”).",
    ):
        assert problem in html, problem
    assert state(session, cid) == "draft"
    # An empty consultation has nothing to ask.
    response = page(designer, "/design/new", "new-consultation").send(
        ("action", "create"), title="Empty", slug="empty", default_language="en")
    empty = int(response.headers["Location"].split("/")[2])
    assert "The consultation has no question yet." in text(post(designer, f"/design/{empty}/publish"))


def test_state_machine_allowed_and_refused(designer, app, session, arrange):
    cid = arrange()
    respondent = app.test_client()
    assert respondent.get("/c/draft-one").status_code == 404  # drafts are invisible

    # draft -> closed and draft -> archived are refused.
    for target, message in (("closed", "cannot go from “Draft” to “Closed”"),
                            ("archived", "Only a closed consultation can be archived")):
        response = post(designer, f"/design/{cid}/state", target=target)
        assert message in text(designer.get(response.headers["Location"]))
        assert state(session, cid) == "draft"

    assert page(designer, f"/design/{cid}/publish").send(("action", "publish")).status_code == 302
    assert state(session, cid) == "open"
    assert respondent.get("/c/draft-one").status_code == 200
    response = post(designer, f"/design/{cid}/state", target="archived")
    assert "Only a closed consultation can be archived" in text(designer.get(response.headers["Location"]))

    post(designer, f"/design/{cid}/state", target="closed")
    assert state(session, cid) == "closed"
    closed = respondent.get("/c/draft-one?lang=fr")
    assert closed.status_code == 410 and "Cette consultation est fermée" in text(closed)

    assert page(designer, f"/design/{cid}/publish").send(("action", "publish")).status_code == 302  # reopen
    assert state(session, cid) == "open"
    post(designer, f"/design/{cid}/state", target="closed")
    post(designer, f"/design/{cid}/state", target="archived")
    assert state(session, cid) == "archived"

    # Archived is final: no state change, no edit.
    for target in ("open", "closed", "draft"):
        post(designer, f"/design/{cid}/state", target=target)
        assert state(session, cid) == "archived"
    qid = session.exec(select(Question.id).where(Question.key == "role")).one()
    response = page(designer, f"/design/{cid}/questions/{qid}", "question-form").send(label="Changed")
    assert response.status_code == 400 and "archived, which is final" in text(response)
    assert respondent.get("/c/draft-one").status_code == 410


def test_reopening_checks_again(designer, session, arrange):
    from datetime import date, timedelta

    cid = arrange(languages=["en"], state="closed", closes_on=date.today() - timedelta(days=1))
    response = page(designer, f"/design/{cid}/publish").send(("action", "publish"))
    assert response.status_code == 400
    assert "has passed: change it first" in text(response)
    assert state(session, cid) == "closed"


def test_settings_keep_what_was_typed_when_refused(designer, session, arrange):
    cid = arrange(state="open")
    form = page(designer, f"/design/{cid}/", "settings")
    assert form.fields["languages"] == "en, fr" and form.fields["k_threshold"] == "10"
    response = form.send(title="A new title", k_threshold="4", languages="en, fr, xx-qq", slug="new-slug",
                         opens_on="2026-05-01", closes_on="2026-04-01", default_language="sw")
    html = text(response)
    assert response.status_code == 400
    for message in ("k cannot be below 5", "xx-QQ", "The link name cannot change once the consultation",
                    "The close date comes before the open date.", "must be one of the languages"):
        assert message in html, message
    refused = page(designer, f"/design/{cid}/", "settings")  # a fresh page shows the stored values
    assert refused.fields["title"] == "Draft consultation"
    assert 'value="A new title"' in html and 'value="4"' in html and 'value="en, fr, xx-qq"' in html

    response = form.send(title="A new title", k_threshold="5", languages="en fr ar sw-KE", slug="draft-one",
                         opens_on="", closes_on="", default_language="en", invitation_required="y")
    assert response.status_code == 302, text(response)
    session.expire_all()
    consultation = session.get(Consultation, cid)
    assert consultation.title == {"en": "A new title", "fr": "Consultation brouillon"}
    assert consultation.languages == ["en", "fr", "ar", "sw-KE"]
    assert (consultation.k_threshold, consultation.invitation_required) == (5, True)
    html = text(designer.get(f"/design/{cid}/"))
    assert "العربية" in html and "Kiswahili" in html


def test_new_consultation_refusals_keep_what_was_typed(designer):
    form = page(designer, "/design/new", "new-consultation")
    response = form.send(("action", "create"), title="Mine", slug="Not A Slug!", default_language="zz-top")
    html = text(response)
    assert response.status_code == 400
    assert "The link name may use lower-case letters" in html
    assert "Please choose a known default language." in html
    assert 'value="Mine"' in html and 'value="Not A Slug!"' in html


def test_duplicate_copies_texts_and_translations_not_responses(designer, session, arrange, respond):
    cid = arrange(state="open", languages=["en", "fr"])
    respond("draft-one", q_role="activist")
    consultation = session.get(Consultation, cid)
    consultation.invitation_required = True
    session.add(consultation)
    session.commit()
    response = post(designer, f"/design/{cid}/duplicate")
    copy_id = int(response.headers["Location"].split("/")[2])
    session.expire_all()
    copy = session.get(Consultation, copy_id)
    original = session.get(Consultation, cid)
    assert (copy.slug, copy.state, copy.invitation_required) == ("draft-one-copy", "draft", True)
    assert copy.title == original.title and copy.languages == original.languages
    assert [(q.key, q.label, [c.label for c in q.choices]) for q in copy.questions] == [
        (q.key, q.label, [c.label for c in q.choices]) for q in original.questions
    ]
    copied_questions = [q.id for q in copy.questions]
    assert session.exec(select(Response).where(Response.consultation_id == copy_id)).all() == []
    assert session.exec(select(Answer).where(Answer.question_id.in_(copied_questions))).all() == []
    assert len(session.exec(select(Response).where(Response.consultation_id == cid)).all()) == 1
    # A second copy gets the next free link name; a draft can be deleted, an open one cannot.
    again = post(designer, f"/design/{cid}/duplicate")
    assert session.get(Consultation, int(again.headers["Location"].split("/")[2])).slug == "draft-one-copy-2"
    post(designer, f"/design/{copy_id}/delete")
    post(designer, f"/design/{cid}/delete")
    session.expire_all()
    assert session.get(Consultation, copy_id) is None and session.get(Consultation, cid) is not None


def test_list_shows_state_languages_counts_and_dates(designer, arrange, respond):
    arrange(state="open", languages=["en", "fr"])
    respond("draft-one", "fr", q_role="activist")
    respond("draft-one", "fr", q_role="mediator")
    respond("draft-one", "en", q_role="mediator")
    html = text(designer.get("/design/"))
    assert "Draft consultation" in html and "Open" in html
    assert '<span lang="fr">Français</span>: 2' in html and '<span lang="en">English</span>: 1' in html
    assert "Created" in html
