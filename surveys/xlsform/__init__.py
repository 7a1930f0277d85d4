"""XLSForm import and export: the form format of ODK and KoboToolbox.

A workbook has a ``survey`` sheet (one row per question or group), a ``choices``
sheet (``list_name``, ``name``, labels) and a ``settings`` sheet (``form_title``,
``form_id``, ``default_language``; ``version`` and the rest are ignored). Text
columns carry their language: ``label::English (en)``, ``hint::Français (fr)``,
``label::العربية (ar)``; a header with a name only (``label::French``) is mapped to
a code with Babel's locale data, and a plain ``label`` is the default language
(``default_language`` in settings, else English). The consultation's languages are
the languages of these columns.

Types (XLSForm -> consult; export does the reverse):

=====================================  =============================================
``text``                               short_text; appearance ``multiline``: long_text
``integer`` / ``decimal``              number, options ``integer`` true / false
``date``                               date
``select_one L``                       single_choice (appearance ``minimal``: options
                                       ``appearance: list``); over a list whose names
                                       are exactly yes and no: yes_no
``select_multiple L``                  multiple_choice
``rank L``                             ranking
``range`` (parameters start, end)      rating (options min, max; pyxform's default 1-10)
``acknowledge``                        consent
``note``                               info
top-level ``begin_group``/``end_group``  a section (label: title, hint: description,
                                       relevant: the section's condition); questions
                                       outside any group form a section of their own
nested group                           flattened into its section (its condition is
                                       added to each of its questions; a note says so)
group with appearance ``table-list``   matrix (rows = its questions), when all its
(or a nested ``field-list``) of        questions are ``select_one`` over one list;
``select_one`` over one list           row names ``<matrix>_<row>`` lose the prefix
=====================================  =============================================

Columns: ``required`` (yes/true/1, ``yes()``/``true()``), ``relevant`` (the subset
of XPath in :mod:`surveys.xlsform.expressions`, checked with
:func:`surveys.logic.validate_logic`), ``constraint`` (ranges ``. >= 0 and . <= 120``,
dates ``. >= date('2020-01-01')``, ``string-length(.) <= 300``,
``count-selected(.) <= 3``), ``hint``, ``appearance``, ``parameters``.

What consult's model has and XLSForm has not travels in extra columns, which ODK
and KoboToolbox ignore (pyxform passes unknown columns by): ``consult::type`` (the
consult type, e.g. single_choice over a yes/no list), ``consult::demographic``,
``consult::min_label::<language>`` / ``consult::max_label::<language>`` (rating ends),
``consult::options`` (any other option, as JSON); in settings ``consult::title::<language>``
(``form_title`` holds the default language), ``consult::introduction::<language>``,
``consult::consent_text::<language>``, ``consult::retention_days``,
``consult::k_threshold``, ``consult::opens_on``, ``consult::closes_on``. Yes/no
questions export as ``select_one yes_no`` over a list labelled with the platform's
own translations. So ``read_xlsform(write_xlsform(d))`` gives ``d`` back, with
``state`` "draft" (an import is always a draft) and these normal forms: texts
without empty strings, number options always saying ``integer``, rating options
always saying min and max, ``any`` of ``equals`` on one question read as
``any_of``, and ``not(equals)`` on a multiple choice read as ``not_equals``.

Not supported, reported with sheet, row and reason (severity "unsupported": the row
or feature is left out if the user imports anyway): repeats (with their contents),
``calculate``, geopoint/geotrace/geoshape, image/audio/video/file/barcode, ``hidden``,
time and dateTime, external choices, ``or_other``, ``choice_filter``, ``default``,
``calculation``, ``trigger``, ``read_only``, media columns, ``${...}`` references in
labels, conditional ``required``, conditions and constraints outside the subset, and
respondent metadata (start, end, today, deviceid, phonenumber, username, email,
audit...): refused on purpose, because consult never records anything about the
people who answer. KoboToolbox's bookkeeping columns (``$kuid``, ``$given_name``,
``kobo--...``) are ignored. A malformed file (not an .xlsx, password-protected,
corrupt, empty, no survey sheet, no type or name column, duplicate names, a select
over a missing list, an unknown type) gives errors, never a traceback; sizes are
bounded (:mod:`surveys.xlsform.workbook`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from surveys.models import Consultation
from surveys.xlsform.reader import read_xlsform, slugify
from surveys.xlsform.report import (
    ImportRefused,
    ImportReport,
    Problem,
    Severity,
    UnknownConsultation,
    XLSFormImport,
)
from surveys.xlsform.writer import XLSFormWriteError, write_xlsform

__all__ = [
    "ImportRefused",
    "ImportReport",
    "Problem",
    "Severity",
    "UnknownConsultation",
    "XLSFormImport",
    "XLSFormWriteError",
    "export_filename",
    "export_xlsform",
    "export_xlsform_by_slug",
    "import_xlsform",
    "read_xlsform",
    "write_xlsform",
]


def import_xlsform(db: Session, data: bytes, slug: str | None = None, skip_unsupported: bool = False) -> ImportReport:
    """Create a draft consultation from an XLSForm workbook.

    :param db: the session; the consultation is flushed, the caller commits.
    :param data: the bytes of the .xlsx file.
    :param slug: the consultation's slug; by default the form_id of the settings sheet
        (made into a slug: lower-case letters, digits, - and _).
    :param skip_unsupported: import what consult supports and leave out the rest;
        otherwise any unsupported row or feature refuses the import.
    :returns: what was created, with the problems left out and the notes.
    :raises ImportRefused: with every problem (sheet, row, column, reason) when the
        file has errors, has unsupported features and `skip_unsupported` is false,
        has no form_id and no slug was given, or the slug is taken.
    """
    reading = read_xlsform(data)
    if reading.errors or (reading.unsupported and not skip_unsupported):
        raise ImportRefused(reading.problems)
    definition = dict(reading.definition)
    slug = slug.strip() if slug and slug.strip() else None  # an empty field in a form means "the form_id"
    chosen = slugify(slug) if slug is not None else definition.get("slug", "")
    where = {"sheet": None, "column": None} if slug is not None else {"sheet": "settings", "column": "form_id"}
    if not chosen:
        if slug is not None:
            reason = _("The slug “%(slug)s” has no letter or digit to make an address from.", slug=slug)
        else:
            reason = _("The settings sheet gives no form_id to name the consultation; give a slug.")
        raise ImportRefused([*reading.problems, Problem(row=None, reason=reason, severity=Severity.ERROR, **where)])
    if db.exec(select(Consultation.id).where(Consultation.slug == chosen)).first() is not None:
        raise ImportRefused([*reading.problems, _slug_taken(chosen, where)])
    definition.update(slug=chosen, state="draft")

    from surveys.services import create_consultation

    try:
        with db.begin_nested():
            consultation = create_consultation(db, definition)
    except IntegrityError:
        # Another import took the slug between the check and the insert.
        raise ImportRefused([*reading.problems, _slug_taken(chosen, where)]) from None
    sections = definition["sections"]
    return ImportReport(
        consultation=consultation,
        slug=chosen,
        languages=list(definition["languages"]),
        section_count=len(sections),
        question_count=sum(len(s["questions"]) for s in sections),
        problems=[p for p in reading.problems if p.severity is not Severity.ERROR],
    )


def _slug_taken(slug: str, where: dict) -> Problem:
    """The problem of a slug that another consultation already has."""
    reason = _("A consultation with the slug “%(slug)s” already exists; choose another slug.", slug=slug)
    return Problem(row=None, reason=reason, severity=Severity.ERROR, **where)


def export_xlsform(consultation: Consultation) -> bytes:
    """The consultation as an XLSForm workbook (.xlsx bytes), whatever its state.

    :raises XLSFormWriteError: if a question key is not a valid XLSForm name.
    """
    from surveys.services import definition_of

    return write_xlsform(definition_of(consultation))


def export_xlsform_by_slug(db: Session, slug: str) -> bytes:
    """The consultation with this slug as an XLSForm workbook (drafts included).

    :raises UnknownConsultation: if no consultation has this slug.
    :raises XLSFormWriteError: if a question key is not a valid XLSForm name.
    """
    consultation = db.exec(select(Consultation).where(Consultation.slug == slug)).first()
    if consultation is None:
        raise UnknownConsultation(slug)
    return export_xlsform(consultation)


def export_filename(consultation: Consultation) -> str:
    """The file name a download should suggest: ``<slug>.xlsx``."""
    return f"{consultation.slug}.xlsx"
