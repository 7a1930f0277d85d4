"""Exports of the demo: CSV, XLSX, the brief as DOCX and HTML, from the workspace and from
`consult export`. They open with csv, openpyxl and python-docx; their numbers are the
database's; no cell counts 1..k-1 respondents; row exports are k-anonymous; a respondent's
phone number and name never reach them; only approved quotes reach the brief; every
export is audited."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from analysis.models import AnswerTheming
from consult import db
from consult.accounts.models import AuditEntry
from surveys.models import Answer, Question, Response
from tests.analysis._workspace import (  # noqa: F401 (fixtures)
    Tables,
    demo_app,
    post,
    theme_with_oracle,
    themed_demo_schema,
    themed_demo_template,
)
from tests.formclient import open_form

K = 10
CANARY_NAME = "Zainab Okafor"
CANARY_PHONE = "712 345 678"
CANARY_TEXT = "Women were left out of the talks in our district."


@pytest.fixture
def app(request, database_url, tmp_path):
    from tests.conftest import make_app

    app = demo_app(request, database_url, tmp_path, make_app)
    yield app
    app.extensions["consult.engine"].dispose()


def submit_canary(client, slug: str) -> None:
    """A respondent answers through the form, with her name and phone number in her text."""
    page = open_form(client, f"/c/{slug}?lang=en")
    page = page.fill(_consent="yes").press("_action", "next")
    page = page.fill(q_years_active="9", q_role="peacebuilder").press("_action", "next")
    page = page.fill(
        q_participation_text=f"{CANARY_TEXT} My name is {CANARY_NAME}, call me on +254 {CANARY_PHONE}.",
        q_mediation_involved="no",
    ).press("_action", "next")
    while "submit" not in [value for _name, value, _text in page.buttons]:
        page = page.press("_action", "next")
        assert page.status == 200, page.html[:500]
    page = page.press("_action", "submit")
    assert page.status == 200


def canary_answer(session):
    question = session.exec(select(Question).where(Question.key == "participation_text")).one()
    for response_id, value in session.exec(
        select(Answer.response_id, Answer.value).where(Answer.question_id == question.id)
    ).all():
        if CANARY_TEXT in value:
            return response_id, question.id, value
    raise AssertionError("the canary answer was not stored")


def download(client, slug, kind):
    response = post(client, f"/analysis/{slug}/export/{kind}", page=f"/analysis/{slug}/brief")
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def no_canary(blob: str) -> None:
    assert CANARY_NAME not in blob and CANARY_PHONE not in blob and "712" not in blob


def leading_int(text: str) -> int | None:
    match = re.match(r"\s*([\d\u00a0\u202f,.\s]*\d)", str(text))
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return int(digits) if digits else None


def docx_counts(document) -> list[int]:
    """The respondent counts in a brief's tables: "Respondents" columns and key figures."""
    found = []
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        headers = rows[0]
        for row in rows[1:]:
            for header, value in zip(headers, row, strict=True):
                if header in ("Respondents", "Value"):
                    number = leading_int(value)
                    if number is not None:
                        found.append(number)
    return found


def test_exports_open_match_the_database_and_hold_no_small_cell_and_no_personal_detail(app, client, session, login,
                                                                                       demo):
    submit_canary(client, demo)
    response_id, question_id, stored = canary_answer(session)
    no_canary(stored)  # scrubbed before it was stored
    with app.app_context(), db.unit_of_work() as s:
        theme_with_oracle(s, s.exec(select(Response.consultation_id).where(Response.id == response_id)).one())
    analyst = login(client, role="analyst")

    # CSV: one row per response, k-anonymous over language and demographic answers.
    rows = list(csv.DictReader(io.StringIO(download(client, demo, "csv").decode("utf-8-sig"))))
    total = len(session.exec(select(Response.id)).all())
    assert len(rows) == total
    classes = Counter((r["language"], r["region"], r["org_type"], r["identity"]) for r in rows)
    assert min(classes.values()) >= K
    raised: dict[str, set[str]] = {}
    for rid, goals in session.exec(select(AnswerTheming.response_id, AnswerTheming.goals)).all():
        for goal in goals:
            raised.setdefault(goal, set()).add(rid)
    for goal, ids in raised.items():
        assert sum(int(r[f"goal_{goal}"]) for r in rows) == len(ids)
    assert sum(1 for r in rows if r["participation_text"].startswith(CANARY_TEXT)) == 1
    no_canary(str(rows))

    # XLSX: notes, responses, codes and the aggregate tables with suppression.
    book = load_workbook(io.BytesIO(download(client, demo, "xlsx")))
    assert {"Notes", "Responses", "Codes", "languages", "goals", "by_region"} <= set(book.sheetnames)
    notes = " ".join(str(c.value) for c in book["Notes"]["A"])
    assert f"k = {K}" in notes
    assert book["Responses"].max_row == total + 1
    for sheet in book.worksheets:
        if sheet.title in ("Responses", "Notes", "Codes", "agreement"):
            continue
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, int) and 0 < value < K), (sheet.title, row)
    languages = {row[0]: row[1] for row in book["languages"].iter_rows(min_row=3, values_only=True)}
    assert languages["total"] == total
    for row in book.worksheets[book.sheetnames.index("Responses")].iter_rows(values_only=True):
        no_canary(" ".join(str(v) for v in row))

    # The brief: DOCX and HTML.
    document = Document(io.BytesIO(download(client, demo, "docx")))
    counts = docx_counts(document)
    assert total in counts and not [n for n in counts if 0 < n < K]
    no_canary("\n".join(p.text for p in document.paragraphs))
    html = download(client, demo, "html").decode("utf-8")
    no_canary(html)
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert Tables(html).tables  # parses as tables

    audit = session.exec(select(AuditEntry).where(AuditEntry.action == "export.create")).all()
    assert [(a.actor_id, a.details["format"]) for a in audit] == [
        (analyst.id, "csv"), (analyst.id, "xlsx"), (analyst.id, "docx"), (analyst.id, "html")
    ]
    assert audit[0].details["rows"] == total


def quotes_in(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Quote"]


def test_only_approved_quotes_reach_the_brief(app, client, session, login, demo):
    submit_canary(client, demo)
    response_id, question_id, stored = canary_answer(session)
    with app.app_context(), db.unit_of_work() as s:
        theme_with_oracle(s, s.exec(select(Response.consultation_id).where(Response.id == response_id)).one())
    login(client, role="analyst")
    document = Document(io.BytesIO(download(client, demo, "docx")))
    assert quotes_in(document) == []  # nothing approved yet: no quote at all
    assert "No quote approved for this goal yet." in [p.text for p in document.paragraphs]

    url = f"/analysis/{demo}/review/{response_id}/{question_id}"
    response = post(client, url, {"goals": ["participation"], "approve": "y"}, page=f"/analysis/{demo}/review")
    assert response.status_code == 302
    document = Document(io.BytesIO(download(client, demo, "docx")))
    quotes = quotes_in(document)
    assert len(quotes) == 1 and quotes[0].startswith(f"“{stored}”")
    no_canary(quotes[0])
    html = client.get(f"/analysis/{demo}/brief").get_data(as_text=True)
    assert html.count("<blockquote") == 1 and stored in html

    # Withdrawing the approval takes the quote out again.
    post(client, url, {"goals": ["participation"]}, page=f"/analysis/{demo}/review")
    assert quotes_in(Document(io.BytesIO(download(client, demo, "docx")))) == []


def test_consult_export_writes_each_format_and_refuses_bad_input(runner, session, demo, tmp_path):
    for kind in ("csv", "xlsx", "docx", "html"):
        target = tmp_path / f"out.{kind}"
        result = runner.invoke(args=["export", demo, "--format", kind, "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 0
    assert Document(str(tmp_path / "out.docx")).paragraphs[0].text.startswith("Policy brief")
    assert load_workbook(tmp_path / "out.xlsx")["Responses"].max_row > 1
    entries = session.exec(select(AuditEntry).where(AuditEntry.action == "export.create")).all()
    assert [(e.actor_id, e.details["format"]) for e in entries] == [(None, k) for k in ("csv", "xlsx", "docx", "html")]

    result = runner.invoke(args=["export", "no-such-slug", "--format", "csv", "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "no-such-slug" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(args=["export", demo, "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "--format" in result.stderr
    result = runner.invoke(args=["export", demo, "--format", "csv", "-o", str(tmp_path / "missing" / "x.csv")])
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_row_export_of_fewer_than_k_responses_is_refused(app, client, login, make_consultation, runner, tmp_path):
    from surveys.services import get_consultation, new_form_token, submit_response

    slug = make_consultation(slug="tiny")
    with app.app_context(), db.unit_of_work() as s:
        consultation = get_consultation(s, slug)
        for number in range(3):
            submit_response(s, consultation, "en", {"story": f"Story number {number}."}, new_form_token(), "k")
    login(client, role="analyst")
    response = post(client, f"/analysis/{slug}/export/csv", page=f"/analysis/{slug}/brief")
    assert response.status_code == 302
    assert "no row-level export is safe" in client.get(response.headers["Location"]).get_data(as_text=True)
    result = runner.invoke(args=["export", slug, "--format", "xlsx", "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 2 and "fewer than 10 responses" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()
    # The brief itself can be exported: it shows nothing about so few respondents.
    result = runner.invoke(args=["export", slug, "--format", "docx", "-o", str(tmp_path / "t.docx")])
    assert result.exit_code == 0
    assert not [n for n in docx_counts(Document(str(tmp_path / "t.docx"))) if 0 < n < K]
