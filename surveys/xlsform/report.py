"""What reading or importing an XLSForm found: problems with their place in the workbook."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

if TYPE_CHECKING:
    from surveys.models import Consultation


class Severity(enum.StrEnum):
    #: The file cannot be imported at all.
    """How much a problem matters to the import."""
    ERROR = "error"
    #: A row or a feature is left out; the rest imports only when the user agrees.
    UNSUPPORTED = "unsupported"
    #: Imported, with an adaptation the user should know about.
    NOTE = "note"


@dataclass(frozen=True)
class Problem:
    """One thing to tell the user about a workbook, where she will find it in Excel."""

    #: Sheet name as written in the workbook ("survey"), or None for the whole file.
    sheet: str | None
    #: Row number as Excel shows it (1 is the header row), or None.
    row: int | None
    #: Column header as written ("relevant", "label::English (en)"), or None.
    column: str | None
    #: Translated explanation, saying what was done about it.
    reason: str
    severity: Severity
    #: Column letter as Excel shows it ("F"), when known.
    letter: str | None = None

    @property
    def location(self) -> str:
        """Where it is, translated: "sheet survey, row 12, column relevant (F)"."""
        parts = []
        if self.sheet:
            parts.append(_("sheet %(sheet)s", sheet=self.sheet))
        if self.row:
            parts.append(_("row %(row)s", row=self.row))
        if self.column:
            column = f"{self.column} ({self.letter})" if self.letter else self.column
            parts.append(_("column %(column)s", column=column))
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}" if self.location else self.reason

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "reason": self.reason,
            "severity": self.severity.value,
        }


@dataclass
class XLSFormImport:
    """The result of reading a workbook: a consultation definition and what was found on the way.

    The definition has the shape of :func:`surveys.services.definition_of`; it is only
    usable when :attr:`errors` is empty.
    """

    definition: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def _with(self, severity: Severity) -> list[Problem]:
        return [p for p in self.problems if p.severity is severity]

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop the import."""
        return self._with(Severity.ERROR)

    @property
    def unsupported(self) -> list[Problem]:
        """Rows or features that are left out if the user imports anyway."""
        return self._with(Severity.UNSUPPORTED)

    @property
    def notes(self) -> list[Problem]:
        return self._with(Severity.NOTE)


class ImportRefused(Exception):
    """The workbook was not imported; `problems` says why, with sheet, row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems if p.severity is not Severity.NOTE))

    @property
    def blocking(self) -> list[Problem]:
        """The problems that refused the import (errors, or unsupported features)."""
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        return errors or [p for p in self.problems if p.severity is Severity.UNSUPPORTED]

    @property
    def only_unsupported(self) -> bool:
        """True when importing with ``skip_unsupported`` would succeed."""
        return not any(p.severity is Severity.ERROR for p in self.problems)


class UnknownConsultation(LookupError):
    """No consultation has this slug."""


@dataclass
class ImportReport:
    """What :func:`surveys.xlsform.import_xlsform` created, and what it left out or adapted."""

    consultation: Consultation
    slug: str
    languages: list[str]
    section_count: int
    question_count: int
    #: Unsupported rows and features that were left out, then notes.
    problems: list[Problem] = field(default_factory=list)

    @property
    def left_out(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.UNSUPPORTED]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.NOTE]
