"""Small XLSForm workbooks written for the tests, built with openpyxl."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

Rows = Sequence[Sequence[Any]]


def workbook(survey: Rows | None = None, choices: Rows | None = None, settings: Rows | None = None,
             **other_sheets: Rows) -> bytes:
    """An .xlsx file whose sheets hold these rows (the first row of each is its header)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in (("survey", survey), ("choices", choices), ("settings", settings), *other_sheets.items()):
        if rows is None:
            continue
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def sheets_of(data: bytes) -> dict[str, list[list[Any]]]:
    """The rows of every sheet of a workbook, to look at what an export wrote."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def column(rows: list[list[Any]], header: str) -> list[Any]:
    """The values under `header` (without the header)."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


#: A form written the way KoboToolbox writes them: language columns with codes, $kuid and
#: $given_name bookkeeping, kobo-- columns, select_one yes_no, appearance minimal.
KOBO_SURVEY = [
    ["type", "name", "$given_name", "label::English (en)", "label::Français (fr)", "hint::English (en)",
     "hint::Français (fr)", "required", "relevant", "appearance", "constraint", "$kuid", "kobo--locking-profile"],
    ["select_one yes_no", "member", "Member", "Member of an organisation?", "Membre d'une organisation ?",
     "Any organisation counts.", "Toute organisation compte.", "true", "", "", "", "k1a2", "lock_all"],
    ["select_one org_kind", "org", "Which_kind", "Which kind?", "Quel type ?", "", "", "false",
     "${member} = 'yes'", "minimal", "", "k3b4", ""],
    ["integer", "years", "Years", "Years active", "Années d'activité", "", "", "", "", "", ". >= 0 and . <= 80",
     "k5c6", ""],
    ["text", "story", "Tell_us", "Tell us more", "Dites-nous en plus", "", "", "", "${years} > 2", "multiline", "",
     "k7d8", ""],
]
KOBO_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Français (fr)", "$kuid"],
    ["yes_no", "yes", "Yes", "Oui", "c1"],
    ["yes_no", "no", "No", "Non", "c2"],
    ["org_kind", "local", "Local group", "Groupe local", "c3"],
    ["org_kind", "ngo", "NGO", "ONG", "c4"],
]
KOBO_SETTINGS = [["form_title", "form_id", "version", "default_language"],
                 ["Kobo network survey", "kobo_network_2024", "vAbC123", "English (en)"]]
