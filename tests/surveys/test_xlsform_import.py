"""Reading XLSForms written elsewhere: ODK and KoboToolbox conventions, what is left out and why,
and clear errors (sheet, row, column) for malformed files."""

from __future__ import annotations

import io
import zipfile

import pytest

from surveys.xlsform import Severity, read_xlsform
from surveys.xlsform import workbook as workbook_module
from tests.surveys.xlsform_forms import KOBO_CHOICES, KOBO_SETTINGS, KOBO_SURVEY, workbook

HEADER = ["type", "name", "label", "hint", "required", "relevant", "constraint", "appearance", "parameters"]
CHOICES = [
    ["list_name", "name", "label"],
    ["colours", "red", "Red"],
    ["colours", "blue", "Blue"],
    ["agree", "yes", "Yes"],
    ["agree", "no", "No"],
    ["scale", "low", "Low"],
    ["scale", "high", "High"],
]
SETTINGS = [["form_title", "form_id", "default_language"], ["A test form", "test_form", "English (en)"]]


def read(*rows, header=HEADER, choices=CHOICES, settings=SETTINGS):
    """Read a survey sheet made of `header` and `rows` (short rows are padded)."""
    survey = [header] + [list(r) + [""] * (len(header) - len(r)) for r in rows]
    return read_xlsform(workbook(survey, choices, settings))


def questions(reading) -> dict[str, dict]:
    return {q["key"]: q for s in reading.definition["sections"] for q in s["questions"]}


def only(problems, severity=None):
    found = [p for p in problems if severity is None or p.severity is severity]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


# --- KoboToolbox and ODK conventions --------------------------------------------------------


def test_a_kobotoolbox_form_imports_with_its_languages_and_logic():
    reading = read_xlsform(workbook(KOBO_SURVEY, KOBO_CHOICES, KOBO_SETTINGS))
    assert reading.problems == []
    definition = reading.definition
    assert definition["slug"] == "kobo_network_2024"
    assert definition["state"] == "draft"
    assert definition["default_language"] == "en"
    assert definition["languages"] == ["en", "fr"]
    assert definition["title"] == {"en": "Kobo network survey"}
    found = questions(reading)
    assert found["member"]["type"] == "yes_no"
    assert found["member"]["required"] is True
    assert found["member"]["label"] == {"en": "Member of an organisation?", "fr": "Membre d'une organisation ?"}
    assert found["member"]["help"] == {"en": "Any organisation counts.", "fr": "Toute organisation compte."}
    assert found["org"]["type"] == "single_choice"
    assert found["org"]["options"] == {"appearance": "list"}
    assert found["org"]["relevance"] == {"op": "equals", "question": "member", "value": "yes"}
    assert [c["key"] for c in found["org"]["choices"]] == ["local", "ngo"]
    assert found["years"]["options"] == {"integer": True, "min": 0, "max": 80}
    assert found["story"]["type"] == "long_text"
    assert found["story"]["relevance"] == {"op": "greater", "question": "years", "value": 2}


def test_respondent_metadata_is_refused_on_purpose_and_the_rest_imports():
    survey = [KOBO_SURVEY[0]] + [
        ["start", "start"] + [""] * 11,
        ["end", "end"] + [""] * 11,
        *KOBO_SURVEY[1:],
        ["deviceid", "deviceid"] + [""] * 11,
        ["username", "username"] + [""] * 11,
    ]
    reading = read_xlsform(workbook(survey, KOBO_CHOICES, KOBO_SETTINGS))
    assert not reading.errors
    assert [(p.row, p.column) for p in reading.unsupported] == [(2, "type"), (3, "type"), (8, "type"), (9, "type")]
    assert all("never records" in p.reason for p in reading.unsupported)
    assert list(questions(reading)) == ["member", "org", "years", "story"]


@pytest.mark.parametrize(
    ("row", "kind", "options"),
    [
        (["text", "q", "Q"], "short_text", {}),
        (["text", "q", "Q", "", "", "", "", "multiline"], "long_text", {}),
        (["integer", "q", "Q"], "number", {"integer": True}),
        (["decimal", "q", "Q"], "number", {"integer": False}),
        (["date", "q", "Q"], "date", {}),
        (["select_one colours", "q", "Q"], "single_choice", {}),
        (["select one colours", "q", "Q", "", "", "", "", "minimal"], "single_choice", {"appearance": "list"}),
        (["select_one agree", "q", "Q"], "yes_no", {}),
        (["select_multiple colours", "q", "Q"], "multiple_choice", {}),
        (["select all that apply colours", "q", "Q"], "multiple_choice", {}),
        (["rank colours", "q", "Q"], "ranking", {}),
        (["range", "q", "Q", "", "", "", "", "", "start=0 end=10 step=1"], "rating", {"min": 0, "max": 10}),
        (["range", "q", "Q"], "rating", {"min": 1, "max": 10}),
        (["acknowledge", "q", "Q"], "consent", {}),
        (["note", "q", "Q"], "info", {}),
    ],
)
def test_types_map_to_consult_question_types(row, kind, options):
    reading = read(row)
    assert reading.problems == []
    question = questions(reading)["q"]
    assert (question["type"], question["options"]) == (kind, options)


def test_yes_no_needs_a_list_of_exactly_yes_and_no():
    choices = CHOICES + [["maybe_list", "yes", "Yes"], ["maybe_list", "no", "No"], ["maybe_list", "maybe", "Maybe"]]
    reading = read(["select_one agree", "a", "A"], ["select_one maybe_list", "b", "B"], choices=choices)
    found = questions(reading)
    assert (found["a"]["type"], found["a"]["choices"]) == ("yes_no", [])
    assert found["b"]["type"] == "single_choice"
    assert [c["key"] for c in found["b"]["choices"]] == ["yes", "no", "maybe"]


@pytest.mark.parametrize("value", ["yes", "Yes", "true", "TRUE", True, 1, "1", "yes()", "true()"])
def test_required_spellings(value):
    assert questions(read(["text", "q", "Q", "", value]))["q"]["required"] is True


@pytest.mark.parametrize("value", ["no", "false", False, 0, ""])
def test_not_required_spellings(value):
    assert questions(read(["text", "q", "Q", "", value]))["q"]["required"] is False


def test_a_conditional_required_is_reported_and_the_question_is_optional():
    reading = read(["text", "a", "A"], ["text", "q", "Q", "", "${a} != ''"])
    problem = only(reading.problems)
    assert (problem.severity, problem.row, problem.column, problem.letter) == (Severity.UNSUPPORTED, 3, "required", "E")
    assert questions(reading)["q"]["required"] is False


# --- languages -------------------------------------------------------------------------------


def test_language_columns_with_codes_names_or_none():
    header = ["type", "name", "label", "label::French", "label::العربية (ar)", "hint::Portuguese (Brazil)",
              "label::Kiswahili (sw)"]
    reading = read(["text", "q", "Hello", "Bonjour", "مرحبا", "Olá", "Habari"], header=header,
                   settings=[["default_language"], ["English (en)"]])
    assert reading.problems == []
    assert reading.definition["languages"] == ["en", "fr", "ar", "pt-BR", "sw"]
    question = questions(reading)["q"]
    assert question["label"] == {"en": "Hello", "fr": "Bonjour", "ar": "مرحبا", "sw": "Habari"}
    assert question["help"] == {"pt-BR": "Olá"}


def test_the_plain_label_column_is_the_default_language_of_the_settings():
    reading = read(["text", "q", "Bonjour"], header=["type", "name", "label"],
                   settings=[["form_title", "default_language"], ["Consultation", "fr"]])
    assert reading.definition["default_language"] == "fr"
    assert reading.definition["languages"] == ["fr"]
    assert reading.definition["title"] == {"fr": "Consultation"}
    assert questions(reading)["q"]["label"] == {"fr": "Bonjour"}


def test_without_a_default_language_the_plain_label_is_taken_as_english_with_a_note():
    reading = read(["text", "q", "Hello"], header=["type", "name", "label"], settings=None)
    assert reading.definition["default_language"] == "en"
    assert "English (en)" in only(reading.problems, Severity.NOTE).reason


def test_without_plain_columns_the_first_language_is_the_default():
    reading = read(["text", "q", "مرحبا", "Bonjour"], header=["type", "name", "label::Arabic (ar)", "label::fr"],
                   settings=None, choices=None)
    assert reading.problems == []
    assert (reading.definition["default_language"], reading.definition["languages"]) == ("ar", ["ar", "fr"])


def test_a_language_babel_does_not_know_is_an_error_on_its_header():
    reading = read(["text", "q", "Q", "Qapla"], header=["type", "name", "label", "label::Klingonese"])
    problem = only(reading.errors)
    assert (problem.sheet, problem.row, problem.column, problem.letter) == ("survey", 1, "label::Klingonese", "D")
    assert "Klingonese" in problem.reason


# --- groups, sections and matrices -----------------------------------------------------------


def test_top_level_groups_are_sections_and_loose_questions_get_their_own():
    reading = read(
        ["text", "intro_q", "Before any group"],
        ["begin_group", "g1", "First section", "About the first", "", ""],
        ["select_one agree", "member", "Member?"],
        ["text", "detail", "Detail", "", "", "${member} = 'yes'"],
        ["end_group"],
        ["text", "between", "Between groups"],
        ["begin group", "g2", "Second section", "", "", "${member} = 'no'"],
        ["text", "why", "Why not?"],
        ["end group"],
    )
    assert reading.problems == []
    sections = reading.definition["sections"]
    assert [[q["key"] for q in s["questions"]] for s in sections] == [
        ["intro_q"], ["member", "detail"], ["between"], ["why"]]
    assert sections[0]["title"] == {}
    assert sections[1]["title"] == {"en": "First section"}
    assert sections[1]["description"] == {"en": "About the first"}
    assert sections[3]["relevance"] == {"op": "equals", "question": "member", "value": "no"}
    assert questions(reading)["detail"]["relevance"] == {"op": "equals", "question": "member", "value": "yes"}


def test_nested_groups_are_flattened_with_their_condition_and_a_note():
    reading = read(
        ["begin_group", "section", "Section"],
        ["select_one agree", "member", "Member?"],
        ["begin_group", "inner", "Inner group", "", "", "${member} = 'yes'"],
        ["text", "detail", "Detail", "", "", "${member} != ''"],
        ["text", "plain", "Plain"],
        ["end_group"],
        ["end_group"],
    )
    note = only(reading.problems, Severity.NOTE)
    assert (note.row, "inner" in note.reason) == (4, True)
    sections = reading.definition["sections"]
    assert len(sections) == 1
    found = questions(reading)
    condition = {"op": "equals", "question": "member", "value": "yes"}
    assert found["plain"]["relevance"] == condition
    assert found["detail"]["relevance"] == {"all": [condition, {"op": "answered", "question": "member"}]}


def test_a_table_list_group_of_selects_over_one_list_is_a_matrix():
    reading = read(
        ["begin_group", "page", "Services"],
        ["begin_group", "access", "Can you reach these?", "One answer per row", "yes", "", "", "table-list"],
        ["select_one scale", "access_clinic", "Clinic", "", "yes"],
        ["select_one scale", "access_police", "Police", "", "yes"],
        ["end_group"],
        ["end_group"],
    )
    assert reading.problems == []
    matrix = questions(reading)["access"]
    assert matrix["type"] == "matrix"
    assert matrix["required"] is True
    assert matrix["label"] == {"en": "Can you reach these?"}
    assert matrix["help"] == {"en": "One answer per row"}
    assert matrix["options"] == {"rows": [{"key": "clinic", "label": {"en": "Clinic"}},
                                          {"key": "police", "label": {"en": "Police"}}]}
    assert [c["key"] for c in matrix["choices"]] == ["low", "high"]


def test_odk_label_and_list_nolabel_rows_make_a_matrix_without_the_header_row():
    reading = read(
        ["begin_group", "grid", "Rate these", "", "", "", "", "field-list"],
        ["select_one scale", "grid_header", "", "", "", "", "", "label"],
        ["select_one scale", "water", "Water", "", "", "", "", "list-nolabel"],
        ["select_one scale", "food", "Food", "", "", "", "", "list-nolabel"],
        ["end_group"],
    )
    assert reading.problems == []
    [section] = reading.definition["sections"]
    [matrix] = section["questions"]
    assert (matrix["key"], matrix["type"]) == ("grid", "matrix")
    assert [r["key"] for r in matrix["options"]["rows"]] == ["water", "food"]


def test_a_table_list_over_different_lists_stays_a_group():
    reading = read(
        ["begin_group", "g", "Mixed", "", "", "", "", "table-list"],
        ["select_one scale", "a", "A"],
        ["select_one colours", "b", "B"],
        ["end_group"],
    )
    assert [q["type"] for q in reading.definition["sections"][0]["questions"]] == ["single_choice", "single_choice"]


def test_a_condition_on_one_matrix_row_is_left_out():
    reading = read(
        ["select_one agree", "member", "Member?"],
        ["begin_group", "m", "Matrix", "", "", "", "", "table-list"],
        ["select_one scale", "m_a", "A", "", "", "${member} = 'yes'"],
        ["select_one scale", "m_b", "B"],
        ["end_group"],
    )
    problem = only(reading.problems)
    assert (problem.severity, problem.row, problem.column) == (Severity.UNSUPPORTED, 4, "relevant")
    assert questions(reading)["m"]["relevance"] is None


# --- what consult leaves out -----------------------------------------------------------------


def test_a_repeat_is_left_out_with_its_questions_and_conditions_on_them_too():
    reading = read(
        ["text", "name_of_group", "Group name"],
        ["begin_repeat", "members", "Members"],
        ["text", "member_role", "Role"],
        ["integer", "member_age", "Age"],
        ["end_repeat"],
        ["text", "after", "After", "", "", "${member_role} = 'chair'"],
    )
    assert not reading.errors
    repeat, condition = reading.unsupported
    assert (repeat.row, repeat.column) == (3, "type")
    assert "rows 3–6" in repeat.reason and "2 questions" in repeat.reason
    assert (condition.row, condition.column) == (7, "relevant")
    assert "member_role" in condition.reason
    assert list(questions(reading)) == ["name_of_group", "after"]
    assert questions(reading)["after"]["relevance"] is None


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["calculate", "total", "", "", "", "", "", "", ""], "type", "Calculations"),
        (["geopoint", "where", "Where?"], "type", "location"),
        (["image", "photo", "Photo"], "type", "Photos"),
        (["audio", "voice", "Voice"], "type", "recordings"),
        (["barcode", "code", "Code"], "type", "Barcode"),
        (["hidden", "h", ""], "type", "Hidden"),
        (["dateTime", "when", "When?"], "type", "Time"),
        (["select_one_from_file places.csv", "place", "Place"], "type", "external file"),
        (["start", "start"], "type", "never records"),
        (["audit", "audit"], "type", "never records"),
        (["phonenumber", "phone"], "type", "never records"),
        (["email", "mail"], "type", "never records"),
    ],
)
def test_unsupported_types_are_left_out_with_a_reason(row, column, words):
    reading = read(["text", "kept", "Kept"], row)
    problem = only(reading.problems)
    assert (problem.severity, problem.sheet, problem.row, problem.column) == (Severity.UNSUPPORTED, "survey", 3, column)
    assert words in problem.reason
    assert list(questions(reading)) == ["kept"]


@pytest.mark.parametrize(
    ("extra_header", "value", "words"),
    [
        ("default", "red", "Default answers"),
        ("choice_filter", "colour = 'red'", "choice filter"),
        ("calculation", "1 + 1", "calculation"),
        ("media::image::English (en)", "flag.png", "Images"),
        ("read_only", "yes", "read_only"),
    ],
)
def test_unsupported_columns_are_reported_and_the_question_kept(extra_header, value, words):
    reading = read(["select_one colours", "q", "Q", "", "", "", "", "", "", value], header=HEADER + [extra_header])
    problem = only(reading.problems)
    assert (problem.severity, problem.row, problem.column, problem.letter) == (
        Severity.UNSUPPORTED, 2, extra_header, "J")
    assert words in problem.reason
    assert questions(reading)["q"]["type"] == "single_choice"


def test_references_in_labels_are_reported_and_or_other_too():
    reading = read(["text", "who", "Who?"], ["select_one colours or_other", "colour", "Which colour, ${who}?"])
    assert {(p.row, p.column) for p in reading.unsupported} == {(3, "label"), (3, "type")}
    assert questions(reading)["colour"]["label"] == {"en": "Which colour, ${who}?"}


def test_constraints_outside_the_subset_are_left_out_and_messages_noted():
    header = HEADER + ["constraint_message::English (en)"]
    reading = read(
        ["text", "code", "Code", "", "", "", "regex(., '^[A-Z]{3}$')", "", "", "Three capitals"],
        ["integer", "age", "Age", "", "", "", ". >= 18 and . <= 99", "", "", "Adults only"],
        header=header,
    )
    left_out = only(reading.unsupported)
    assert (left_out.row, left_out.column) == (2, "constraint")
    assert [(p.row, p.column) for p in reading.notes] == [(2, header[-1]), (3, header[-1])]
    found = questions(reading)
    assert found["code"]["options"] == {}
    assert found["age"]["options"] == {"integer": True, "min": 18, "max": 99}


def test_conditions_on_later_questions_are_left_out_with_the_row_of_the_question():
    reading = read(
        ["text", "first", "First", "", "", "${second} = 'x'"],
        ["text", "second", "Second"],
        ["select_one colours", "colour", "Colour"],
        ["text", "third", "Third", "", "", "${colour} = 'green'"],
    )
    later, no_choice = reading.unsupported
    assert (later.row, later.column) == (2, "relevant") and "later" in later.reason
    assert (no_choice.row, no_choice.column) == (5, "relevant") and "green" in no_choice.reason
    assert questions(reading)["first"]["relevance"] is None


def test_unknown_columns_are_noted_and_kobo_bookkeeping_is_silent():
    header = HEADER + ["$kuid", "$autoname", "kobo--score-choices", "my_notes"]
    reading = read(["text", "q", "Q", "", "", "", "", "", "", "abc", "q", "x", "a comment"], header=header)
    note = only(reading.problems)
    assert (note.severity, note.column) == (Severity.NOTE, "my_notes")


# --- malformed files ------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"type,name,label\ntext,q,Q\n", "not an Excel workbook"),
        (CFB + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le"), "password"),
        (CFB + b"\x00" * 600, "old Excel file"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "OpenDocument"),
        (_zip({"word/document.xml": b"<w/>"}), "not an Excel workbook"),
        (_zip({"xl/workbook.xml": b"<not really"}), "damaged"),
    ],
)
def test_files_that_are_not_workbooks_get_a_clear_error(data, words):
    reading = read_xlsform(data)
    problem = only(reading.problems)
    assert problem.severity is Severity.ERROR and problem.sheet is None
    assert words in problem.reason


def test_a_truncated_workbook_gets_a_clear_error():
    data = workbook([["type", "name"], ["text", "q"]])
    problem = only(read_xlsform(data[: len(data) // 2]).errors)
    assert "not an Excel workbook" in problem.reason or "damaged" in problem.reason


def test_a_zip_bomb_is_not_unpacked(monkeypatch):
    monkeypatch.setattr(workbook_module, "MAX_UNPACKED_BYTES", 10_000)
    data = _zip({"xl/workbook.xml": b"<a/>", "xl/worksheets/sheet1.xml": b" " * 20_000})
    assert "unpacks to more data" in only(read_xlsform(data).errors).reason


@pytest.mark.parametrize(
    ("sheets", "words", "row"),
    [
        ({"Sheet1": [["a"]]}, "no “survey” sheet", None),
        ({"survey": []}, "survey sheet is empty", None),
        ({"survey": [["type", "name", "label"]]}, "no questions", None),
        ({"survey": [["name", "label"], ["q", "Q"]]}, "no “type” column", 1),
        ({"survey": [["type", "label"], ["text", "Q"]]}, "no “name” column", 1),
    ],
)
def test_workbooks_without_a_usable_survey_sheet(sheets, words, row):
    problem = only(read_xlsform(workbook(**sheets)).errors)
    assert words in problem.reason
    assert problem.row == row


@pytest.mark.parametrize(
    ("rows", "row", "column", "words"),
    [
        ([["text", "q", "Q"], ["integer", "q", "Again"]], 3, "name", "already used in row 2"),
        ([["select_one missing_list", "q", "Q"]], 2, "type", "missing_list"),
        ([["select_one", "q", "Q"]], 2, "type", "needs the name of a choice list"),
        ([["textarea", "q", "Q"]], 2, "type", "Unknown question type"),
        ([["text", "", "Q"]], 2, "type", "no name"),
        ([["", "q", "Q"]], 2, "name", "no type"),
        ([["text", "2fast", "Q"]], 2, "name", "not valid"),
        ([["begin_group", "g", "G"], ["text", "q", "Q"]], 2, "type", "no matching end_group"),
        ([["text", "q", "Q"], ["end_group"]], 3, "type", "without a matching begin_group"),
        ([["begin_repeat", "r", "R"], ["text", "q", "Q"], ["end_group"]], 4, "type", "closes begin_repeat"),
        ([["text", "q", "Q", "", "", "${ghost} = 'x'"]], 2, "relevant", "ghost"),
    ],
)
def test_malformed_survey_rows_are_errors_at_their_row_and_column(rows, row, column, words):
    problem = only(read(*rows).errors)
    assert (problem.sheet, problem.row, problem.column) == ("survey", row, column)
    assert words in problem.reason


def test_duplicate_choices_are_errors_in_the_choices_sheet():
    choices = CHOICES + [["colours", "red", "Red again"]]
    problem = only(read(["select_one colours", "q", "Q"], choices=choices).errors)
    assert (problem.sheet, problem.row, problem.column) == ("choices", 8, "name")


def test_sheets_beyond_the_row_limit_are_refused(monkeypatch):
    monkeypatch.setitem(workbook_module.MAX_ROWS, "survey", 5)
    reading = read(*[["text", f"q{i}", "Q"] for i in range(6)])
    problem = only(reading.errors)
    assert (problem.sheet, problem.row) == ("survey", 7)


def test_cells_beyond_the_length_limit_are_refused(monkeypatch):
    monkeypatch.setattr(workbook_module, "MAX_CELL_CHARS", 100)
    problem = only(read(["text", "q", "x" * 101]).errors)
    assert (problem.sheet, problem.row) == ("survey", 2)


def test_settings_give_title_slug_and_consult_fields():
    settings = [["form_title", "form_id", "version", "consult::k_threshold", "consult::retention_days"],
                ["Consultation Été", "Été 2026: WPS!", "v3", "12", "90"]]
    definition = read(["text", "q", "Q"], settings=settings).definition
    assert definition["title"] == {"en": "Consultation Été"}
    assert definition["slug"] == "ete-2026-wps"
    assert (definition["k_threshold"], definition["retention_days"]) == (12, 90)


def test_a_k_threshold_below_five_is_an_error():
    settings = [["form_id", "consult::k_threshold"], ["f", "3"]]
    problem = only(read(["text", "q", "Q"], settings=settings).errors)
    assert (problem.sheet, problem.row, problem.column) == ("settings", 2, "consult::k_threshold")


def test_problems_say_where_they_are_as_excel_shows_it():
    problem = only(read(["text", "q", "Q", "", "", "${ghost} = 1"]).errors)
    assert problem.location == "sheet survey, row 2, column relevant (F)"
    assert str(problem).startswith("sheet survey, row 2, column relevant (F): ")


def test_deeply_nested_groups_and_expressions_are_refused_not_crashed():
    nested = [["begin_group", f"g{i}", "G"] for i in range(30)] + [["text", "q", "Q"]] + [["end_group"]] * 30
    assert "nested more than" in only(read(*nested).errors).reason
    deep = "(" * 200 + "${a} = 'x'" + ")" * 200
    reading = read(["text", "a", "A"], ["text", "q", "Q", "", "", deep])
    assert "nested too deeply" in only(reading.unsupported).reason


# --- whatever a workbook holds, reading it reports problems and never crashes ----------------

TYPES_SEEN = ["text", "integer", "decimal", "date", "select_one colours", "select_multiple colours", "rank colours",
              "select_one agree", "select_one scale", "range", "acknowledge", "note", "begin_group", "end_group",
              "begin_repeat", "end_repeat", "calculate", "start", "geopoint", "select_one nowhere", "bogus", "",
              "begin group", "end group", "select_one", "hidden"]
NAMES = ["a", "b", "c", "q1", "q1", "", "2x", "a b", "g"]
EXPRESSIONS = ["", "${a} = 'red'", "selected(${b}, 'blue')", "${c} > 3", ". >= 0 and . <= 10", "${zz} = 1",
               "not(${a} = 'x') or ${b} != ''", "((", "${a} = 'red' and", "count-selected(.) <= 2",
               "string-length(.) <= 5", "today()", "1 + 1", "${q1} >= 2.5"]


def _cell(options: list[str]):
    from hypothesis import strategies as st

    text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)  # what a cell can hold
    return st.one_of(st.sampled_from(options), text, st.integers(-5, 5), st.none())


def _rows():
    from hypothesis import strategies as st

    row = st.tuples(_cell(TYPES_SEEN), _cell(NAMES), _cell(["Label", "${a} says", "=x", ""]), _cell(["", "hint"]),
                    _cell(["yes", "no", "maybe", ""]), _cell(EXPRESSIONS), _cell(EXPRESSIONS),
                    _cell(["", "minimal", "multiline", "table-list", "field-list", "label", "list-nolabel"]),
                    _cell(["", "start=1 end=5", "start=0 end=1000", "step=x", "start=3 end=1"]))
    return st.lists(row, max_size=12)


def test_any_survey_sheet_is_read_without_crashing_and_what_reads_cleanly_round_trips():
    from hypothesis import HealthCheck, given, settings

    from surveys.fields import registry
    from surveys.logic import validate_logic
    from surveys.xlsform import write_xlsform

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_rows())
    def check(rows):
        reading = read(*rows)
        assert all(p.reason and p.severity in Severity for p in reading.problems)
        if reading.errors:
            return
        definition = reading.definition
        assert validate_logic(definition) == []
        assert all(q["type"] in registry for s in definition["sections"] for q in s["questions"])
        again = read_xlsform(write_xlsform(definition))
        assert not again.errors
        assert again.definition == definition

    check()
