"""Translations: completeness per language, the side-by-side screen, fallback marked in the
preview, and the XLSX round trip with its report (imported, skipped, conflicting)."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlmodel import select

from surveys.models import Choice, Consultation, Question
from tests.formclient import open_form
from tests.surveys.designer.conftest import page, post, text


def test_completeness_figure_and_missing_list(designer, session, arrange):
    cid = arrange(sections=[{"title": {"en": "First", "fr": "Premier"}, "questions": [
        {"key": "role", "type": "single_choice", "label": {"en": "Your role", "fr": "Votre rôle"},
         "choices": [{"key": "activist", "label": {"en": "Activist", "fr": "Militante"}},
                     {"key": "mediator", "label": {"en": "Mediator"}}]},
        {"key": "story", "type": "long_text", "label": {"en": "Your story"}, "help": {"en": "No names, please."}},
    ]}])
    # Title, section title, role, 2 choices, story, story help: 7 texts, 4 in French.
    overview = text(designer.get(f"/design/{cid}/translations"))
    assert "57% (4 of 7)" in overview
    screen = page(designer, f"/design/{cid}/translations/fr", "translate-form")
    assert "57% written: 4 of 7 texts." in screen.html
    assert "3 texts are missing" in screen.html
    for where in ("Question “role”: choice “mediator”", "Question “story”", "Question “story”: help"):
        assert f'">{where}</a></li>' in screen.html
    assert 'enctype="multipart/form-data"' in screen.html  # UTF-8 as is, not percent-encoded
    screen.fill(**{"t:question.story.label": "Votre histoire", "t:question.role.choice.mediator": "Médiatrice",
                   "t:question.story.help": "Pas de noms, s'il vous plaît."})
    response = designer.post(screen.action, data={**screen.fields.to_dict(), "action": "save"},
                             content_type="multipart/form-data")
    assert response.status_code == 302
    assert "100% (7 of 7)" in text(designer.get(f"/design/{cid}/translations"))
    session.expire_all()
    story = session.exec(select(Question).where(Question.key == "story")).one()
    assert story.label == {"en": "Your story", "fr": "Votre histoire"}
    # Emptying a translation removes it: the default language shows again.
    page(designer, f"/design/{cid}/translations/fr", "translate-form").send(**{"t:question.story.label": ""})
    session.expire_all()
    assert session.get(Question, story.id).label == {"en": "Your story"}


def test_fallback_is_marked_in_preview_and_shown_to_respondents(designer, app, arrange):
    cid = arrange(state="open", sections=[{"questions": [
        {"key": "story", "type": "long_text", "label": {"en": "Your story"}},
        {"key": "years", "type": "number", "label": {"en": "Years", "fr": "Années"}},
    ]}])
    preview = open_form(designer, f"/design/{cid}/preview/fr").fill(_consent="yes").press("_action", "next")
    assert '<html lang="fr"' in preview.html
    assert '<span lang="en" class="untranslated">Your story</span>' in preview.html
    assert "Années" in preview.html
    # The respondent sees the default language, marked with its language, but no designer mark.
    respondent = app.test_client()
    form = open_form(respondent, "/c/draft-one?lang=fr").fill(_consent="yes").press("_action", "next")
    assert '<span lang="en">Your story</span>' in form.html
    assert "untranslated" not in form.html


def test_translator_file_round_trip_with_report(designer, session, arrange):
    cid = arrange()
    exported = designer.get(f"/design/{cid}/translations/fr.xlsx")
    assert exported.status_code == 200
    assert exported.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(exported.data))
    sheet = workbook["translations"]
    header = [c.value for c in sheet[1]]
    assert header == ["id", "where", "source (en)", "target (fr)", "source hash"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["question.role.label"][2].value == "Your role"
    assert rows["question.role.label"][3].value == "Votre rôle"

    # The translator rewrites two texts and empties one; meanwhile the designer rewords a source.
    rows["question.role.label"][3].value = "Quel est votre rôle ?"
    rows["question.story.label"][3].value = "Racontez votre histoire"
    rows["question.years.label"][3].value = None
    sheet.append(["question.gone.label", "", "Old", "Ancien", "0" * 16])
    edit = page(designer, f"/design/{cid}/questions/{_qid(session, 'story')}", "question-form")
    assert edit.send(label="Tell us your story").status_code == 302
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = _upload(designer, cid, "fr", buffer.getvalue())
    html = text(response)
    assert response.status_code == 200, html
    assert "1 translation imported" in html
    assert "1 skipped: empty" in html
    assert "skipped: unchanged" in html
    assert "1 skipped: not in this consultation (question.gone.label)" in html
    assert "1 conflict: not imported" in html
    assert "Your story" in html and "Tell us your story" in html and "Racontez votre histoire" in html
    session.expire_all()
    assert session.exec(select(Question).where(Question.key == "role")).one().label["fr"] == "Quel est votre rôle ?"
    assert session.exec(select(Question).where(Question.key == "story")).one().label["fr"] == "Votre histoire"
    assert session.exec(select(Question).where(Question.key == "years")).one().label["fr"] == "Années de travail"


def test_import_refuses_files_it_cannot_use(designer, arrange):
    cid = arrange(languages=["en", "fr", "es"])
    spanish = designer.get(f"/design/{cid}/translations/es.xlsx").data
    response = _upload(designer, cid, "fr", spanish)
    assert response.status_code == 400
    assert "This file holds translations into Español, not Français." in text(response)
    response = _upload(designer, cid, "fr", b"not a workbook")
    assert "This file could not be read as an XLSX workbook." in text(response)
    response = post(designer, f"/design/{cid}/translations/fr/import")
    assert response.status_code == 400


def test_texts_are_exported_as_text_never_formulas(designer, session, arrange):
    cid = arrange()
    choice = session.exec(select(Choice).where(Choice.key == "activist")).one()
    choice.label = {"en": '=HYPERLINK("http://example.org","Activist")'}
    session.add(choice)
    session.commit()
    workbook = load_workbook(io.BytesIO(designer.get(f"/design/{cid}/translations/fr.xlsx").data))
    cell = next(r[2] for r in workbook["translations"].iter_rows(min_row=2) if r[0].value.endswith("activist"))
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_default_language_is_not_a_translation_target(designer, session, arrange):
    cid = arrange()
    assert designer.get(f"/design/{cid}/translations/en").status_code == 404
    assert designer.get(f"/design/{cid}/translations/de").status_code == 404
    assert session.get(Consultation, cid).languages == ["en", "fr"]


def _qid(session, key: str) -> int:
    return session.exec(select(Question.id).where(Question.key == key)).one()


def _upload(client, cid, lang, data: bytes):
    form = page(client, f"/design/{cid}/translations/{lang}", "import-form")
    fields = dict(form.fields)
    fields["file"] = (io.BytesIO(data), "texts.xlsx")
    fields["action"] = "import"
    return client.post(form.action, data=fields, content_type="multipart/form-data")
