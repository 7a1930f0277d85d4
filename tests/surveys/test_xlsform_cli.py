"""`consult import-xlsform` / `consult export-xlsform` and the import service behind them and the designer."""

from __future__ import annotations

import pytest
from sqlmodel import select

from consult import db
from surveys.models import Consultation, Question
from surveys.services import definition_of
from surveys.xlsform import ImportRefused, Severity, import_xlsform, read_xlsform
from tests.surveys.xlsform_forms import KOBO_CHOICES, KOBO_SETTINGS, KOBO_SURVEY, workbook

ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
KOBO = workbook(KOBO_SURVEY, KOBO_CHOICES, KOBO_SETTINGS)
WITH_METADATA = workbook(
    [KOBO_SURVEY[0], ["start", "start"] + [""] * 11, *KOBO_SURVEY[1:], ["calculate", "score"] + [""] * 11],
    KOBO_CHOICES,
    KOBO_SETTINGS,
)


def consultation(session, slug: str) -> Consultation | None:
    return session.exec(select(Consultation).where(Consultation.slug == slug)).first()


def run(runner, *args):
    return runner.invoke(args=list(args), env=ENGLISH)


# --- the service -----------------------------------------------------------------------------


def test_import_creates_a_draft_named_by_the_form_id(app, session):
    with app.test_request_context(), db.unit_of_work() as s:
        report = import_xlsform(s, KOBO)
    assert (report.slug, report.section_count, report.question_count) == ("kobo_network_2024", 1, 4)
    assert report.languages == ["en", "fr"]
    stored = consultation(session, "kobo_network_2024")
    assert stored.state == "draft"
    assert [q.key for q in stored.questions] == ["member", "org", "years", "story"]
    assert definition_of(stored)["sections"] == read_xlsform(KOBO).definition["sections"]


def test_unsupported_rows_refuse_the_import_unless_the_user_chooses_to_skip_them(app, session):
    with app.test_request_context(), db.unit_of_work() as s, pytest.raises(ImportRefused) as refused:
        import_xlsform(s, WITH_METADATA)
    assert refused.value.only_unsupported
    assert [(p.row, p.severity) for p in refused.value.blocking] == [(2, Severity.UNSUPPORTED),
                                                                      (7, Severity.UNSUPPORTED)]
    assert consultation(session, "kobo_network_2024") is None

    with app.test_request_context(), db.unit_of_work() as s:
        report = import_xlsform(s, WITH_METADATA, skip_unsupported=True)
    assert [p.row for p in report.left_out] == [2, 7]
    assert [q.key for q in consultation(session, "kobo_network_2024").questions] == ["member", "org", "years", "story"]


def test_errors_refuse_the_import_even_when_skipping_unsupported_rows(app, session):
    broken = workbook([["type", "name"], ["select_one nowhere", "q"], ["start", "start"]])
    with app.test_request_context(), db.unit_of_work() as s, pytest.raises(ImportRefused) as refused:
        import_xlsform(s, broken, slug="broken", skip_unsupported=True)
    assert not refused.value.only_unsupported
    assert [p.row for p in refused.value.blocking] == [2]
    assert session.exec(select(Consultation)).all() == []


def test_a_taken_slug_is_refused_and_nothing_is_written(app, session, make_consultation):
    make_consultation(slug="kobo_network_2024")
    with app.test_request_context(), db.unit_of_work() as s, pytest.raises(ImportRefused) as refused:
        import_xlsform(s, KOBO)
    [problem] = refused.value.blocking
    assert (problem.sheet, problem.column) == ("settings", "form_id")
    assert "already exists" in problem.reason
    assert len(session.exec(select(Question)).all()) == 1  # only make_consultation's question


def test_a_form_without_form_id_needs_a_slug(app, session):
    bare = workbook([["type", "name", "label"], ["text", "q", "Q"]])
    with app.test_request_context(), db.unit_of_work() as s, pytest.raises(ImportRefused) as refused:
        import_xlsform(s, bare)
    assert "form_id" in refused.value.blocking[0].reason
    with app.test_request_context(), db.unit_of_work() as s:
        assert import_xlsform(s, bare, slug="Given Slug").slug == "given-slug"
    assert consultation(session, "given-slug").state == "draft"


# --- the commands ----------------------------------------------------------------------------


def test_import_command_reports_what_was_imported_and_the_slug(runner, session, tmp_path):
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(KOBO)
    result = run(runner, "import-xlsform", str(path))
    assert result.exit_code == 0, result.output
    assert "Imported “Kobo network survey” as a draft consultation." in result.output
    assert "1 section, 4 questions; languages: en, fr" in result.output
    assert result.output.rstrip().endswith("Slug: kobo_network_2024")
    assert consultation(session, "kobo_network_2024").state == "draft"


def test_import_command_refuses_unsupported_rows_naming_sheet_and_row(runner, session, tmp_path):
    path = tmp_path / "metadata.xlsx"
    path.write_bytes(WITH_METADATA)
    result = run(runner, "import-xlsform", str(path), "--slug", "with-metadata")
    assert result.exit_code == 2
    assert "sheet survey, row 2, column type (A): Respondent metadata (“start”)" in result.stderr
    assert "row 7" in result.stderr
    assert "--skip-unsupported" in result.stderr
    assert "Traceback" not in result.output
    assert consultation(session, "with-metadata") is None

    result = run(runner, "import-xlsform", str(path), "--slug", "with-metadata", "--skip-unsupported")
    assert result.exit_code == 0, result.output
    assert "Left out:" in result.output
    assert "sheet survey, row 7, column type (A): Calculations are not supported" in result.output
    assert consultation(session, "with-metadata") is not None


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "The file is empty."),
        (b"just some text", "not an Excel workbook"),
        (workbook(Sheet1=[["type"]]), "no “survey” sheet"),
        (workbook([["type", "name"], ["text", "q"], ["text", "q"]]), "sheet survey, row 3, column name (B)"),
    ],
)
def test_import_command_exits_2_with_a_message_for_malformed_files(runner, tmp_path, content, words):
    path = tmp_path / "form.xlsx"
    path.write_bytes(content)
    result = run(runner, "import-xlsform", str(path), "--slug", "x")
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_import_command_exits_2_for_a_missing_file_or_a_taken_slug(runner, tmp_path, make_consultation):
    assert run(runner, "import-xlsform", str(tmp_path / "nowhere.xlsx")).exit_code == 2
    make_consultation(slug="taken")
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(KOBO)
    result = run(runner, "import-xlsform", str(path), "--slug", "taken")
    assert result.exit_code == 2
    assert "“taken” already exists" in result.stderr


def test_export_command_writes_a_form_that_imports_again(runner, session, demo, tmp_path):
    path = tmp_path / "out" / "demo.xlsx"
    path.parent.mkdir()
    result = run(runner, "export-xlsform", demo, "-o", str(path))
    assert result.exit_code == 0, result.output
    assert str(path) in result.output
    original = definition_of(consultation(session, demo))
    assert read_xlsform(path.read_bytes()).definition == {**original, "state": "draft"}

    result = run(runner, "import-xlsform", str(path), "--slug", "demo-again")
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert definition_of(consultation(session, "demo-again")) == {**original, "slug": "demo-again", "state": "draft"}


def test_export_command_exits_2_for_an_unknown_slug_or_an_unwritable_file(runner, demo, tmp_path):
    result = run(runner, "export-xlsform", "no-such-consultation", "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert "No consultation has the slug “no-such-consultation”" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()

    result = run(runner, "export-xlsform", demo, "-o", str(tmp_path / "missing-folder" / "x.xlsx"))
    assert result.exit_code == 2
    assert "Cannot write" in result.stderr


def test_export_includes_drafts(runner, session, tmp_path):
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(KOBO)
    assert run(runner, "import-xlsform", str(path)).exit_code == 0
    out = tmp_path / "again.xlsx"
    assert run(runner, "export-xlsform", "kobo_network_2024", "-o", str(out)).exit_code == 0
    assert read_xlsform(out.read_bytes()).definition["sections"] == read_xlsform(KOBO).definition["sections"]
