"""A form exported to XLSForm and imported again is the same form; ODK's own converter accepts it."""

from __future__ import annotations

import copy

import pytest
from pyxform.xls2xform import convert
from sqlmodel import select

from consult import db
from surveys.logic import validate_logic
from surveys.models import Consultation
from surveys.services import definition_of
from surveys.xlsform import export_xlsform_by_slug, import_xlsform, read_xlsform, write_xlsform
from tests.surveys.xlsform_forms import column, sheets_of


def tr(en: str, fr: str, ar: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "ar": ar}


def question(key: str, kind: str, label: dict, **fields) -> dict:
    """A question as definition_of gives it: every field present."""
    base = {"key": key, "type": kind, "required": False, "demographic": False, "label": label, "help": {},
            "options": {}, "relevance": None, "choices": []}
    base.update(fields)
    return base


def choices(*keys: str) -> list[dict]:
    return [{"key": k, "label": tr(f"Option {k}", f"Option {k} (fr)", f"الخيار {k}")} for k in keys]


SCALE = [{"key": k, "label": tr(en, fr, ar)} for k, en, fr, ar in [
    ("low", "Low", "Faible", "منخفض"), ("mid", "Medium", "Moyen", "متوسط"), ("high", "High", "Élevé", "مرتفع")]]

#: Every feature the XLSForm mapping supports, in English, French and Arabic.
FEATURES: dict = {
    "slug": "features-2026",
    "state": "draft",
    "default_language": "en",
    "languages": ["en", "fr", "ar"],
    "title": tr("Every feature", "Toutes les fonctions", "كل الميزات"),
    "introduction": tr("Welcome.\n\nSecond paragraph.", "Bienvenue.\n\nDeuxième paragraphe.", "مرحبًا.\n\nفقرة ثانية."),
    "consent_text": tr("We keep answers two years.", "Nous gardons les réponses deux ans.", "نحتفظ بالإجابات عامين."),
    "retention_days": 365,
    "k_threshold": 15,
    "opens_on": "2026-03-08",
    "closes_on": "2026-06-30",
    "sections": [
        {
            "title": tr("About you", "À propos de vous", "عنكِ"),
            "description": tr("Optional questions.", "Questions facultatives.", "أسئلة اختيارية."),
            "relevance": None,
            "questions": [
                question("member", "yes_no", tr("Are you a member?", "Êtes-vous membre ?", "هل أنتِ عضوة؟"),
                         required=True),
                question("agree", "single_choice", tr("Do you agree?", "Êtes-vous d'accord ?", "هل توافقين؟"),
                         choices=[{"key": "yes", "label": tr("Yes, fully", "Oui, tout à fait", "نعم، تمامًا")},
                                  {"key": "no", "label": tr("Not at all", "Pas du tout", "إطلاقًا")}]),
                question("region", "single_choice", tr("Region", "Région", "المنطقة"), demographic=True,
                         options={"appearance": "list"}, choices=choices("north", "south", "east")),
                question("age", "number", tr("Age", "Âge", "العمر"), demographic=True,
                         options={"integer": True, "min": 15, "max": 120},
                         help=tr("In years.", "En années.", "بالسنوات.")),
                question("share", "number", tr("Share of budget", "Part du budget", "حصة الميزانية"),
                         options={"integer": False, "min": 0.5}),
                question("since", "date", tr("Since when?", "Depuis quand ?", "منذ متى؟"),
                         options={"min": "1990-01-01", "max": "2030-12-31"}),
            ],
        },
        {
            "title": tr("Your views", "Vos avis", "آراؤكِ"),
            "description": {},
            "relevance": {"any": [{"op": "equals", "question": "member", "value": "yes"},
                                  {"not": {"op": "equals", "question": "region", "value": "north"}}]},
            "questions": [
                question("why", "short_text", tr("Why?", "Pourquoi ?", "لماذا؟"), options={"max_length": 200},
                         relevance={"op": "equals", "question": "agree", "value": "no"}),
                question("story", "long_text", tr("=Your story, \"in full\"", "=Votre histoire", "=قصتكِ"),
                         relevance={"all": [{"op": "greater", "question": "age", "value": 17},
                                            {"op": "any_of", "question": "region", "values": ["south", "east"]}]}),
                question("topics", "multiple_choice", tr("Topics", "Thèmes", "المواضيع"),
                         options={"min_choices": 1, "max_choices": 2}, choices=choices("a", "b", "c", "d")),
                question("order", "ranking", tr("Put in order", "Classez", "رتّبي"), choices=choices("x", "y", "z"),
                         relevance={"op": "not_equals", "question": "topics", "value": "d"}),
                question("influence", "rating", tr("Influence", "Influence", "التأثير"),
                         options={"min": 0, "max": 10, "min_label": tr("None", "Aucune", "لا شيء"),
                                  "max_label": tr("A lot", "Beaucoup", "كثير")},
                         relevance={"all": [{"op": "answered", "question": "share"},
                                            {"not": {"op": "less", "question": "share", "value": 2.5}}]}),
                question("services", "matrix", tr("Can you reach these?", "Pouvez-vous y accéder ?", "هل تصلين إليها؟"),
                         required=True, demographic=True, help=tr("One per row.", "Une par ligne.", "واحدة لكل صف."),
                         options={"rows": [{"key": "health", "label": tr("Health", "Santé", "الصحة")},
                                           {"key": "legal", "label": tr("Legal aid", "Aide juridique", "مساعدة قانونية")}]},
                         choices=SCALE),
                question("level", "single_choice", tr("Overall level", "Niveau global", "المستوى العام"),
                         choices=copy.deepcopy(SCALE), options={"appearance": "columns", "note": "kept as JSON"},
                         relevance={"op": "greater", "question": "since", "value": "2020-01-01"}),
            ],
        },
        {
            "title": tr("Thank you", "Merci", "شكرًا"),
            "description": {},
            "relevance": {"op": "not_answered", "question": "why"},
            "questions": [
                question("note", "info", tr("Almost done.", "Presque fini.", "أوشكنا على الانتهاء.")),
                question("ok", "consent", tr("I confirm.", "Je confirme.", "أؤكد."), required=True),
            ],
        },
    ],
}


def test_the_feature_form_is_valid_consult_logic():
    assert validate_logic(FEATURES) == []


def test_every_feature_survives_export_and_import():
    reading = read_xlsform(write_xlsform(FEATURES))
    assert reading.problems == []
    assert reading.definition == FEATURES


def test_arabic_as_default_language_survives_export_and_import():
    arabic_first = {**copy.deepcopy(FEATURES), "default_language": "ar", "languages": ["ar", "en", "fr"]}
    data = write_xlsform(arabic_first)
    settings = sheets_of(data)["settings"]
    assert column(settings, "default_language") == ["Arabic (ar)"]
    assert column(settings, "form_title") == ["كل الميزات"]
    assert read_xlsform(data).definition == arabic_first


def test_exports_are_accepted_by_pyxform_with_every_language():
    result = convert(xlsform=write_xlsform(FEATURES), validate=False)
    assert result.warnings == []
    for language in ("English (en)", "French (fr)", "Arabic (ar)"):
        assert f'lang="{language}"' in result.xform
    assert "هل أنتِ عضوة؟" in result.xform
    # pyxform turns the matrix's table-list into ODK's label / list-nolabel rows.
    assert 'appearance="list-nolabel"' in result.xform


def test_matrix_exports_as_a_table_list_group_of_selects_over_one_list():
    survey = sheets_of(write_xlsform(FEATURES))["survey"]
    types, names = column(survey, "type"), column(survey, "name")
    start = names.index("services")
    assert types[start] == "begin_group"
    assert column(survey, "appearance")[start] == "table-list"
    assert names[start + 1 : start + 3] == ["services_health", "services_legal"]
    assert types[start + 1] == types[start + 2] == "select_one services"
    assert column(survey, "required")[start + 1] == "yes"
    assert types[start + 3] == "end_group"
    # The same scale used by another question is written once.
    assert types[names.index("level")] == "select_one services"


def test_yes_no_exports_as_select_one_over_a_translated_yes_no_list():
    sheets = sheets_of(write_xlsform(FEATURES))
    survey, choice_rows = sheets["survey"], sheets["choices"]
    assert column(survey, "type")[column(survey, "name").index("member")] == "select_one yes_no"
    yes_no = [row for row in choice_rows[1:] if row[0] == "yes_no"]
    labels = dict(zip(choice_rows[0], zip(*yes_no, strict=True), strict=True))
    assert labels["name"] == ("yes", "no")
    assert labels["label::French (fr)"] == ("Oui", "Non")
    assert labels["label::Arabic (ar)"] == ("نعم", "لا")
    # A single choice whose keys happen to be yes/no keeps its own labels and type.
    assert column(survey, "consult::type")[column(survey, "name").index("agree")] == "single_choice"


def test_conditions_and_constraints_are_written_as_xlsform_expressions():
    survey = sheets_of(write_xlsform(FEATURES))["survey"]
    by_name = dict(zip(column(survey, "name"), zip(column(survey, "relevant"), column(survey, "constraint"),
                                                   strict=True), strict=True))
    assert by_name["why"] == ("${agree} = 'no'", "string-length(.) <= 200")
    assert by_name["story"][0] == "${age} > 17 and (${region} = 'south' or ${region} = 'east')"
    assert by_name["order"][0] == "not(selected(${topics}, 'd'))"
    assert by_name["age"][1] == ". >= 15 and . <= 120"
    assert by_name["since"][1] == ". >= date('1990-01-01') and . <= date('2030-12-31')"
    assert by_name["topics"][1] == "count-selected(.) >= 1 and count-selected(.) <= 2"
    assert by_name["level"][0] == "${since} > date('2020-01-01')"


def test_the_demo_survives_export_and_import_through_the_database(app, demo):
    with app.test_request_context(), db.unit_of_work() as session:
        original = definition_of(session.exec(select(Consultation).where(Consultation.slug == demo)).one())
        data = export_xlsform_by_slug(session, demo)
        report = import_xlsform(session, data, slug="demo-copy")
        copied = definition_of(report.consultation)
    assert report.problems == []
    assert copied == {**original, "slug": "demo-copy", "state": "draft"}
    assert convert(xlsform=data, validate=False).warnings == []


@pytest.mark.parametrize("key", ["has space", "1starts_with_digit", ""])
def test_keys_that_are_not_xlsform_names_fail_loudly_on_export(key):
    from surveys.xlsform import XLSFormWriteError

    broken = copy.deepcopy(FEATURES)
    broken["sections"][0]["questions"][0]["key"] = key
    with pytest.raises(XLSFormWriteError):
        write_xlsform(broken)
