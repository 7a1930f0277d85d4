"""XLSForm workbook -> consultation definition, with every problem located in the workbook.

See the package docstring (:mod:`surveys.xlsform`) for the mapping. The reader never
raises for a user's file: whatever is wrong becomes a :class:`Problem` with sheet, row,
column and a translated reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from surveys.logic import validate_logic
from surveys.xlsform import expressions, languages
from surveys.xlsform.columns import MEDIA, SURVEY_KNOWN, TEXTS, Column, parse_header
from surveys.xlsform.expressions import ExpressionError, Target
from surveys.xlsform.report import Problem, Severity, XLSFormImport
from surveys.xlsform.workbook import Sheet, WorkbookError, read_workbook

MAX_KEY_LENGTH = 64
#: Deepest nesting of groups read (ODK forms rarely go past three).
MAX_GROUP_DEPTH = 20
#: Most values a rating offers: each is a button on the respondent's page.
MAX_RATING_VALUES = 101
_NAME = re.compile(r"^[^\W\d][\w.-]*$")
_REFERENCE = re.compile(r"\$\{[^}]*\}")
_SELECT = re.compile(
    r"^(select_one|select one|select_multiple|select multiple|select all that apply|rank)\s+(\S+)(?:\s+(or_other))?$",
    re.IGNORECASE,
)
_TRUE = {"yes", "true", "1", "yes()", "true()"}
_FALSE = {"", "no", "false", "0", "no()", "false()"}

#: XLSForm type -> consult types it may become (consult::type chooses among them).
_COMPATIBLE = {
    "text": ("short_text", "long_text"),
    "integer": ("number",),
    "decimal": ("number",),
    "date": ("date",),
    "select_one": ("single_choice", "yes_no"),
    "select_multiple": ("multiple_choice",),
    "rank": ("ranking",),
    "range": ("rating",),
    "acknowledge": ("consent",),
    "note": ("info",),
}
_TYPE_ALIASES = {
    "string": "text", "int": "integer", "trigger": "acknowledge",
    "select all that apply": "select_multiple", "select one": "select_one", "select multiple": "select_multiple",
}
_METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
    "audit", "start-geopoint", "background-geopoint", "imei", "uri:deviceid", "uri:email", "uri:username",
    "uri:phonenumber", "uri:subscriberid", "uri:simserial",
}
#: Blocks whose rows are all left out with them.
_BLOCKS = {"repeat", "score", "rank", "kobomatrix"}


def _unsupported_type_reason(kind: str) -> str | None:
    """Why a type is left out, or None when it is not one consult leaves out."""
    if kind in _METADATA:
        return _(
            "Respondent metadata (“%(type)s”) is refused on purpose: consult never records when, where, on "
            "which device or under which account someone answers, because that could identify her. "
            "The row is left out.",
            type=kind,
        )
    reasons = {
        "calculate": _("Calculations are not supported: consult stores only what respondents answer. "
                       "The row is left out."),
        "geopoint": _("Locations are not collected: a respondent's location could identify her. The row is left out."),
        "image": _("Photos, recordings and files are not collected: consult keeps text and choices only. "
                   "The row is left out."),
        "barcode": _("Barcode scanning is not supported. The row is left out."),
        "hidden": _("Hidden fields are not supported. The row is left out."),
        "time": _("Time questions are not supported (a date question is). The row is left out."),
        "external": _("Choices or data from an external file are not supported; put the choices in the choices "
                      "sheet. The row is left out."),
    }
    family = {
        "geotrace": "geopoint", "geoshape": "geopoint", "osm": "geopoint",
        "audio": "image", "video": "image", "file": "image", "background-audio": "image", "signature": "image",
        "datetime": "time",
        "xml-external": "external", "csv-external": "external", "select_one_from_file": "external",
        "select_multiple_from_file": "external", "select_one_external": "external",
    }.get(kind, kind)
    return reasons.get(family)


# --- the rows of the survey sheet as a tree ---------------------------------------------


@dataclass
class _Row:
    """One row of a sheet with its columns, read by column name."""
    number: int
    cells: list[str]
    columns: list[Column]

    def value(self, base: str) -> str:
        for column in self.columns:
            if column.base == base and column.language is None and self.cells[column.index]:
                return self.cells[column.index]
        return ""

    def texts(self, base: str, default: str) -> dict[str, str]:
        """The row's text in each language; a column with a code wins over a plain one."""
        texts: dict[str, str] = {}
        for column in self.columns:
            if column.base != base or column.language is None:
                continue
            value = self.cells[column.index]
            code = default if column.language == languages.DEFAULT else column.language
            if value and (column.language != languages.DEFAULT or code not in texts):
                texts[code] = value
        return texts

    def filled(self, base: str) -> Column | None:
        """The first column of that name with something in this row."""
        return next((c for c in self.columns if c.base == base and self.cells[c.index]), None)


@dataclass
class _Item:
    """A question row of the survey sheet."""
    row: _Row
    kind: str
    name: str
    list_name: str | None = None
    or_other: bool = False


@dataclass
class _Group:
    """begin_group ... end_group (or a repeat or KoboToolbox block) and what it holds."""
    row: _Row | None
    name: str
    #: "group", or a block whose contents are left out ("repeat", "score", ...).
    block: str = "group"
    children: list[_Item | _Group] = field(default_factory=list)
    end_row: int | None = None


@dataclass
class _Name:
    """What a name in the survey sheet stands for, for duplicates and ${references}."""
    kind: str  # question, matrix_row, left_out, group
    row: int


@dataclass
class _Pending:
    """Conditions waiting for every name to be known: (expression, row, column) parts."""

    target: dict[str, Any]
    parts: list[tuple[str, int, Column | None]]
    #: Where validate_logic's problems about this target are reported.
    row: int
    column: Column | None


def read_xlsform(data: bytes) -> XLSFormImport:
    """Read an XLSForm workbook into a consultation definition (state "draft").

    Never raises for a bad file: see :attr:`XLSFormImport.errors` (the file cannot be
    imported), :attr:`~XLSFormImport.unsupported` (rows or features left out) and
    :attr:`~XLSFormImport.notes` (adaptations).

    :param data: the bytes of an .xlsx file.
    """
    reader = _Reader()
    definition = reader.read(data)
    return XLSFormImport(definition=definition, problems=reader.sorted_problems())


class _Reader:
    """One reading of a workbook: the definition it builds and the problems it finds."""
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.default = "en"
        self.languages: list[str] = []
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.names: dict[str, _Name] = {}
        self.pending: list[_Pending] = []
        self.sheet_names: dict[str, str] = {}
        self.questions: dict[str, dict[str, Any]] = {}

    # --- problems ---

    def report(self, severity: Severity, reason: str, sheet: str | None = None, row: int | None = None,
               column: Column | None = None) -> None:
        """Record a problem; `sheet` is the lower-case key, written back as the workbook spells it."""
        self.problems.append(Problem(
            sheet=self.sheet_names.get(sheet, sheet) if sheet else None,
            row=row,
            column=column.header if column else None,
            reason=reason,
            severity=severity,
            letter=column.letter if column else None,
        ))

    def error(self, reason: str, sheet: str | None = None, row: int | None = None, column: Column | None = None):
        self.report(Severity.ERROR, reason, sheet, row, column)

    def sorted_problems(self) -> list[Problem]:
        order = {"survey": 1, "choices": 2, "settings": 3}
        return sorted(
            self.problems,
            key=lambda p: (order.get((p.sheet or "").lower(), 0 if p.sheet is None else 4), p.row or 0),
        )

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    # --- the whole file ---

    def read(self, data: bytes) -> dict[str, Any]:
        """The definition from the bytes of a workbook (empty when the file cannot be read)."""
        definition: dict[str, Any] = {"slug": "", "state": "draft", "default_language": "en", "languages": [],
                                      "title": {}, "introduction": {}, "consent_text": {},
                                      "retention_days": 730, "k_threshold": 10, "sections": []}
        try:
            sheets = read_workbook(data)
        except WorkbookError as error:
            self.error(error.reason, error.sheet, error.row)
            return definition
        self.sheet_names = {key: sheet.name for key, sheet in sheets.items()}
        survey = sheets.get("survey")
        if survey is None:
            found = ", ".join(sheet.name for sheet in sheets.values()) or "-"
            self.error(_("The workbook has no “survey” sheet (its sheets: %(sheets)s). An XLSForm lists its "
                         "questions in a sheet named survey.", sheets=found))
            return definition
        if not survey.header:
            self.error(_("The survey sheet is empty."), "survey")
            return definition
        survey_columns = self.columns(survey, "survey")
        for required in ("type", "name"):
            if not any(c.base == required for c in survey_columns):
                self.error(_("The survey sheet has no “%(column)s” column.", column=required), "survey", 1)
        if not survey.rows:
            self.error(_("The survey sheet has no questions."), "survey")
        settings = sheets.get("settings")
        choices = sheets.get("choices")
        settings_columns = self.columns(settings, "settings") if settings else []
        choices_columns = self.columns(choices, "choices") if choices else []
        if self.failed:
            return definition

        self.choose_languages(settings, settings_columns, survey_columns, choices_columns)
        definition.update(self.settings(settings, settings_columns))
        if choices is not None:
            self.read_choices(choices, choices_columns)
        root = self.tree(survey, survey_columns)
        self.note_unknown_columns(survey, survey_columns)
        if self.failed:
            return definition
        sections = self.sections(root)
        definition["sections"] = sections
        if not self.failed:
            self.resolve_conditions(definition)
        if not self.failed and not any(s["questions"] for s in sections):
            self.error(_("The form has no question that consult can import."), "survey")
        definition["default_language"] = self.default
        definition["languages"] = self.languages
        return definition

    def columns(self, sheet: Sheet, key: str) -> list[Column]:
        """A sheet's columns, with an error for a language header no one can read."""
        columns = []
        for index, header in enumerate(sheet.header):
            if not header:
                continue
            column = parse_header(index, header, sheet.letter(index))
            if column.ignored:
                continue
            if column.language is None and column.language_text is not None and column.base in TEXTS:
                self.error(
                    _("Cannot tell which language “%(language)s” is. Write the header with the language code in "
                      "parentheses, for example label::Français (fr).", language=column.language_text),
                    key, 1, column,
                )
                continue
            columns.append(column)
        return columns

    # --- languages and settings ---

    def choose_languages(self, settings: Sheet | None, settings_columns: list[Column],
                         survey_columns: list[Column], choices_columns: list[Column]) -> None:
        """The default language and the languages of the form, from settings and headers."""
        declared = ""
        if settings is not None and settings.rows:
            declared = _Row(settings.rows[0][0], settings.rows[0][1], settings_columns).value("default_language")
        default = languages.resolve(declared) if declared else None
        text_columns = [c for c in survey_columns + choices_columns + settings_columns
                        if c.base in TEXTS and c.language]
        plain = any(c.language == languages.DEFAULT for c in text_columns)
        coded = [c.language for c in text_columns if c.language != languages.DEFAULT]
        if declared and default in (None, languages.DEFAULT):
            if default is None:
                self.error(_("The default_language “%(language)s” is not a language consult knows; write it as "
                             "English (en).", language=declared), "settings", settings.rows[0][0] if settings else 2,
                           next((c for c in settings_columns if c.base == "default_language"), None))
            default = None
        if default is None:
            if plain or not coded:
                default = "en"
                if plain:
                    self.report(Severity.NOTE, _("The form does not say which language its plain label column is "
                                                 "in, so it is taken as English (en). Set default_language in the "
                                                 "settings sheet to say otherwise."), "settings" if settings else None)
            else:
                default = coded[0]
        self.default = default
        found: list[str] = []
        for column in text_columns:
            code = default if column.language == languages.DEFAULT else column.language
            if code not in found:
                found.append(code)
        if default not in found:
            found.insert(0, default)
        self.languages = found

    def settings(self, sheet: Sheet | None, columns: list[Column]) -> dict[str, Any]:
        """Title, slug and the consult:: fields of the settings sheet."""
        if sheet is None or not sheet.rows:
            return {}
        number, cells = sheet.rows[0]
        row = _Row(number, cells, columns)
        values: dict[str, Any] = {}
        title = row.texts("consult::title", self.default)
        if row.value("form_title"):
            title[self.default] = row.value("form_title")
        values["title"] = self.known_languages(title)
        values["introduction"] = self.known_languages(row.texts("consult::introduction", self.default))
        values["consent_text"] = self.known_languages(row.texts("consult::consent_text", self.default))
        values["slug"] = slugify(row.value("form_id")) or slugify(row.value("form_title"))
        for name, low in (("retention_days", 1), ("k_threshold", 5)):
            text = row.value(f"consult::{name}")
            if not text:
                continue
            column = row.filled(f"consult::{name}")
            try:
                values[name] = int(text)
            except ValueError:
                values[name] = None
            if values[name] is None or values[name] < low:
                values.pop(name)
                self.error(_("%(name)s must be a whole number of at least %(low)s.", name=name, low=low),
                           "settings", number, column)
        for name in ("opens_on", "closes_on"):
            text = row.value(f"consult::{name}")
            if text:
                try:
                    values[name] = date.fromisoformat(text[:10]).isoformat()
                except ValueError:
                    self.error(_("%(name)s must be a date written as YYYY-MM-DD.", name=name), "settings", number,
                               row.filled(f"consult::{name}"))
        return values

    def known_languages(self, texts: dict[str, str]) -> dict[str, str]:
        return {code: text for code, text in texts.items() if code in self.languages}

    # --- choices ---

    def read_choices(self, sheet: Sheet, columns: list[Column]) -> None:
        """The choice lists of the choices sheet."""
        if not sheet.rows:
            return
        for required in ("list_name", "name"):
            if not any(c.base == required for c in columns):
                self.error(_("The choices sheet has no “%(column)s” column.", column=required), "choices", 1)
        if self.failed:
            return
        seen: dict[tuple[str, str], int] = {}
        for number, cells in sheet.rows:
            row = _Row(number, cells, columns)
            list_name, name = row.value("list_name"), row.value("name")
            if not list_name and not name:
                continue
            if not list_name:
                self.error(_("This choice has no list_name."), "choices", number, row.filled("name"))
                continue
            if not name:
                self.error(_("This choice has no name."), "choices", number, row.filled("list_name"))
                continue
            if len(name) > MAX_KEY_LENGTH:
                self.error(_("The name is longer than %(limit)s characters.", limit=MAX_KEY_LENGTH),
                           "choices", number, row.filled("name"))
                continue
            if (list_name, name) in seen:
                self.error(_("The list %(list)s already has a choice named “%(name)s” (row %(row)s).",
                             list=list_name, name=name, row=seen[list_name, name]), "choices", number,
                           row.filled("name"))
                continue
            seen[list_name, name] = number
            label = self.known_languages(row.texts("label", self.default))
            self.check_text(row, "choices", ("label",))
            self.lists.setdefault(list_name, []).append({"key": name, "label": label})

    # --- the survey sheet ---

    def tree(self, sheet: Sheet, columns: list[Column]) -> _Group:
        """The survey rows as nested groups, with errors for rows and groups that do not fit."""
        root = _Group(row=None, name="")
        stack = [root]
        for number, cells in sheet.rows:
            row = _Row(number, cells, columns)
            type_text = " ".join(row.value("type").split())
            name = row.value("name")
            if not type_text:
                if name or row.filled("label"):
                    self.error(_("This row has no type."), "survey", number, row.filled("name") or row.filled("label"))
                continue
            if row.value("disabled").lower() in _TRUE and not type_text.lower().startswith(("begin", "end")):
                continue
            lowered = type_text.lower()
            match = re.match(r"^(begin|end)[ _](group|repeat|score|rank|kobomatrix)$", lowered)
            if match:
                which, block = match.groups()
                if which == "begin":
                    if len(stack) > MAX_GROUP_DEPTH:
                        self.error(_("Groups are nested more than %(limit)s deep.", limit=MAX_GROUP_DEPTH),
                                   "survey", number, row.filled("type"))
                        return root
                    group = _Group(row=row, name=name, block="group" if block == "group" else block)
                    stack[-1].children.append(group)
                    stack.append(group)
                    if name:
                        self.register(name, "left_out" if self.inside_block(stack) else "group", row)
                    continue
                kind = "group" if block == "group" else block
                if len(stack) == 1 or stack[-1].block != kind:
                    opened = stack[-1]
                    if len(stack) == 1:
                        reason = _("end_%(block)s without a matching begin_%(block)s.", block=block)
                    else:
                        reason = _("end_%(block)s closes begin_%(open)s of row %(row)s.", block=block,
                                   open=opened.block, row=opened.row.number if opened.row else "?")
                    self.error(reason, "survey", number, row.filled("type"))
                    return root
                stack.pop().end_row = number
                continue
            item = self.item(row, type_text)
            if item is None:
                continue
            stack[-1].children.append(item)
            if item.name:
                self.register(item.name, "left_out" if self.inside_block(stack) else "question", row)
        for group in stack[1:]:
            self.error(_("begin_%(block)s has no matching end_%(block)s.", block=group.block), "survey",
                       group.row.number if group.row else None, group.row.filled("type") if group.row else None)
        return root

    @staticmethod
    def inside_block(stack: list[_Group]) -> bool:
        return any(g.block != "group" for g in stack)

    def item(self, row: _Row, type_text: str) -> _Item | None:
        """A question row, or None (with an error) when its type or name is unusable."""
        if not row.value("name"):
            self.error(_("This row has no name."), "survey", row.number, row.filled("type"))
            return None
        match = _SELECT.match(type_text)
        if match:
            kind = match.group(1).lower()
            kind = _TYPE_ALIASES.get(kind, kind)
            return _Item(row, kind, row.value("name"), match.group(2), bool(match.group(3)))
        kind = _TYPE_ALIASES.get(type_text.lower(), type_text.lower())
        if kind.split(" ")[0] in ("select_one_from_file", "select_multiple_from_file", "select_one_external"):
            kind = kind.split(" ")[0]
        elif kind in ("select_one", "select_multiple", "rank"):
            self.error(_("The type %(type)s needs the name of a choice list after it, for example "
                         "“select_one regions”.", type=kind), "survey", row.number, row.filled("type"))
            return None
        if kind not in _COMPATIBLE and _unsupported_type_reason(kind) is None:
            self.error(_("Unknown question type “%(type)s”.", type=type_text), "survey", row.number,
                       row.filled("type"))
            return None
        return _Item(row, kind, row.value("name"))

    def register(self, name: str, kind: str, row: _Row) -> None:
        """Note a name, with an error when it is invalid or already used."""
        column = row.filled("name")
        if not _NAME.match(name) or len(name) > MAX_KEY_LENGTH:
            self.error(_("The name “%(name)s” is not valid: it must start with a letter or _, hold only letters, "
                         "digits, _, - and ., and be at most %(limit)s characters long.", name=name,
                         limit=MAX_KEY_LENGTH), "survey", row.number, column)
            return
        earlier = self.names.get(name)
        if earlier is not None and (kind != "group" or earlier.kind != "group"):
            self.error(_("The name “%(name)s” is already used in row %(row)s; names must be unique.", name=name,
                         row=earlier.row), "survey", row.number, column)
            return
        self.names.setdefault(name, _Name(kind, row.number))

    def note_unknown_columns(self, sheet: Sheet, columns: list[Column]) -> None:
        """A note for each column with content that consult does not read."""
        for column in columns:
            if column.base in SURVEY_KNOWN or column.base in ("list_name",):
                continue
            if any(cells[column.index] for _n, cells in sheet.rows):
                self.report(Severity.NOTE, _("The column “%(column)s” is not used by consult and is ignored.",
                                             column=column.header), "survey", 1, column)

    # --- sections and questions ---

    def sections(self, root: _Group) -> list[dict[str, Any]]:
        """Top-level groups as sections; questions outside groups in sections of their own."""
        sections: list[dict[str, Any]] = []
        loose: dict[str, Any] | None = None
        emptied: list[tuple[dict[str, Any], _Group]] = []
        for node in root.children:
            if isinstance(node, _Group) and node.block != "group":
                self.leave_out_block(node)
                continue
            if isinstance(node, _Group) and self.matrix_rows(node, top=True) is None:
                section = self.new_section(node)
                sections.append(section)
                self.fill(section, node.children, [])
                if node.children and not section["questions"]:
                    emptied.append((section, node))
                loose = None
                continue
            if loose is None:
                loose = self.new_section(None)
                sections.append(loose)
            self.fill(loose, [node], [])
        for section, group in emptied:
            sections.remove(section)
            self.pending = [p for p in self.pending if p.target is not section]
            self.report(Severity.NOTE, _("This group has no question that consult can import, so it is left out."),
                        "survey", group.row.number if group.row else None)
        sections[:] = [s for s in sections if s["questions"] or s["title"] or s.get("_group")]
        for section in sections:
            section.pop("_group", None)
        return sections

    def new_section(self, group: _Group | None) -> dict[str, Any]:
        """A section for a top-level group (or for loose questions when `group` is None)."""
        section: dict[str, Any] = {"title": {}, "description": {}, "relevance": None, "questions": [],
                                   "_group": group is not None}
        if group is None or group.row is None:
            return section
        row = group.row
        section["title"] = self.known_languages(row.texts("label", self.default))
        section["description"] = self.known_languages(row.texts("hint", self.default))
        self.check_row_features(row, group_row=True)
        relevant = row.filled("relevant")
        if relevant:
            self.pending.append(_Pending(section, [(row.cells[relevant.index], row.number, relevant)],
                                         row.number, relevant))
        return section

    def fill(self, section: dict[str, Any], nodes: Iterable[_Item | _Group],
             conditions: list[tuple[str, int, Column | None]]) -> None:
        """Add the questions of `nodes` to a section, flattening nested groups."""
        for node in nodes:
            if isinstance(node, _Group):
                if node.block != "group":
                    self.leave_out_block(node)
                    continue
                rows = self.matrix_rows(node, top=False)
                if rows is not None:
                    self.add(section, self.matrix(node, rows), node.row, conditions)
                    continue
                self.flatten(node)
                relevant = node.row.filled("relevant") if node.row else None
                inner = conditions + ([(node.row.cells[relevant.index], node.row.number, relevant)]
                                      if relevant and node.row else [])
                self.fill(section, node.children, inner)
                continue
            self.add(section, self.question(node), node.row, conditions)

    def add(self, section: dict[str, Any], question: dict[str, Any] | None, row: _Row | None,
            conditions: list[tuple[str, int, Column | None]]) -> None:
        """Add a question to a section; its conditions (and those of enclosing groups) wait for every name."""
        if question is None or row is None:
            return
        section["questions"].append(question)
        self.questions[question["key"]] = question
        relevant = row.filled("relevant")
        parts = list(conditions)
        if relevant:
            parts.append((row.cells[relevant.index], row.number, relevant))
        if parts:
            self.pending.append(_Pending(question, parts, row.number, relevant))

    def flatten(self, group: _Group) -> None:
        """A group inside a section: its questions join the section (a note when that loses anything)."""
        row = group.row
        if row is None:
            return
        self.check_row_features(row, group_row=True)
        if row.filled("relevant"):
            reason = _("Groups inside a section are not kept: the questions of “%(name)s” join the section, each "
                       "with the group's condition.", name=group.name or "?")
        elif row.texts("label", self.default):
            reason = _("Groups inside a section are not kept: the questions of “%(name)s” join the section and "
                       "the group's label is not shown.", name=group.name or "?")
        else:
            return
        self.report(Severity.NOTE, reason, "survey", row.number, row.filled("type"))

    def leave_out_block(self, group: _Group) -> None:
        """Report a repeat (or KoboToolbox block) left out with everything in it."""
        row = group.row
        if row is None:
            return
        count = sum(1 for _ in _items(group))
        rows = f"{row.number}–{group.end_row}" if group.end_row else str(row.number)
        if group.block == "repeat":
            reason = _("Repeats are not supported: the repeat “%(name)s” and its %(count)s questions "
                       "(rows %(rows)s) are left out.", name=group.name or "?", count=count, rows=rows)
        else:
            reason = _("KoboToolbox's own “%(block)s” block is not an XLSForm feature consult reads: rows %(rows)s "
                       "are left out. Rebuild it as a group of select_one questions with appearance table-list.",
                       block=group.block, rows=rows)
        self.report(Severity.UNSUPPORTED, reason, "survey", row.number, row.filled("type"))

    # --- one question ---

    def question(self, item: _Item) -> dict[str, Any] | None:
        """The consult question for a row, or None when it is left out."""
        row = item.row
        reason = _unsupported_type_reason(item.kind) if item.kind not in _COMPATIBLE else None
        if reason:
            self.names[item.name] = _Name("left_out", row.number)
            self.report(Severity.UNSUPPORTED, reason, "survey", row.number, row.filled("type"))
            return None
        kind = item.kind
        wanted = row.value("consult::type")
        appearance = row.value("appearance").lower().split()
        question: dict[str, Any] = {
            "key": item.name, "type": "", "required": self.flag(row, "required"),
            "demographic": self.flag(row, "consult::demographic"),
            "label": self.known_languages(row.texts("label", self.default)),
            "help": self.known_languages(row.texts("hint", self.default)),
            "options": self.leftover_options(row), "relevance": None, "choices": [],
        }
        choices: list[dict[str, Any]] = []
        if item.list_name is not None:
            choices = self.choice_list(item.list_name, row)
            if choices is None:
                return None
            if item.or_other:
                self.report(Severity.UNSUPPORTED, _("or_other is left out: add an “other” choice and a text question "
                                                    "shown when it is chosen."), "survey", row.number,
                            row.filled("type"))
        ours = {
            "text": "long_text" if "multiline" in appearance else "short_text",
            "integer": "number", "decimal": "number", "date": "date",
            "select_one": "yes_no" if {c["key"] for c in choices} == {"yes", "no"} and len(choices) == 2
            else "single_choice",
            "select_multiple": "multiple_choice", "rank": "ranking", "range": "rating",
            "acknowledge": "consent", "note": "info",
        }[kind]
        if wanted:
            if wanted in _COMPATIBLE[kind] and not (wanted == "yes_no" and ours != "yes_no"):
                ours = wanted
            else:
                self.report(Severity.NOTE, _("consult::type “%(wanted)s” does not fit the type %(type)s; the "
                                             "question is imported as %(ours)s.", wanted=wanted, type=kind, ours=ours),
                            "survey", row.number, row.filled("consult::type"))
        question["type"] = ours
        options = question["options"]
        if ours != "yes_no":
            question["choices"] = choices
        if kind in ("integer", "decimal"):
            options["integer"] = kind == "integer"
        if ours == "single_choice" and "minimal" in appearance:
            options["appearance"] = "list"
        if kind == "range":
            if not self.range_options(row, options):
                self.names[item.name] = _Name("left_out", row.number)
                return None
            for end in ("min_label", "max_label"):
                texts = self.known_languages(row.texts(f"consult::{end}", self.default))
                if texts:
                    options[end] = texts
        if ours in ("info",):
            question["required"] = False
        self.constraint(row, question)
        self.check_row_features(row, group_row=False, kind=kind)
        return question

    def flag(self, row: _Row, base: str) -> bool:
        """A yes/no column (required, consult::demographic); anything else is reported."""
        text = row.value(base).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if base == "required":
            self.report(Severity.UNSUPPORTED, _("Required only under a condition (“%(value)s”) is not supported; "
                                                "the question is imported as optional.", value=row.value(base)),
                        "survey", row.number, row.filled(base))
        else:
            self.report(Severity.NOTE, _("%(column)s must be yes or no; “%(value)s” is taken as no.", column=base,
                                         value=row.value(base)), "survey", row.number, row.filled(base))
        return False

    def leftover_options(self, row: _Row) -> dict[str, Any]:
        """The options carried in consult::options (JSON)."""
        text = row.value("consult::options")
        if not text:
            return {}
        try:
            options = json.loads(text)
        except ValueError:
            options = None
        if not isinstance(options, dict):
            self.report(Severity.UNSUPPORTED, _("consult::options is not a JSON object; it is left out."),
                        "survey", row.number, row.filled("consult::options"))
            return {}
        return options

    def choice_list(self, list_name: str, row: _Row) -> list[dict[str, Any]] | None:
        """A copy of the choices of a list, or None (with an error) when it does not exist."""
        choices = self.lists.get(list_name)
        if not choices:
            self.error(_("The choice list “%(list)s” is not in the choices sheet.", list=list_name), "survey",
                       row.number, row.filled("type"))
            return None
        return [{"key": c["key"], "label": dict(c["label"])} for c in choices]

    def range_options(self, row: _Row, options: dict[str, Any]) -> bool:
        """min and max of a rating from the range parameters; False when it cannot be one."""
        parameters = _parameters(row.value("parameters"))
        column = row.filled("parameters")
        try:
            start = float(parameters.pop("start", "1"))
            end = float(parameters.pop("end", "10"))
            step = float(parameters.pop("step", "1"))
        except ValueError:
            self.report(Severity.UNSUPPORTED, _("The range parameters are not numbers; the question is left out."),
                        "survey", row.number, column)
            return False
        if not start.is_integer() or not end.is_integer() or end <= start:
            self.report(Severity.UNSUPPORTED, _("A rating scale goes up in whole numbers from start to a larger end; "
                                                "this range does not, and is left out."), "survey", row.number, column)
            return False
        if end - start + 1 > MAX_RATING_VALUES:
            self.report(Severity.UNSUPPORTED, _("A rating shows each value as a button, at most %(limit)s; this range "
                                                "is left out.", limit=MAX_RATING_VALUES), "survey", row.number, column)
            return False
        if step != 1:
            self.report(Severity.UNSUPPORTED, _("The step %(step)s is left out: a rating offers every whole number "
                                                "from start to end.", step=expressions.number_text(step)),
                        "survey", row.number, column)
        if parameters:
            self.report(Severity.NOTE, _("The parameters %(names)s are ignored.", names=", ".join(parameters)),
                        "survey", row.number, column)
        options["min"], options["max"] = int(start), int(end)
        return True

    def constraint(self, row: _Row, question: dict[str, Any]) -> None:
        """The question's limits from its constraint, or a report of why not."""
        column = row.filled("constraint")
        if column is None:
            return
        try:
            found = expressions.to_options(row.cells[column.index], question["type"],
                                           bool(question["options"].get("integer")), question["key"])
        except ExpressionError as error:
            self.report(Severity.UNSUPPORTED, _("The constraint is left out: %(reason)s", reason=error.reason),
                        "survey", row.number, column)
            return
        question["options"].update(found)

    def check_row_features(self, row: _Row, group_row: bool, kind: str = "") -> None:
        """Report the columns of a row that consult cannot honour."""
        def left_out(base: str, reason: str, severity: Severity = Severity.UNSUPPORTED) -> None:
            column = row.filled(base)
            if column is not None:
                self.report(severity, reason, "survey", row.number, column)

        left_out("default", _("Default answers are left out: consult never fills in an answer for a respondent."))
        left_out("choice_filter", _("The choice filter is left out: every choice of the list is shown."))
        left_out("calculation", _("The calculation is left out: consult stores only what respondents answer."))
        left_out("trigger", _("The trigger is left out: consult does not recalculate answers."))
        left_out("read_only", _("read_only is left out: respondents can answer this question."))
        left_out("constraint_message", _("The constraint message is not kept: consult shows its own translated "
                                         "message."), Severity.NOTE)
        left_out("required_message", _("The required message is not kept: consult shows its own translated "
                                       "message."), Severity.NOTE)
        left_out("guidance_hint", _("The guidance hint is not kept."), Severity.NOTE)
        for base in sorted(MEDIA):
            left_out(base, _("Images, audio and video are left out: consult shows text only."))
        if group_row:
            left_out("constraint", _("A constraint on a group is left out."))
        parameters = row.filled("parameters")
        if parameters is not None and kind != "range":
            self.report(Severity.NOTE, _("The parameters are ignored for this type (%(parameters)s).",
                                         parameters=row.cells[parameters.index]), "survey", row.number, parameters)
        self.check_text(row, "survey", ("label", "hint"))

    def check_text(self, row: _Row, sheet: str, bases: tuple[str, ...]) -> None:
        """Report ${references} in texts: consult shows labels as written."""
        for column in row.columns:
            if column.base in bases and _REFERENCE.search(row.cells[column.index]):
                self.report(Severity.UNSUPPORTED, _("Labels cannot show earlier answers (${...}); the text is imported "
                                                    "as written, so reword it."), sheet, row.number, column)
                return

    # --- matrices ---

    def matrix_rows(self, group: _Group, top: bool) -> list[_Item] | None:
        """The rows of a group that is a matrix, or None when it is not one."""
        if group.row is None or group.block != "group":
            return None
        appearance = group.row.value("appearance").lower().split()
        wanted = group.row.value("consult::type") == "matrix"
        items = [c for c in group.children if isinstance(c, _Item)]
        pattern = any({"label", "list-nolabel"} & set(c.row.value("appearance").lower().split()) for c in items)
        if not (wanted or "table-list" in appearance or "field-list" in appearance and (not top or pattern)):
            return None
        rows = [c for c in items if "label" not in c.row.value("appearance").lower().split()]
        fits = (
            rows and len(items) == len(group.children)
            and all(c.kind == "select_one" for c in items)
            and len({c.list_name for c in items}) == 1
        )
        if not fits:
            if wanted:
                self.report(Severity.NOTE, _("consult::type matrix needs only select_one questions over the same "
                                             "list in the group; it is imported as a group."), "survey",
                            group.row.number, group.row.filled("consult::type"))
            return None
        return rows

    def matrix(self, group: _Group, rows: list[_Item]) -> dict[str, Any] | None:
        """The matrix question of a table-list group."""
        row = group.row
        assert row is not None
        if not group.name:
            self.error(_("This group is a matrix question and needs a name."), "survey", row.number,
                       row.filled("type"))
            return None
        earlier = self.names.get(group.name)
        if earlier is not None and earlier.kind != "group":
            self.error(_("The name “%(name)s” is already used in row %(row)s; names must be unique.",
                         name=group.name, row=earlier.row), "survey", row.number, row.filled("name"))
            return None
        self.names[group.name] = _Name("question", row.number)
        choices = self.choice_list(rows[0].list_name or "", rows[0].row)
        if choices is None:
            return None
        prefix = group.name + "_"
        strip = all(r.name.startswith(prefix) and len(r.name) > len(prefix) for r in rows)
        matrix_rows = []
        required = []
        for item in rows:
            self.names[item.name] = _Name("matrix_row", item.row.number)
            matrix_rows.append({
                "key": item.name[len(prefix):] if strip else item.name,
                "label": self.known_languages(item.row.texts("label", self.default)),
            })
            required.append(self.flag(item.row, "required"))
            for base, reason in (
                ("relevant", _("A condition on one row of a matrix is left out: the whole matrix is shown or not.")),
                ("constraint", _("A constraint on one row of a matrix is left out.")),
                ("hint", _("A hint on one row of a matrix is not kept; put it on the group.")),
            ):
                column = item.row.filled(base)
                if column is not None:
                    self.report(Severity.UNSUPPORTED if base != "hint" else Severity.NOTE, reason, "survey",
                                item.row.number, column)
            self.check_row_features(item.row, group_row=False, kind="select_one")
        if any(required) and not all(required):
            self.report(Severity.NOTE, _("Only some rows of this matrix are required; a consult matrix is required "
                                         "as a whole, so it is imported as not required."), "survey", row.number)
        options = self.leftover_options(row)
        options["rows"] = matrix_rows
        self.check_row_features(row, group_row=True)
        return {
            "key": group.name, "type": "matrix", "required": all(required),
            "demographic": self.flag(row, "consult::demographic"),
            "label": self.known_languages(row.texts("label", self.default)),
            "help": self.known_languages(row.texts("hint", self.default)),
            "options": options, "relevance": None, "choices": choices,
        }

    # --- conditions ---

    def resolve_conditions(self, definition: dict[str, Any]) -> None:
        """Every relevant expression as a condition, then validate_logic's check."""
        targets = {
            key: Target(q["type"], q["type"] == "rating" or q["type"] == "number" and bool(q["options"].get("integer")))
            for key, q in self.questions.items()
        }

        def resolve(name: str) -> Target:
            """The question a ${name} refers to, or why a condition cannot use it."""
            if name in targets:
                return targets[name]
            known = self.names.get(name)
            if known is None:
                raise ExpressionError(_("It refers to ${%(name)s}, which is not in the form.", name=name),
                                      unknown_name=name)
            if known.kind == "matrix_row":
                raise ExpressionError(_("A condition on one row of a matrix (${%(name)s}) cannot be expressed.",
                                        name=name))
            if known.kind == "group":
                raise ExpressionError(_("${%(name)s} is a group, not a question.", name=name))
            raise ExpressionError(_("It depends on ${%(name)s} (row %(row)s), which is left out.", name=name,
                                    row=known.row))

        for pending in self.pending:
            conditions = []
            for text, number, column in pending.parts:
                try:
                    conditions.append(expressions.to_condition(text, resolve))
                except ExpressionError as error:
                    severity = Severity.ERROR if error.unknown_name else Severity.UNSUPPORTED
                    self.report(severity, _("The condition is left out: %(reason)s", reason=error.reason),
                                "survey", number, column)
                    conditions = []
                    break
            if conditions:
                pending.target["relevance"] = conditions[0] if len(conditions) == 1 else {"all": conditions}
        by_target = {id(p.target): p for p in self.pending}
        where: dict[str, _Pending] = {}
        for index, section in enumerate(definition["sections"], start=1):
            if id(section) in by_target:
                where[f"section {index}"] = by_target[id(section)]
            for question in section["questions"]:
                if id(question) in by_target:
                    where[f"question {question['key']}"] = by_target[id(question)]
        for problem in validate_logic(definition):
            pending = where.get(problem.where)
            if pending is None or pending.target.get("relevance") is None:
                continue
            pending.target["relevance"] = None
            self.report(Severity.UNSUPPORTED, _("The condition is left out: %(reason)s", reason=problem.reason),
                        "survey", pending.row, pending.column)


def _items(group: _Group) -> Iterable[_Item]:
    """Every question row inside a group, however deep."""
    for child in group.children:
        if isinstance(child, _Group):
            yield from _items(child)
        else:
            yield child


def _parameters(text: str) -> dict[str, str]:
    """``start=1 end=5 step=1`` (spaces, commas or semicolons between) as a mapping."""
    pairs = re.findall(r"([\w-]+)\s*=\s*([^\s,;]+)", text)
    return {name.lower(): value for name, value in pairs}


def slugify(text: str) -> str:
    """A slug from a form_id or title: lower-case ASCII letters, digits, - and _ (at most 64)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_text.lower()).strip("-_")
    return slug[:64].strip("-_")
