"""What each export holds, built the same way for the workspace's buttons and `consult export`.

Every export is of the whole consultation (filters narrow what the analyst looks
at, never what leaves the system) and is recorded in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from analysis import exports, queries
from analysis.brief import Brief, build_brief
from analysis.labels import Vocabulary
from surveys.models import Consultation

#: kind -> (file extension, media type)
KINDS = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "tables": ("csv", "text/csv; charset=utf-8"),
    "html": ("html", "text/html; charset=utf-8"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
#: What `consult export --format` accepts (PRODUCT.md).
CLI_KINDS = ("csv", "xlsx", "docx", "html")


class ExportRefused(ValueError):
    """No safe export exists (e.g. fewer than k responses); the message is translated."""


@dataclass(frozen=True)
class Download:
    """A finished export."""

    filename: str
    media_type: str
    content: bytes


def marker() -> str:
    """The one marker every hidden cell shows (translated)."""
    return _("suppressed")


def prepare_brief(db: Session, consultation: Consultation, language: str) -> tuple[Brief, Vocabulary, dict]:
    """The brief's data, vocabulary and translated sections for `consultation`."""
    dataset = queries.load_dataset(db, consultation)
    references = queries.load_references(db, consultation)
    brief = build_brief(dataset, references, queries.load_reviews(db, consultation))
    vocabulary = Vocabulary(dataset, language).with_references(references)
    sections = exports.brief_sections(brief, vocabulary, vocabulary.title(), marker())
    return brief, vocabulary, sections


def build_download(db: Session, consultation: Consultation, kind: str, language: str, actor) -> Download:
    """Build one export of `consultation` in `language` and record it in the audit log.

    :param kind: one of `KINDS`.
    :param actor: the signed-in staff member, or None (command line).
    :raises KeyError: for an unknown kind.
    :raises ExportRefused: when the consultation has too few responses for it.
    """
    from analysis.services import record_export
    from consult.privacy.disclosure.cells import DisclosureError

    extension, media_type = KINDS[kind]
    with force_locale(language):
        brief, vocabulary, sections = prepare_brief(db, consultation, language)
        dataset = vocabulary.dataset
        details: dict = {"language": language, "respondents": len(dataset.respondents)}
        if kind in ("csv", "xlsx"):
            try:
                rows = exports.response_rows(dataset, brief.references)
            except DisclosureError as error:
                raise ExportRefused(
                    _("This consultation has fewer than %(k)s responses: no row-level export is safe.",
                      k=dataset.k)
                ) from error
            report = rows.report
            details.update(
                rows=report.rows_out, generalised=report.generalised, rows_suppressed=report.rows_suppressed
            )
            if kind == "csv":
                content = exports.responses_csv(rows)
            else:
                notes = exports.export_notes(rows, vocabulary)
                tables = exports.aggregate_tables(dataset, brief.references, brief, vocabulary)
                content = exports.workbook(rows, tables, notes, exports.codes_table(dataset, vocabulary))
                details["tables"] = [t.name for t in tables]
        elif kind == "tables":
            tables = exports.aggregate_tables(dataset, brief.references, brief, vocabulary)
            content = exports.tables_csv(tables)
            details["tables"] = [t.name for t in tables]
        elif kind == "html":
            content = render_template(
                "analysis/brief_document.html", brief=brief, v=vocabulary, s=sections, marker=marker(),
                language=language,
            ).encode("utf-8")
        else:
            content = exports.brief_docx(brief, vocabulary, sections)
        details["approved_quotes"] = sum(len(f.quotes) for f in brief.findings) + len(brief.amplified_quotes)
        record_export(db, actor, consultation, kind, details)
    suffix = "brief" if kind in ("html", "docx") else "tables" if kind == "tables" else "responses"
    filename = f"{consultation.slug}-{suffix}-{date.today().isoformat()}.{extension}"
    return Download(filename, media_type, content)
