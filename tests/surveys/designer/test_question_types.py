"""Every question type through the designer: created, edited, previewed, validated, then
answered through the real respondent form once published, and stored as the right value.

One consultation holds one question of each type (keyed by the type's name), so the
whole journey runs once.
"""

from __future__ import annotations

import re

from sqlmodel import select

from surveys.fields import registry
from surveys.models import Answer, Question, Response
from tests.formclient import open_form
from tests.surveys.designer.conftest import page, text

# type -> (designer form settings, good answer fields, bad answer fields, error shown, value stored)
CASES = {
    "short_text": ({"max_length": "20"}, {"short_text": "Peace needs us"}, {"short_text": "x" * 21},
                   "Please shorten your answer to 20 characters or fewer", "Peace needs us"),
    "long_text": ({"max_length": "40"}, {"long_text": "Line one\nline two"}, {"long_text": "y" * 41},
                  "Please shorten your answer to 40 characters or fewer", "Line one\nline two"),
    "number": ({"min": "0", "max": "10", "integer": "y"}, {"number": "7"}, {"number": "11"},
               "Please enter a number between 0 and 10.", 7),
    "date": ({"min": "2020-01-01", "max": "2030-12-31"}, {"date": "2025-05-01"}, {"date": "2019-01-01"},
             "Please enter a date between 2020-01-01 and 2030-12-31.", "2025-05-01"),
    "single_choice": ({"choices": "a | Alpha\nb | Beta", "appearance": "list", "demographic": "y"},
                      {"single_choice": "b"},
                      {"single_choice": "zzz"}, "Please choose one of the options shown.", "b"),
    "multiple_choice": ({"choices": "a | Alpha\nb | Beta\nc | Gamma", "max_choices": "2"},
                        {"multiple_choice": ["a", "c"]}, {"multiple_choice": ["a", "b", "c"]},
                        "Please choose at most 2 options.", ["a", "c"]),
    "yes_no": ({}, {"yes_no": "yes"}, {"yes_no": "maybe"}, "Please answer yes or no.", "yes"),
    "rating": ({"min": "1", "max": "5", "min_label": "Never", "max_label": "Always"}, {"rating": "4"},
               {"rating": "9"}, "Please choose a value from 1 to 5.", 4),
    "matrix": ({"rows": "r1 | Row one\nr2 | Row two", "choices": "g | Good\nb | Bad", "required": "y"},
               {"matrix-r1": "g", "matrix-r2": "b"}, {"matrix-r1": "g"}, "Please answer every row.",
               {"r1": "g", "r2": "b"}),
    "ranking": ({"choices": "x | Funding\ny | Protection\nz | Access"}, {"ranking-x": "2", "ranking-y": "1"},
                {"ranking-x": "1", "ranking-y": "1"}, "Please give each option a different position.", ["y", "x"]),
    "consent": ({"required": "y"}, {"consent": "yes"}, {}, "Please answer this question.", True),
    "info": ({}, {}, {}, None, None),
}
#: Inputs that can show back a refused value (a radio cannot show a value it does not offer).
KEEPS_TYPED = ("short_text", "long_text", "number", "date", "multiple_choice", "matrix", "ranking")


def fields(answers: dict) -> dict:
    return {f"q-{name}": value for name, value in answers.items()}


def test_every_registry_type_is_covered():
    assert set(CASES) == set(registry)


def test_each_type_from_design_to_stored_answer(designer, session):
    response = page(designer, "/design/new", "new-consultation").send(
        ("action", "create"), title="Every type", slug="every-type", default_language="en", languages=""
    )
    assert response.status_code == 302, text(response)
    base = response.headers["Location"].removesuffix("/questions")
    add_url = re.search(r'action="(/design/\d+/sections/\d+/questions/new)"', text(designer.get(f"{base}/questions")))[1]

    for kind, (settings, *_rest) in CASES.items():
        # Created through the question form of its type.
        form = page(designer, f"{add_url}?type={kind}", "question-form")
        assert form.fields["type"] == kind
        response = form.send(key=kind, label=f"The {kind} question", **settings)
        assert response.status_code == 302, f"{kind}: {text(response)}"
        qid = int(response.headers["Location"].rsplit("question-", 1)[1])
        assert session.get(Question, qid).type == kind

        # Edited: the settings show as saved, and a reworded label is kept.
        form = page(designer, f"{base}/questions/{qid}", "question-form")
        for name, value in settings.items():
            if name in form.fields and name not in ("integer", "required"):
                assert form.fields[name] == value, f"{kind}: {name}"
        assert form.send(label=f"The reworded {kind} question").status_code == 302, kind
        session.expire_all()
        question = session.get(Question, qid)
        assert question.label == {"en": f"The reworded {kind} question"}
        assert question.demographic == ("demographic" in settings) and question.required == ("required" in settings)

    # Previewed as a respondent sees it: bad input refused, good input accepted, nothing stored.
    preview = open_form(designer, f"{base}/preview/en")
    assert "Nothing you enter here is stored" in preview
    preview = preview.fill(_consent="yes").press("_action", "next")
    for kind in CASES:
        assert f"The reworded {kind} question" in preview, kind
    bad = {k: v for case in CASES.values() for k, v in fields(case[2]).items()}
    blank = preview.fields.copy()
    refused = preview.fill(**bad).press("_action", "submit")
    assert refused.status == 400
    for kind, case in CASES.items():
        if case[3]:
            assert case[3] in refused.html, kind
    good = {k: v for case in CASES.values() for k, v in fields(case[1]).items()}
    refused.fields = blank  # as a respondent correcting every answer
    done = refused.fill(**good).press("_action", "submit")
    assert "Preview: nothing was stored" in done, done.html[:3000]
    assert session.exec(select(Response)).all() == []

    # Published, then answered for real: bad input keeps what was typed, good input is stored.
    assert page(designer, f"{base}/publish").send(("action", "publish")).status_code == 302
    respondent = designer.application.test_client()
    answer = open_form(respondent, "/c/every-type?lang=en").fill(_consent="yes").press("_action", "next")
    blank = answer.fields.copy()
    refused = answer.fill(**bad).press("_action", "submit")
    assert refused.status == 400
    for kind, case in CASES.items():
        if case[3]:
            assert case[3] in refused.html, kind
        if kind in KEEPS_TYPED:
            for name, value in fields(case[2]).items():
                assert refused.fields.getlist(name) == (value if isinstance(value, list) else [value]), kind
    refused.fields = blank
    receipt = refused.fill(**good).press("_action", "submit")
    assert receipt.status == 200 and "receipt" in receipt.html

    session.expire_all()
    stored = session.exec(select(Response)).one()
    values = {
        session.get(Question, a.question_id).key: a.value
        for a in session.exec(select(Answer).where(Answer.response_id == stored.id))
    }
    assert values == {kind: case[4] for kind, case in CASES.items() if case[4] is not None}
