"""The designer's XLSForm upload page and download link (the format itself: surveys.xlsform)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from sqlmodel import select

from surveys.models import Consultation, Question
from tests.surveys.designer.conftest import page, text


def upload(client, data: bytes, **fields):
    form = page(client, "/design/import", "xlsform-form")
    values = {**dict(form.fields), "action": "import", "file": (io.BytesIO(data), "form.xlsx"), **fields}
    return client.post(form.action, data=values, content_type="multipart/form-data")


def workbook(*survey_rows) -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "label::Français (fr)"])
    for row in survey_rows:
        survey.append(list(row))
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append(["Field survey", "field-survey", "en"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_download_and_upload_round_trip(designer, session, arrange):
    cid = arrange()
    exported = designer.get(f"/design/{cid}/form.xlsx")
    assert exported.status_code == 200
    assert "survey" in load_workbook(io.BytesIO(exported.data)).sheetnames
    response = upload(designer, exported.data, slug="draft-two")
    html = text(response)
    assert response.status_code == 200, html
    assert "A draft was created at /c/draft-two with 1 sections and 3 questions." in html
    copy = session.exec(select(Consultation).where(Consultation.slug == "draft-two")).one()
    assert copy.state == "draft" and copy.languages == ["en", "fr"]
    assert [q.key for q in session.exec(select(Question).where(Question.consultation_id == copy.id)
                                        .order_by(Question.position))] == ["role", "years", "story"]


def test_unsupported_rows_are_reported_and_imported_only_on_request(designer, session):
    data = workbook(
        ("text", "story", "Your story", "Votre histoire"),
        ("calculate", "total", "", ""),
        ("geopoint", "where", "Where are you?", "Où êtes-vous ?"),
    )
    refused = upload(designer, data, slug="field")
    html = text(refused)
    assert refused.status_code == 400
    assert "Nothing was imported" in html
    assert "row 3" in html and "row 4" in html
    assert 'value="field"' in html  # what was typed is kept (the file must be chosen again)
    assert session.exec(select(Consultation)).all() == []

    imported = upload(designer, data, slug="field", skip_unsupported="y")
    html = text(imported)
    assert imported.status_code == 200, html
    assert "2 parts were left out" in html and "row 3" in html
    consultation = session.exec(select(Consultation).where(Consultation.slug == "field")).one()
    assert [q.key for q in session.exec(select(Question).where(Question.consultation_id == consultation.id))] == [
        "story"
    ]


def test_a_file_that_is_not_a_workbook_is_refused(designer, session):
    response = upload(designer, b"hello", slug="x")
    assert response.status_code == 400 and "Nothing was imported" in text(response)
    response = page(designer, "/design/import", "xlsform-form").send(("action", "import"))
    assert response.status_code == 400 and "This field is required." in text(response)
    assert session.exec(select(Consultation)).all() == []
