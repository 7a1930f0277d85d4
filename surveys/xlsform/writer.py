"""Consultation definition -> XLSForm workbook (see :mod:`surveys.xlsform` for the mapping)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from babel.support import NullTranslations, Translations
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from surveys.xlsform import expressions, languages

_NAME = re.compile(r"^[^\W\d][\w.-]*$")

#: Options each type writes into XLSForm columns; any other option goes to consult::options.
_EXPRESSED = {
    "short_text": {"max_length"},
    "long_text": {"max_length"},
    "number": {"integer", "min", "max"},
    "date": {"min", "max"},
    "multiple_choice": {"min_choices", "max_choices"},
    "rating": {"min", "max", "min_label", "max_label"},
    "matrix": {"rows"},
}


class XLSFormWriteError(ValueError):
    """The definition cannot be written as a valid XLSForm (a key is not an XLSForm name...)."""


def write_xlsform(definition: Mapping[str, Any]) -> bytes:
    """An .xlsx XLSForm workbook for a consultation definition.

    :param definition: the shape of :func:`surveys.services.definition_of`.
    :raises XLSFormWriteError: if a question key is not a valid XLSForm name, or a
        matrix row name would clash with another question.
    """
    return _Writer(definition).workbook()


class _Writer:
    """One export: the rows of the three sheets, built question by question."""
    def __init__(self, definition: Mapping[str, Any]) -> None:
        self.definition = definition
        self.default: str = definition.get("default_language") or "en"
        self.languages: list[str] = list(definition.get("languages") or [self.default])
        if self.default not in self.languages:
            self.languages.insert(0, self.default)
        self.questions = [q for s in definition.get("sections", []) for q in s.get("questions", [])]
        self.types = {q["key"]: q["type"] for q in self.questions}
        self.taken: set[str] = set(self.types)
        self.list_names: set[str] = set()
        self.lists: dict[tuple, str] = {}
        self.choice_rows: list[dict[str, Any]] = []
        self.survey_rows: list[dict[str, Any]] = []
        self.used: set[str] = set()

    def header(self, base: str, code: str) -> str:
        return f"{base}::{languages.header_name(code)}"

    def texts(self, row: dict[str, Any], base: str, texts: Mapping[str, str] | None,
              only: list[str] | None = None) -> None:
        """Put a text's languages into a row, one column per language."""
        for code in only if only is not None else self.languages:
            value = (texts or {}).get(code)
            if value:
                row[self.header(base, code)] = value

    # --- names ---

    def unique(self, base: str, taken: set[str]) -> str:
        """A name not in `taken` (base, base_2, ...), added to it."""
        name, number = base, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        return name

    def check_name(self, key: str) -> None:
        if not _NAME.match(key or ""):
            raise XLSFormWriteError(
                _("The question key “%(key)s” is not a valid XLSForm name: it must start with a letter or _ and "
                  "hold only letters, digits, _, - and .", key=key)
            )

    def condition(self, condition: Mapping[str, Any], where: str) -> str:
        """A condition as a relevant expression."""
        try:
            return expressions.write_condition(condition, self.types)
        except (ValueError, KeyError, TypeError):
            raise XLSFormWriteError(
                _("The condition of “%(name)s” cannot be written as an XLSForm expression.", name=where)
            ) from None

    # --- choices ---

    def choice_list(self, key: str, choices: list[Mapping[str, Any]]) -> str:
        """The name of the choice list for these choices, written once however often used."""
        signature = tuple((c["key"], tuple(sorted((c.get("label") or {}).items()))) for c in choices)
        if signature in self.lists:
            return self.lists[signature]
        name = self.unique(key, self.list_names)
        self.lists[signature] = name
        for choice in choices:
            row = {"list_name": name, "name": choice["key"]}
            self.texts(row, "label", choice.get("label"))
            self.choice_rows.append(row)
        return name

    def yes_no_list(self) -> str:
        """The yes/no list, labelled with the platform translations of Yes and No."""
        labels = [(key, {code: _platform_text(code, text) for code in self.languages})
                  for key, text in (("yes", "Yes"), ("no", "No"))]
        signature = ("yes_no",)
        if signature not in self.lists:
            name = self.unique("yes_no", self.list_names)
            self.lists[signature] = name
            for key, label in labels:
                row = {"list_name": name, "name": key}
                self.texts(row, "label", label)
                self.choice_rows.append(row)
        return self.lists[signature]

    # --- survey ---

    def workbook(self) -> bytes:
        """Sections as top-level groups, each with its questions."""
        for key in self.types:
            self.check_name(key)
        groups = set(self.taken)
        for index, section in enumerate(self.definition.get("sections", []), start=1):
            name = self.unique(f"section_{index}", groups)
            row: dict[str, Any] = {"type": "begin_group", "name": name, "appearance": "field-list"}
            self.texts(row, "label", section.get("title"))
            self.texts(row, "hint", section.get("description"))
            if section.get("relevance"):
                row["relevant"] = self.condition(section["relevance"], name)
            self.survey_rows.append(row)
            for question in section.get("questions", []):
                self.question(question)
            self.survey_rows.append({"type": "end_group"})
        return self.save()

    def question(self, question: Mapping[str, Any]) -> None:
        """The survey row(s) of a question."""
        kind = question["type"]
        options = dict(question.get("options") or {})
        row: dict[str, Any] = {"name": question["key"], "consult::type": kind}
        self.texts(row, "label", question.get("label"))
        self.texts(row, "hint", question.get("help"))
        if question.get("required"):
            row["required"] = "yes"
        if question.get("demographic"):
            row["consult::demographic"] = "yes"
        if question.get("relevance"):
            row["relevant"] = self.condition(question["relevance"], question["key"])
        constraint = expressions.write_constraint(kind, options)
        if constraint:
            row["constraint"] = constraint
        choices = question.get("choices") or []
        if kind in ("short_text", "long_text"):
            row["type"] = "text"
            if kind == "long_text":
                row["appearance"] = "multiline"
        elif kind == "number":
            row["type"] = "integer" if options.get("integer", True) else "decimal"
        elif kind == "date":
            row["type"] = "date"
        elif kind == "single_choice":
            row["type"] = f"select_one {self.choice_list(question['key'], choices)}"
            if options.get("appearance") == "list":
                row["appearance"] = "minimal"
                options.pop("appearance")
        elif kind == "yes_no":
            row["type"] = f"select_one {self.yes_no_list()}"
        elif kind == "multiple_choice":
            row["type"] = f"select_multiple {self.choice_list(question['key'], choices)}"
        elif kind == "ranking":
            row["type"] = f"rank {self.choice_list(question['key'], choices)}"
        elif kind == "rating":
            row["type"] = "range"
            row["parameters"] = f"start={int(options.get('min', 1))} end={int(options.get('max', 5))} step=1"
            for end in ("min_label", "max_label"):
                if isinstance(options.get(end), Mapping):
                    self.texts(row, f"consult::{end}", options[end])
        elif kind == "consent":
            row["type"] = "acknowledge"
        elif kind == "info":
            row["type"] = "note"
        elif kind == "matrix":
            self.matrix(question, row, options)
            return
        else:
            raise XLSFormWriteError(
                _("The question “%(key)s” has a type XLSForm export does not know: %(type)s", key=question["key"],
                  type=kind)
            )
        self.leftover(row, kind, options)
        self.survey_rows.append(row)

    def leftover(self, row: dict[str, Any], kind: str, options: Mapping[str, Any]) -> None:
        """Options XLSForm has no column for, as JSON in consult::options."""
        expressed = _EXPRESSED.get(kind, set())
        rest = {k: v for k, v in options.items() if k not in expressed or not _expressible(kind, k, v)}
        if rest:
            row["consult::options"] = json.dumps(rest, ensure_ascii=False, sort_keys=True)

    def matrix(self, question: Mapping[str, Any], row: dict[str, Any], options: Mapping[str, Any]) -> None:
        """A matrix as a table-list group of select_one rows over its scale."""
        key = question["key"]
        row.update(type="begin_group", appearance="table-list")
        row.pop("constraint", None)
        required = row.pop("required", None)
        self.leftover(row, "matrix", options)
        self.survey_rows.append(row)
        scale = self.choice_list(key, question.get("choices") or [])
        for matrix_row in options.get("rows", []):
            name = f"{key}_{matrix_row['key']}"
            self.check_name(name)
            if name in self.taken:
                raise XLSFormWriteError(
                    _("The matrix row “%(name)s” would have the name of another question; rename one of them.",
                      name=name)
                )
            self.taken.add(name)
            cells = {"type": f"select_one {scale}", "name": name}
            self.texts(cells, "label", matrix_row.get("label"))
            if required:
                cells["required"] = required
            self.survey_rows.append(cells)
        self.survey_rows.append({"type": "end_group"})

    # --- the workbook ---

    def save(self) -> bytes:
        """The workbook as .xlsx bytes."""
        workbook = Workbook()
        survey = workbook.active
        survey.title = "survey"
        fixed = ["type", "name"]
        fixed += [self.header("label", code) for code in self.languages]
        fixed += [self.header("hint", code) for code in self.languages]
        fixed += ["required", "relevant", "constraint", "appearance", "parameters", "consult::type",
                  "consult::demographic"]
        fixed += [self.header(base, code) for base in ("consult::min_label", "consult::max_label")
                  for code in self.languages]
        fixed += ["consult::options"]
        optional = {"parameters", "consult::demographic", "consult::options"} | {
            h for h in fixed if h.startswith(("consult::min_label", "consult::max_label"))
        }
        present = {key for row in self.survey_rows for key in row}
        _fill(survey, [h for h in fixed if h not in optional or h in present], self.survey_rows)

        choices = workbook.create_sheet("choices")
        _fill(choices, ["list_name", "name"] + [self.header("label", code) for code in self.languages],
              self.choice_rows)

        settings = workbook.create_sheet("settings")
        definition = self.definition
        values: dict[str, Any] = {
            "form_title": (definition.get("title") or {}).get(self.default, ""),
            "form_id": definition.get("slug", ""),
            "default_language": languages.header_name(self.default),
        }
        others = [code for code in self.languages if code != self.default]
        self.texts(values, "consult::title", definition.get("title"), only=others)
        self.texts(values, "consult::introduction", definition.get("introduction"))
        self.texts(values, "consult::consent_text", definition.get("consent_text"))
        for name in ("retention_days", "k_threshold", "opens_on", "closes_on"):
            if definition.get(name) is not None:
                values[f"consult::{name}"] = definition[name]
        headers = ["form_title", "form_id", "default_language"]
        headers += [self.header("consult::title", code) for code in others]
        headers += [self.header(base, code) for base in ("consult::introduction", "consult::consent_text")
                    for code in self.languages]
        headers += [f"consult::{n}" for n in ("retention_days", "k_threshold", "opens_on", "closes_on")
                    if f"consult::{n}" in values]
        _fill(settings, headers, [values])

        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()


def _expressible(kind: str, key: str, value: Any) -> bool:
    """Whether an option's value has its XLSForm column (else it is kept in consult::options)."""
    if isinstance(value, bool):
        return key == "integer"
    if key in ("min", "max"):
        if kind == "date":
            return isinstance(value, str)
        return isinstance(value, int) or kind == "number" and isinstance(value, float)
    if key in ("max_length", "min_choices", "max_choices"):
        return isinstance(value, int)
    if key == "integer":
        return False
    if key in ("min_label", "max_label"):
        return isinstance(value, Mapping)
    return True


def _fill(sheet, headers: list[str], rows: list[dict[str, Any]]) -> None:
    """Write a header and rows into a sheet, bold header frozen at the top."""
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_cell(row.get(h)) for h in headers])
        for cell in sheet[sheet.max_row]:
            # A label that starts with "=" is text, not a formula.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for index, header in enumerate(headers, start=1):
        width = 40 if header.startswith(("label", "hint", "consult::introduction", "consult::consent")) else 16
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def _cell(value: Any) -> Any:
    """A value as a cell may hold it (no control characters)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


@cache
def _catalog(locale: str) -> NullTranslations:
    """The platform's translations for a locale."""
    from consult.i18n import TRANSLATIONS

    return Translations.load(str(TRANSLATIONS), [locale])


def _platform_text(language: str, text: str) -> str:
    """The platform's own translation of `text` ("Yes", "No") in a content language (English if none)."""
    from consult.i18n import platform_locale

    return _catalog(platform_locale(language)).gettext(text)
