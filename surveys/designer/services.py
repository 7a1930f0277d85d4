"""What the designer workspace does, without HTTP: create and edit consultations,
their sections, questions, choices and skip logic; translate them; move them
through their states; share them; duplicate them.

Every function works on the caller's session and only ``flush()``es: the request
(or the CLI's unit of work) commits once. An edit that is refused raises
:class:`DesignError` with translated problems *before* anything is changed, so a
refused edit leaves the consultation exactly as it was.

Guards that protect responses: once answers exist, nothing may change what they
mean (deleting an answered question, changing its type or key, removing or
re-keying a chosen choice, narrowing a range that answers fall outside). Wording
and translations can always be fixed; new questions may be added if optional.

States: draft -> open -> closed -> archived. A closed consultation may be reopened
(the same checks as publishing); archived is final (duplicate it to start again).
A draft may be deleted; a consultation that was ever opened may not.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import re
import secrets
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, func, insert
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from consult.i18n import is_known_language, language_name
from surveys import logic
from surveys.fields import registry
from surveys.models import (
    Answer,
    Choice,
    Consultation,
    ConsultationState,
    InvitationBatch,
    InvitationCode,
    Localized,
    Question,
    Response,
    Section,
)
from surveys.services import RECEIPT_ALPHABET, create_consultation, definition_of, invitation_hash

DRAFT, OPEN, CLOSED, ARCHIVED = (s.value for s in ConsultationState)

#: Which state may follow which. Reopening runs the publishing checks again.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({OPEN}),
    OPEN: frozenset({CLOSED}),
    CLOSED: frozenset({OPEN, ARCHIVED}),
    ARCHIVED: frozenset(),
}

STATE_LABELS = {
    DRAFT: _l("Draft"),
    OPEN: _l("Open"),
    CLOSED: _l("Closed"),
    ARCHIVED: _l("Archived"),
}

TYPE_LABELS = {
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "number": _l("Number"),
    "date": _l("Date"),
    "single_choice": _l("One choice"),
    "multiple_choice": _l("Several choices"),
    "yes_no": _l("Yes or no"),
    "rating": _l("Rating scale"),
    "matrix": _l("Grid (rows on one scale)"),
    "ranking": _l("Ranking"),
    "consent": _l("Consent box"),
    "info": _l("Information text (no answer)"),
}

OPERATOR_LABELS = {
    "equals": _l("is"),
    "not_equals": _l("is not"),
    "any_of": _l("is any of"),
    "answered": _l("is answered"),
    "not_answered": _l("is not answered"),
    "greater": _l("is greater than"),
    "less": _l("is less than"),
}

#: Types whose answers are quasi-identifiers when flagged (disclosure control groups by them).
DEMOGRAPHIC_TYPES = frozenset({"single_choice", "multiple_choice", "yes_no"})
#: Settings the designer's question form manages, by type; others are kept as they are.
OPTION_NAMES: dict[str, tuple[str, ...]] = {
    "short_text": ("max_length",),
    "long_text": ("max_length",),
    "number": ("min", "max", "integer"),
    "date": ("min", "max"),
    "rating": ("min", "max", "min_label", "max_label"),
    "single_choice": ("appearance",),
    "multiple_choice": ("min_choices", "max_choices"),
    "matrix": ("rows",),
}
MANAGED_OPTIONS = frozenset(name for names in OPTION_NAMES.values() for name in names)

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
#: Question keys become form field names (``q-<key>``) and XLSForm names.
KEY_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
CHOICE_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
MAX_INVITATIONS = 5000
MAX_SCALE_POINTS = 11
MAX_RETENTION_DAYS = 36500
MAX_TRANSLATION_ROWS = 20000


@dataclass(frozen=True)
class Problem:
    """Why an edit was refused, for the designer; `field` names the form field at fault."""

    message: str
    field: str | None = None


class DesignError(ValueError):
    """An edit or state change was refused; `problems` say why (already translated)."""

    def __init__(self, problems: Iterable[Problem | str] | Problem | str):
        if isinstance(problems, str | Problem):
            problems = [problems]
        self.problems = [p if isinstance(p, Problem) else Problem(p) for p in problems]
        super().__init__("; ".join(p.message for p in self.problems))

    def messages(self, field: str | None = None) -> list[str]:
        """The messages about one form field (or those about no field in particular)."""
        return [p.message for p in self.problems if p.field == field]

    @property
    def fields(self) -> set[str]:
        """The form fields at fault."""
        return {p.field for p in self.problems if p.field}


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise DesignError(problems)


def _text(value: Any) -> str:
    return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def with_text(texts: Localized | None, language: str, value: str | None) -> Localized:
    """A copy of `texts` with `language` set to `value` (removed when empty).

    A new dict, so the JSON column is seen as changed.
    """
    updated = dict(texts or {})
    value = _text(value)
    if value:
        updated[language] = value
    else:
        updated.pop(language, None)
    return updated


def state_label(state: str) -> str:
    """A state's name for staff, in the request's language."""
    return str(STATE_LABELS.get(state, state))


def type_label(name: str) -> str:
    """A question type's name for staff, in the request's language."""
    return str(TYPE_LABELS.get(name, name))


# --- Reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationSummary:
    """A row of the consultation list."""

    consultation: Consultation
    #: Raw counts: designers see their own consultation's arrivals (nothing per question).
    responses_by_language: dict[str, int]

    @property
    def responses(self) -> int:
        """All responses, every language."""
        return sum(self.responses_by_language.values())


def list_consultations(db: Session) -> list[ConsultationSummary]:
    """Every consultation, newest first, with its response count by language."""
    consultations = db.exec(select(Consultation).order_by(Consultation.id.desc())).all()
    counts: dict[int, dict[str, int]] = {}
    rows = db.exec(
        select(Response.consultation_id, Response.language, func.count()).group_by(
            Response.consultation_id, Response.language
        )
    ).all()
    for consultation_id, language, count in rows:
        counts.setdefault(consultation_id, {})[language] = count
    return [ConsultationSummary(c, counts.get(c.id, {})) for c in consultations]


def get_consultation(db: Session, consultation_id: int) -> Consultation | None:
    """A consultation with its sections, questions and choices loaded at once (one
    query per level): designer pages walk them all."""
    return db.exec(
        select(Consultation)
        .where(Consultation.id == consultation_id)
        .options(selectinload(Consultation.sections).selectinload(Section.questions).selectinload(Question.choices))
    ).first()


def responses_by_language(db: Session, consultation: Consultation) -> dict[str, int]:
    """How many responses arrived in each language (raw counts for the designer)."""
    rows = db.exec(
        select(Response.language, func.count())
        .where(Response.consultation_id == consultation.id)
        .group_by(Response.language)
    ).all()
    return dict(rows)


def has_responses(db: Session, consultation: Consultation) -> bool:
    """Whether anyone has answered (edits that would change what answers mean are then refused)."""
    return db.exec(select(Response.id).where(Response.consultation_id == consultation.id).limit(1)).first() is not None


def answered_question_ids(db: Session, consultation: Consultation) -> set[int]:
    """Ids of the consultation's questions that have at least one stored answer."""
    rows = db.exec(
        select(Answer.question_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.consultation_id == consultation.id)
        .distinct()
    ).all()
    return set(rows)


def _answer_values(db: Session, question: Question) -> list[Any]:
    if question.id is None:
        return []
    return list(db.exec(select(Answer.value).where(Answer.question_id == question.id)).all())


def _used_keys(kind: str, values: Iterable[Any]) -> tuple[set[str], set[str]]:
    """(choice keys, matrix row keys) that stored answers use."""
    choices: set[str] = set()
    rows: set[str] = set()
    for value in values:
        if kind == "matrix" and isinstance(value, dict):
            rows.update(map(str, value))
            choices.update(map(str, value.values()))
        elif isinstance(value, list):
            choices.update(map(str, value))
        elif value is not None:
            choices.add(str(value))
    return choices, rows


def ensure_editable(consultation: Consultation) -> None:
    """:raises DesignError: if the consultation is archived (final)."""
    if consultation.state == ARCHIVED:
        raise DesignError(_("This consultation is archived, which is final: it can no longer change. "
                            "Duplicate it to start a new one."))


# --- Languages -------------------------------------------------------------------------


def normalise_language(code: str) -> str:
    """A language tag as stored: ``fr``, ``fr-CA``, ``zh-Hant``, ``sw``."""
    parts = [p for p in re.split(r"[-_]", code.strip()) if p]
    if not parts:
        return ""
    tag = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            tag.append(part.title())
        elif len(part) in (2, 3):
            tag.append(part.upper())
        else:
            tag.append(part.lower())
    return "-".join(tag)


def parse_languages(text: str) -> list[str]:
    """Language tags separated by commas or spaces, normalised, without repeats."""
    seen: list[str] = []
    for code in re.split(r"[\s,;]+", text or ""):
        code = normalise_language(code)
        if code and code not in seen:
            seen.append(code)
    return seen


def _check_languages(default: str, languages: list[str], problems: list[Problem]) -> None:
    unknown = [code for code in languages if not is_known_language(code)]
    if unknown:
        problems.append(
            Problem(
                _("Unknown language codes: %(codes)s. Use codes such as en, fr, es, ar, pt, sw, fr-CA.",
                  codes=", ".join(unknown)),
                "languages",
            )
        )
    if not languages:
        problems.append(Problem(_("Please give at least one language."), "languages"))
    if not default or not is_known_language(default):
        problems.append(Problem(_("Please choose a known default language."), "default_language"))
    elif default not in languages:
        problems.append(
            Problem(_("The default language (%(language)s) must be one of the languages.",
                      language=language_name(default)), "default_language")
        )


# --- Consultations ---------------------------------------------------------------------


def _check_slug(db: Session, slug: str, problems: list[Problem], own_id: int | None = None) -> None:
    if not SLUG_PATTERN.match(slug):
        problems.append(
            Problem(_("The link name may use lower-case letters, digits and dashes (up to 64), "
                      "for example wps-2026."), "slug")
        )
        return
    other = db.exec(select(Consultation.id).where(Consultation.slug == slug)).first()
    if other is not None and other != own_id:
        problems.append(Problem(_("Another consultation already uses the link name “%(slug)s”.", slug=slug), "slug"))


def new_consultation(
    db: Session, slug: str, title: str, default_language: str, languages: Iterable[str] = ()
) -> Consultation:
    """Create a draft consultation with one empty section, ready for questions.

    :param title: the title in the default language.
    :param languages: the languages it will be offered in (the default is added).
    :raises DesignError: if the link name is malformed or taken, the title is empty,
        or a language is unknown.
    """
    problems: list[Problem] = []
    slug = slug.strip().lower()
    default_language = normalise_language(default_language)
    codes = [normalise_language(c) for c in languages if normalise_language(c)]
    if default_language and default_language not in codes:
        codes.insert(0, default_language)
    _check_slug(db, slug, problems)
    if not _text(title):
        problems.append(Problem(_("Please give the consultation a title."), "title"))
    _check_languages(default_language, codes, problems)
    _refuse(problems)
    consultation = Consultation(
        slug=slug,
        state=DRAFT,
        default_language=default_language,
        languages=codes,
        title=with_text({}, default_language, title),
        k_threshold=max(current_app.config.get("DEFAULT_K", 10), 5),
    )
    consultation.sections.append(Section(position=0))
    db.add(consultation)
    db.flush()
    return consultation


@dataclass
class ConsultationSettings:
    """What the consultation editor edits; texts are in the default language."""

    slug: str
    title: str
    introduction: str = ""
    consent_text: str = ""
    default_language: str = "en"
    languages: list[str] = field(default_factory=list)
    opens_on: date | None = None
    closes_on: date | None = None
    retention_days: int = 730
    k_threshold: int = 10
    invitation_required: bool = False


def settings_of(consultation: Consultation) -> ConsultationSettings:
    """The editor's view of a consultation (texts in its default language)."""
    language = consultation.default_language
    return ConsultationSettings(
        slug=consultation.slug,
        title=consultation.title.get(language, ""),
        introduction=consultation.introduction.get(language, ""),
        consent_text=consultation.consent_text.get(language, ""),
        default_language=language,
        languages=list(consultation.languages),
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_on,
        retention_days=consultation.retention_days,
        k_threshold=consultation.k_threshold,
        invitation_required=consultation.invitation_required,
    )


def settings_problems(db: Session, consultation: Consultation, settings: ConsultationSettings) -> list[Problem]:
    """Why these settings cannot be saved (empty: they can); see :func:`update_settings`."""
    problems: list[Problem] = []
    slug = settings.slug.strip().lower()
    if slug != consultation.slug:
        if consultation.state != DRAFT:
            problems.append(
                Problem(_("The link name cannot change once the consultation has been published: "
                          "people already have the link."), "slug")
            )
        else:
            _check_slug(db, slug, problems, own_id=consultation.id)
    if not _text(settings.title):
        problems.append(Problem(_("Please give the consultation a title."), "title"))
    default = normalise_language(settings.default_language)
    languages = [normalise_language(c) for c in settings.languages if normalise_language(c)]
    _check_languages(default, languages, problems)
    if settings.opens_on and settings.closes_on and settings.closes_on < settings.opens_on:
        problems.append(Problem(_("The close date comes before the open date."), "closes_on"))
    if settings.k_threshold is None or settings.k_threshold < 5:
        problems.append(
            Problem(_("Published figures need groups of at least 5 people: k cannot be below 5."), "k_threshold")
        )
    if settings.retention_days is None or not 0 < settings.retention_days <= MAX_RETENTION_DAYS:
        problems.append(
            Problem(_("Keep answers between 1 and %(max)s days.", max=MAX_RETENTION_DAYS), "retention_days")
        )
    return problems


def update_settings(db: Session, consultation: Consultation, settings: ConsultationSettings) -> None:
    """Save the editor's settings.

    Texts are written in the language the editor showed them in (the default
    language before this change), so switching the default language never
    overwrites a translation.

    :raises DesignError: on a malformed or taken link name (or a changed one after
        publishing), an empty title, unknown languages, a default language that is
        not offered, dates in the wrong order, k below 5 or a retention period that
        is not positive; or if the consultation is archived.
    """
    ensure_editable(consultation)
    _refuse(settings_problems(db, consultation, settings))
    slug = settings.slug.strip().lower()
    default = normalise_language(settings.default_language)
    languages = [normalise_language(c) for c in settings.languages if normalise_language(c)]
    text_language = consultation.default_language
    consultation.slug = slug
    consultation.title = with_text(consultation.title, text_language, settings.title)
    consultation.introduction = with_text(consultation.introduction, text_language, settings.introduction)
    consultation.consent_text = with_text(consultation.consent_text, text_language, settings.consent_text)
    consultation.default_language = default
    consultation.languages = languages
    consultation.opens_on = settings.opens_on
    consultation.closes_on = settings.closes_on
    consultation.k_threshold = settings.k_threshold
    consultation.retention_days = settings.retention_days
    consultation.invitation_required = settings.invitation_required
    db.add(consultation)
    db.flush()


def free_slug(db: Session, base: str) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken yet."""
    base = re.sub(r"[^a-z0-9-]+", "-", base.lower()).strip("-")[:56] or "consultation"
    taken = set(db.exec(select(Consultation.slug).where(Consultation.slug.startswith(base))).all())
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def duplicate_consultation(db: Session, consultation: Consultation, slug: str | None = None) -> Consultation:
    """Copy a consultation with its sections, questions, choices, logic and every
    translation, as a new draft. Responses and invitation codes are not copied.

    :param slug: the copy's link name; by default ``<slug>-copy`` (numbered if taken).
    :raises DesignError: if `slug` is malformed or taken.
    """
    slug = (slug or "").strip().lower() or free_slug(db, f"{consultation.slug}-copy")
    problems: list[Problem] = []
    _check_slug(db, slug, problems)
    _refuse(problems)
    definition = copy.deepcopy(definition_of(consultation))
    definition.update(slug=slug, state=DRAFT, invitation_required=consultation.invitation_required)
    for name in ("opens_on", "closes_on"):
        if definition.get(name):
            definition[name] = date.fromisoformat(definition[name])
    copy_ = create_consultation(db, definition)
    copy_.created_on = date.today()
    db.flush()
    return copy_


def delete_draft(db: Session, consultation: Consultation) -> None:
    """Delete a consultation that was never published.

    :raises DesignError: if it is not a draft (or, defensively, has responses).
    """
    if consultation.state != DRAFT or has_responses(db, consultation):
        raise DesignError(_("Only a draft can be deleted. Close or archive a published consultation instead."))
    db.delete(consultation)
    db.flush()


# --- States ----------------------------------------------------------------------------


def allowed_transitions(consultation: Consultation) -> list[str]:
    """The states this consultation may move to next."""
    return sorted(TRANSITIONS.get(consultation.state, frozenset()), key=list(STATE_LABELS).index)


def change_state(db: Session, consultation: Consultation, target: str, today: date | None = None) -> None:
    """Move a consultation to `target` along the state machine.

    Opening (publishing a draft, or reopening a closed consultation) first runs
    :func:`publish_problems`; any problem refuses the change.

    :raises DesignError: if the transition is not allowed, with the reason, or the
        list of problems that stop publishing.
    """
    current = consultation.state
    if target not in TRANSITIONS.get(current, frozenset()):
        if current == ARCHIVED:
            raise DesignError(_("This consultation is archived, which is final: its state can no longer change."))
        if target == ARCHIVED:
            raise DesignError(_("Only a closed consultation can be archived: close it first."))
        if target == DRAFT:
            raise DesignError(_("A published consultation cannot go back to draft: people may have the link. "
                                "Close it, or duplicate it to make a new draft."))
        raise DesignError(
            _("A consultation cannot go from “%(current)s” to “%(target)s”.",
              current=state_label(current), target=state_label(target))
        )
    if target == OPEN:
        _refuse([Problem(p) for p in publish_problems(db, consultation, today=today)])
    consultation.state = target
    db.add(consultation)
    db.flush()


def publish_problems(db: Session, consultation: Consultation, today: date | None = None) -> list[str]:
    """Everything that stops a consultation from opening, for the designer (empty: ready).

    No question; a choice question without choices (or a grid without rows);
    broken skip logic; a declared language with untranslated texts (the default
    language included); a close date already past; an invitation-only consultation
    without unused codes.
    """
    today = today or date.today()
    problems: list[str] = []
    questions = consultation.questions
    if not any(q.type in registry and registry[q.type].collects_answer for q in questions):
        problems.append(_("The consultation has no question yet."))
    for q in questions:
        kind = registry.get(q.type)
        if kind is None:
            problems.append(_("Question “%(key)s” has a type this platform does not know: %(type)s.",
                              key=q.key, type=q.type))
            continue
        if kind.has_choices and not q.choices:
            problems.append(_("Question “%(key)s” has no choices.", key=q.key))
        if q.type == "matrix" and not q.options.get("rows"):
            problems.append(_("Question “%(key)s” has no rows.", key=q.key))
    definition = definition_of(consultation)
    problems.extend(explain_logic_problem(p, definition) for p in logic.validate_logic(definition))
    for language in consultation.languages:
        status = completeness(consultation, language)
        if status.missing:
            problems.append(
                ngettext(
                    "%(language)s: %(num)s text is not written yet (%(where)s).",
                    "%(language)s: %(num)s texts are not written yet (%(where)s).",
                    len(status.missing),
                    language=language_name(language),
                    where=_summarise([slot.where for slot in status.missing]),
                )
            )
    if consultation.closes_on and consultation.closes_on < today:
        problems.append(_("The close date (%(date)s) has passed: change it first.",
                          date=consultation.closes_on.isoformat()))
    if consultation.invitation_required and not invitation_status(db, consultation).unused:
        problems.append(_("Answers need an invitation code, and there is no unused code: generate some first."))
    return problems


def _summarise(items: list[str], limit: int = 5) -> str:
    shown = "; ".join(items[:limit])
    if len(items) > limit:
        shown += " " + ngettext("and %(num)s more", "and %(num)s more", len(items) - limit)
    return shown


# --- Skip logic ------------------------------------------------------------------------

_REASONS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^refers to itself \((?P<key>.+)\): a cycle$"),
     lambda m, d: _("it refers to itself (%(key)s): a condition can only look at earlier questions",
                    key=m["key"])),
    (re.compile(r"^refers to a question that does not exist: (?P<key>.+)$"),
     lambda m, d: _("it refers to a question that does not exist: %(key)s", key=m["key"])),
    (re.compile(r"^refers to (?P<key>.+), which comes later in the form$"), None),  # see _later
    (re.compile(r"^'(?P<op>\w+)' needs a number, rating or date question, and (?P<key>.+) is (?P<kind>\w+)$"),
     lambda m, d: _("“%(operator)s” compares numbers, and %(key)s is a “%(type)s” question",
                    operator=OPERATOR_LABELS.get(m["op"], m["op"]), key=m["key"], type=type_label(m["kind"]))),
    (re.compile(r"^(?P<key>\S+) has no choice (?P<values>.+)$"),
     lambda m, d: _("%(key)s has no choice %(values)s", key=m["key"], values=m["values"])),
]


def explain_logic_problem(problem: logic.LogicProblem, definition: Mapping[str, Any]) -> str:
    """A logic problem from :func:`surveys.logic.validate_logic`, translated, naming where and why."""
    where = problem.where
    if where.startswith("question "):
        where_text = _("Question “%(key)s”", key=where.removeprefix("question "))
    elif where.startswith("section "):
        where_text = _("Section %(number)s", number=where.removeprefix("section "))
    else:
        where_text = where
    reason = problem.reason
    for pattern, explain in _REASONS:
        match = pattern.match(problem.reason)
        if match:
            reason = explain(match, definition) if explain else _later(match["key"], where, definition)
            break
    return _("%(where)s: %(reason)s", where=where_text, reason=reason)


def _later(key: str, where: str, definition: Mapping[str, Any]) -> str:
    """Explain a reference to a later question, saying so when it would close a cycle."""
    own = where.removeprefix("question ") if where.startswith("question ") else None
    if own and own in _depends_on(key, definition):
        return _("it refers to %(key)s, which itself depends on %(own)s: that is a cycle", key=key, own=own)
    return _("it refers to %(key)s, which comes later in the form; a condition can only look at earlier questions",
             key=key)


def _depends_on(key: str, definition: Mapping[str, Any]) -> set[str]:
    """Every question key that `key`'s visibility depends on (its own and its section's logic), transitively."""
    conditions: dict[str, list[Any]] = {}
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            conditions[question["key"]] = [section.get("relevance"), question.get("relevance")]
    found: set[str] = set()
    pending = [key]
    while pending:
        for condition in conditions.get(pending.pop(), []):
            for ref in logic.references(condition):
                if ref not in found:
                    found.add(ref)
                    pending.append(ref)
    return found


def _new_logic_problems(consultation: Consultation, proposed: Mapping[str, Any]) -> list[Problem]:
    """Logic problems that `proposed` would introduce (ones already there do not block other edits)."""
    before = set(logic.validate_logic(definition_of(consultation)))
    return [
        Problem(explain_logic_problem(p, proposed), "logic")
        for p in logic.validate_logic(proposed)
        if p not in before
    ]


def _proposal(consultation: Consultation) -> dict[str, Any]:
    """A private copy of the consultation as plain data, to try an edit on before making it."""
    return copy.deepcopy(definition_of(consultation))


def _locate(consultation: Consultation, question: Question) -> tuple[int, int]:
    sections = list(consultation.sections)
    s_index = next(i for i, s in enumerate(sections) if s.id == question.section_id)
    q_index = next(i for i, q in enumerate(sections[s_index].questions) if q.id == question.id)
    return s_index, q_index


@dataclass
class ConditionRow:
    """One line of the logic editor: question, operator, value."""

    question: str = ""
    operator: str = "equals"
    value: str = ""


@dataclass
class LogicDraft:
    """The logic editor's form: rows combined by all/any, optionally negated."""

    combine: str = "all"
    negate: bool = False
    rows: list[ConditionRow] = field(default_factory=list)


def logic_draft_of(condition: Mapping[str, Any] | None) -> LogicDraft | None:
    """The editor's form for a stored condition; None if it is nested deeper than the form shows."""
    if not condition:
        return LogicDraft()
    negate = False
    if "not" in condition and len(condition) == 1:
        negate, condition = True, condition["not"]
    combine, parts = "all", [condition]
    for name in ("all", "any"):
        if name in condition:
            combine, parts = name, condition[name]
    rows = []
    for part in parts:
        if not isinstance(part, Mapping) or "op" not in part:
            return None
        value = part.get("values") if part["op"] == "any_of" else part.get("value", "")
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        rows.append(ConditionRow(str(part.get("question", "")), part["op"], "" if value is None else str(value)))
    return LogicDraft(combine, negate, rows)


def condition_from_draft(draft: LogicDraft, questions: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
    """The stored form of an editor's condition (None: always shown).

    Values are typed as answers are stored: numbers for number and rating
    questions, choice keys as text.

    :param questions: the consultation's questions as plain data, by key.
    :raises DesignError: with a problem per incomplete row (field ``row-<n>``).
    """
    problems: list[Problem] = []
    leaves: list[dict[str, Any]] = []
    for number, row in enumerate(draft.rows, start=1):
        key, op, raw = row.question.strip(), row.operator, _text(row.value)
        if not key:
            continue
        where = f"row-{number}"
        if op not in logic.COMPARISONS:
            problems.append(Problem(_("Line %(number)s: please choose a comparison.", number=number), where))
            continue
        kind = questions.get(key, {}).get("type")
        if op in ("answered", "not_answered"):
            leaves.append({"op": op, "question": key})
            continue
        if not raw:
            problems.append(Problem(_("Line %(number)s: please give the value to compare with.", number=number), where))
            continue
        if kind == "date" and op in ("greater", "less"):
            problems.append(Problem(_("Line %(number)s: dates can be compared with “is” or “is not” only.",
                                      number=number), where))
            continue
        if op == "any_of":
            values = [_typed(v, kind) for v in re.split(r"\s*,\s*", raw) if v]
            leaves.append({"op": op, "question": key, "values": values})
            continue
        value = _typed(raw, "number" if op in ("greater", "less") else kind)
        if op in ("greater", "less") and not isinstance(value, int | float):
            problems.append(Problem(_("Line %(number)s: “%(value)s” is not a number.", number=number, value=raw),
                                    where))
            continue
        leaves.append({"op": op, "question": key, "value": value})
    _refuse(problems)
    if not leaves:
        return None
    combine = draft.combine if draft.combine in ("all", "any") else "all"
    condition: dict[str, Any] = leaves[0] if len(leaves) == 1 else {combine: leaves}
    return {"not": condition} if draft.negate else condition


def _typed(raw: str, kind: str | None) -> Any:
    if kind in ("number", "rating"):
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            return raw
        return int(number) if number.is_integer() else number
    if kind == "yes_no":
        return raw.lower()
    return raw


def set_relevance(
    db: Session, consultation: Consultation, target: Question | Section, condition: Mapping[str, Any] | None
) -> None:
    """Save the skip logic of a question or section, after checking it.

    :raises DesignError: if the condition is malformed, refers to a later, missing
        or own question (a cycle), or to a value the question cannot take; each
        problem names the question or section and says why.
    """
    ensure_editable(consultation)
    if condition is not None:
        reason = logic.check_condition_shape(condition)
        if reason:
            raise DesignError(Problem(reason, "logic"))
    proposed = _proposal(consultation)
    if isinstance(target, Section):
        index = next(i for i, s in enumerate(consultation.sections) if s.id == target.id)
        proposed["sections"][index]["relevance"] = condition
    else:
        s_index, q_index = _locate(consultation, target)
        proposed["sections"][s_index]["questions"][q_index]["relevance"] = condition
    _refuse(_new_logic_problems(consultation, proposed))
    target.relevance = dict(condition) if condition is not None else None
    db.add(target)
    db.flush()


def _rename_reference(condition: Any, old: str, new: str) -> Any:
    if not isinstance(condition, Mapping):
        return condition
    renamed = dict(condition)
    for name in ("all", "any"):
        if name in renamed:
            renamed[name] = [_rename_reference(c, old, new) for c in renamed[name]]
    if "not" in renamed:
        renamed["not"] = _rename_reference(renamed["not"], old, new)
    if renamed.get("question") == old:
        renamed["question"] = new
    return renamed


# --- Sections --------------------------------------------------------------------------


def add_section(db: Session, consultation: Consultation, title: str = "", description: str = "") -> Section:
    """Add a section at the end (texts in the default language).

    :raises DesignError: if the consultation is archived.
    """
    ensure_editable(consultation)
    language = consultation.default_language
    section = Section(
        position=len(consultation.sections),
        title=with_text({}, language, title),
        description=with_text({}, language, description),
    )
    consultation.sections.append(section)
    db.flush()
    return section


def update_section(db: Session, section: Section, title: str, description: str) -> None:
    """Reword a section in the default language (always allowed, except when archived).

    :raises DesignError: if the consultation is archived.
    """
    consultation = section.consultation
    ensure_editable(consultation)
    language = consultation.default_language
    section.title = with_text(section.title, language, title)
    section.description = with_text(section.description, language, description)
    db.add(section)
    db.flush()


def delete_section(db: Session, section: Section) -> None:
    """Delete a section and its questions.

    :raises DesignError: if one of its questions has answers, or another question's
        logic refers to one of them; or if the consultation is archived.
    """
    consultation = section.consultation
    ensure_editable(consultation)
    answered = answered_question_ids(db, consultation)
    used = [q.key for q in section.questions if q.id in answered]
    if used:
        raise DesignError(
            _("This section cannot be deleted: questions in it already have answers (%(keys)s).",
              keys=", ".join(used))
        )
    index = next(i for i, s in enumerate(consultation.sections) if s.id == section.id)
    proposed = _proposal(consultation)
    del proposed["sections"][index]
    _refuse(_new_logic_problems(consultation, proposed))
    consultation.sections.remove(section)
    db.delete(section)
    _renumber(consultation.sections)
    db.flush()


def move_section(db: Session, section: Section, offset: int) -> None:
    """Move a section up (-1) or down (+1).

    :raises DesignError: if it is already first/last, or the move would make a
        condition look at a later question.
    """
    consultation = section.consultation
    ensure_editable(consultation)
    sections = list(consultation.sections)
    index = next(i for i, s in enumerate(sections) if s.id == section.id)
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(sections):
        raise DesignError(_("This section is already first.") if offset < 0 else _("This section is already last."))
    proposed = _proposal(consultation)
    proposed["sections"].insert(target, proposed["sections"].pop(index))
    _refuse(_new_logic_problems(consultation, proposed))
    sections.insert(target, sections.pop(index))
    _renumber(sections)
    db.flush()
    db.expire(consultation, ["sections"])


def _renumber(items: Iterable[Section | Question | Choice]) -> None:
    for position, item in enumerate(items):
        item.position = position


# --- Questions -------------------------------------------------------------------------


@dataclass
class QuestionDraft:
    """The question form's content; texts are in the default language.

    ``choices`` and ``rows`` are (key, label) pairs in order; ``options`` holds
    the type's settings as typed (``min``, ``max``, ``integer``, ``max_length``,
    ``min_choices``, ``max_choices``, ``appearance``, ``min_label``, ``max_label``).
    """

    key: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    demographic: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


def question_draft_of(question: Question, language: str) -> QuestionDraft:
    """The question form's view of a question, with texts in `language`."""
    options: dict[str, Any] = {}
    for name in OPTION_NAMES.get(question.type, ()):
        value = question.options.get(name)
        if name in ("min_label", "max_label"):
            value = (value or {}).get(language, "")
        elif name == "rows":
            continue
        options[name] = value
    if question.type == "number":
        options["integer"] = question.options.get("integer", True)
    return QuestionDraft(
        key=question.key,
        type=question.type,
        label=question.label.get(language, ""),
        help=question.help.get(language, ""),
        required=question.required,
        demographic=question.demographic,
        choices=[(c.key, c.label.get(language, "")) for c in question.choices],
        rows=[(r["key"], (r.get("label") or {}).get(language, "")) for r in question.options.get("rows", [])],
        options=options,
    )


def suggest_key(consultation: Consultation, label: str = "", prefix: str = "q") -> str:
    """A free question key derived from the label (or ``q1``, ``q2``...)."""
    taken = {q.key for q in consultation.questions}
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30].strip("_")
    if base and not base[0].isalpha():
        base = f"{prefix}_{base}"
    if base and base not in taken:
        return base
    base = base or prefix
    number = 1
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def add_question(db: Session, section: Section, draft: QuestionDraft) -> Question:
    """Add a question at the end of `section`.

    :raises DesignError: with a problem per field at fault (see :func:`update_question`);
        a new question must be optional once responses have arrived.
    """
    consultation = section.consultation
    ensure_editable(consultation)
    data, problems = _question_data(db, consultation, draft, None)
    if not problems:
        s_index = next(i for i, s in enumerate(consultation.sections) if s.id == section.id)
        proposed = _proposal(consultation)
        proposed["sections"][s_index]["questions"].append(data)
        problems = _new_logic_problems(consultation, proposed)
    _refuse(problems)
    question = Question(consultation_id=consultation.id, position=len(section.questions), key=data["key"],
                        type=data["type"])
    _apply(question, data)
    section.questions.append(question)
    db.flush()
    return question


def update_question(db: Session, question: Question, draft: QuestionDraft) -> None:
    """Save an edited question; other languages' texts are kept.

    A renamed key is renamed in every condition that refers to it.

    :raises DesignError: with a problem per field at fault: a malformed or taken
        key; an unknown type; an empty label; malformed choices, rows or settings;
        and, once the question has answers, a change of type or key, a removed or
        re-keyed choice (or grid row) that answers use, a new range or limit that
        answers fall outside, a changed rating scale, a demographic flag turned off;
        once the consultation has responses, making the question required.
    """
    consultation = question.section.consultation
    ensure_editable(consultation)
    data, problems = _question_data(db, consultation, draft, question)
    old_key = question.key
    if not problems:
        s_index, q_index = _locate(consultation, question)
        proposed = _proposal(consultation)
        proposed["sections"][s_index]["questions"][q_index] = data
        if data["key"] != old_key:
            for s in proposed["sections"]:
                s["relevance"] = _rename_reference(s.get("relevance"), old_key, data["key"])
                for q in s["questions"]:
                    q["relevance"] = _rename_reference(q.get("relevance"), old_key, data["key"])
        problems = _new_logic_problems(consultation, proposed)
    _refuse(problems)
    _apply(question, data)
    if data["key"] != old_key:
        for section in consultation.sections:
            section.relevance = _rename_reference(section.relevance, old_key, data["key"])
            for other in section.questions:
                if other is not question:
                    other.relevance = _rename_reference(other.relevance, old_key, data["key"])
    db.flush()


def _apply(question: Question, data: Mapping[str, Any]) -> None:
    question.key = data["key"]
    question.type = data["type"]
    question.required = data["required"]
    question.demographic = data["demographic"]
    question.label = data["label"]
    question.help = data["help"]
    question.options = data["options"]
    question.relevance = data["relevance"]
    existing = {c.key: c for c in question.choices}
    choices = []
    for position, item in enumerate(data["choices"]):
        choice = existing.get(item["key"]) or Choice(key=item["key"])
        choice.label = item["label"]
        choice.position = position
        choices.append(choice)
    question.choices = choices  # choices left out are deleted (delete-orphan)


def _question_data(
    db: Session, consultation: Consultation, draft: QuestionDraft, question: Question | None
) -> tuple[dict[str, Any], list[Problem]]:
    """The question as plain data (definition shape) merged with its stored
    translations, and the problems that refuse it."""
    language = consultation.default_language
    problems: list[Problem] = []
    kind_name = draft.type
    kind = registry.get(kind_name)
    if kind is None:
        problems.append(Problem(_("Please choose a question type."), "type"))
        kind_name = question.type if question else "short_text"
        kind = registry[kind_name] if kind_name in registry else registry["short_text"]

    key = draft.key.strip()
    if question is None or key != question.key:
        if not KEY_PATTERN.match(key):
            problems.append(
                Problem(_("A key is a short name of letters, digits and underscores that starts with a letter, "
                          "for example years_active."), "key")
            )
        elif any(q.key == key for q in consultation.questions if q is not question):
            problems.append(Problem(_("Another question already uses the key “%(key)s”.", key=key), "key"))
    if not _text(draft.label):
        problems.append(Problem(_("Please write the question's text."), "label"))

    same_type = question is not None and question.type == kind_name
    # Translations of choices and rows follow their keys, even across a change of type.
    old_choices = {c.key: c.label for c in question.choices} if question else {}
    choices: list[dict[str, Any]] = []
    if kind.has_choices:
        choices = _keyed_items(draft.choices, old_choices, language, "choices", problems)
    old_rows = {r["key"]: r.get("label", {}) for r in question.options.get("rows", [])} if question else {}
    options = _options(kind_name, draft, question if same_type else None, language, len(choices), problems)
    if kind_name == "matrix":
        rows = _keyed_items(draft.rows, old_rows, language, "rows", problems)
        options["rows"] = [{"key": r["key"], "label": r["label"]} for r in rows]

    required = bool(draft.required) and kind.collects_answer
    demographic = bool(draft.demographic) and kind_name in DEMOGRAPHIC_TYPES
    data = {
        "key": key,
        "type": kind_name,
        "required": required,
        "demographic": demographic,
        "label": with_text(question.label if question else {}, language, draft.label),
        "help": with_text(question.help if question else {}, language, draft.help),
        "options": options,
        "relevance": question.relevance if question else None,
        "choices": choices,
    }
    problems.extend(_response_guards(db, consultation, question, data))
    return data, problems


def _keyed_items(
    items: list[tuple[str, str]], old: Mapping[str, Localized], language: str, where: str, problems: list[Problem]
) -> list[dict[str, Any]]:
    """Choices or grid rows as stored: stable key, label per language (others kept)."""
    result: list[dict[str, Any]] = []
    seen: set[str] = set()
    for key, label in items:
        key = key.strip()
        if not CHOICE_KEY_PATTERN.match(key):
            problems.append(
                Problem(_("“%(key)s” cannot be a key: use letters, digits, dots, dashes and underscores, "
                          "without spaces.", key=key), where)
            )
            continue
        if key in seen:
            problems.append(Problem(_("The key “%(key)s” is used twice.", key=key), where))
            continue
        if not _text(label):
            problems.append(Problem(_("The item “%(key)s” has no text.", key=key), where))
            continue
        seen.add(key)
        result.append({"key": key, "label": with_text(old.get(key, {}), language, label)})
    return result


def _number(raw: Any, name: str, problems: list[Problem], integer: bool = False) -> int | float | None:
    text = _text(raw).replace(",", ".")
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        problems.append(Problem(_("“%(value)s” is not a number.", value=_text(raw)), name))
        return None
    if integer and not number.is_integer():
        problems.append(Problem(_("Please give a whole number."), name))
        return None
    return int(number) if number.is_integer() else number


def _options(
    kind: str, draft: QuestionDraft, question: Question | None, language: str, choice_count: int,
    problems: list[Problem],
) -> dict[str, Any]:
    """The type's settings from the form, keeping settings the form does not manage."""
    raw = draft.options
    old = question.options if question else {}
    options = {k: v for k, v in old.items() if k not in MANAGED_OPTIONS}
    if kind in ("short_text", "long_text"):
        limit = current_app.config.get("MAX_ANSWER_LENGTH", 5000)
        length = _number(raw.get("max_length"), "max_length", problems, integer=True)
        if length is not None and not 1 <= length <= limit:
            problems.append(Problem(_("The length limit must be between 1 and %(max)s characters.", max=limit),
                                    "max_length"))
        elif length is not None:
            options["max_length"] = length
    elif kind == "number":
        integer = bool(raw.get("integer"))
        low = _number(raw.get("min"), "min", problems, integer=integer)
        high = _number(raw.get("max"), "max", problems, integer=integer)
        if low is not None and high is not None and low > high:
            problems.append(Problem(_("The smallest value is greater than the largest."), "max"))
        options["integer"] = integer
        options.update({k: v for k, v in (("min", low), ("max", high)) if v is not None})
    elif kind == "date":
        bounds = {}
        for name in ("min", "max"):
            text = _text(raw.get(name))
            if not text:
                continue
            try:
                bounds[name] = date.fromisoformat(text).isoformat()
            except ValueError:
                problems.append(Problem(_("Please give a date as year-month-day, for example 2026-03-08."), name))
        if len(bounds) == 2 and bounds["min"] > bounds["max"]:
            problems.append(Problem(_("The earliest date comes after the latest."), "max"))
        options.update(bounds)
    elif kind == "rating":
        low = _number(raw.get("min"), "min", problems, integer=True)
        high = _number(raw.get("max"), "max", problems, integer=True)
        low = 1 if low is None else low
        high = 5 if high is None else high
        if low < 0 or high <= low or high - low + 1 > MAX_SCALE_POINTS:
            problems.append(Problem(_("A scale goes from 0 or more up to a larger number, with at most %(count)s "
                                      "points (for example 1 to 5).", count=MAX_SCALE_POINTS), "max"))
        options.update(min=low, max=high)
        for name in ("min_label", "max_label"):
            texts = with_text(old.get(name) if question else {}, language, raw.get(name))
            if texts:
                options[name] = texts
    elif kind == "single_choice":
        if raw.get("appearance") == "list":
            options["appearance"] = "list"
    elif kind == "multiple_choice":
        low = _number(raw.get("min_choices"), "min_choices", problems, integer=True)
        high = _number(raw.get("max_choices"), "max_choices", problems, integer=True)
        for name, value in (("min_choices", low), ("max_choices", high)):
            if value is not None and not 0 <= value <= max(choice_count, 1):
                problems.append(Problem(_("Please give a number from 0 to the number of choices (%(count)s).",
                                          count=choice_count), name))
            elif value:
                options[name] = value
        if low and high and low > high:
            problems.append(Problem(_("The minimum number of choices is greater than the maximum."), "max_choices"))
    return options


def _response_guards(
    db: Session, consultation: Consultation, question: Question | None, data: Mapping[str, Any]
) -> list[Problem]:
    """What this edit may not do to answers already given."""
    problems: list[Problem] = []
    responded = has_responses(db, consultation)
    if responded and data["required"] and (question is None or not question.required):
        problems.append(
            Problem(
                _("Responses have already arrived: earlier respondents could not answer this, so it must stay "
                  "optional.") if question is None else
                _("Responses have already arrived: an optional question cannot become required."),
                "required",
            )
        )
    values = _answer_values(db, question) if question is not None else []
    if not values:
        return problems
    count = len(values)
    if data["type"] != question.type:
        problems.append(Problem(ngettext(
            "This question already has %(num)s answer, so its type cannot change. Add a new question instead.",
            "This question already has %(num)s answers, so its type cannot change. Add a new question instead.",
            count), "type"))
        return problems
    if data["key"] != question.key:
        problems.append(Problem(_("This question already has answers, so its key cannot change: exports and "
                                  "analyses rely on it."), "key"))
    used_choices, used_rows = _used_keys(question.type, values)
    if registry[question.type].has_choices:
        gone = sorted(used_choices - {c["key"] for c in data["choices"]})
        if gone:
            problems.append(Problem(_("These choices have been chosen in answers, so they cannot be removed or get "
                                      "a new key: %(keys)s.", keys=", ".join(gone)), "choices"))
    if question.type == "matrix":
        gone = sorted(used_rows - {r["key"] for r in data["options"].get("rows", [])})
        if gone:
            problems.append(Problem(_("These rows have answers, so they cannot be removed or get a new key: "
                                      "%(keys)s.", keys=", ".join(gone)), "rows"))
    if question.type == "rating" and (
        (data["options"].get("min"), data["options"].get("max")) != (question.options.get("min", 1),
                                                                    question.options.get("max", 5))
    ):
        problems.append(Problem(_("This scale already has answers: changing its ends would change what they "
                                  "mean."), "max"))
    misfits = sum(1 for v in values if not _fits(question.type, data["options"], v))
    if misfits:
        problems.append(Problem(ngettext(
            "%(num)s answer already given would not fit these settings; widen them instead.",
            "%(num)s answers already given would not fit these settings; widen them instead.",
            misfits), "options"))
    if question.demographic and not data["demographic"]:
        problems.append(Problem(_("This question already has answers: it stays demographic, so that earlier "
                                  "respondents keep the protection they were promised."), "demographic"))
    return problems


def _fits(kind: str, options: Mapping[str, Any], value: Any) -> bool:
    """Whether a stored answer still satisfies the question's (new) settings."""
    if kind in ("short_text", "long_text") and isinstance(value, str):
        return not options.get("max_length") or len(value) <= options["max_length"]
    if kind == "number" and isinstance(value, int | float):
        if options.get("integer", True) and not float(value).is_integer():
            return False
        return not (options.get("min") is not None and value < options["min"]
                    or options.get("max") is not None and value > options["max"])
    if kind == "date" and isinstance(value, str):
        return not (options.get("min") and value < options["min"] or options.get("max") and value > options["max"])
    if kind == "multiple_choice" and isinstance(value, list):
        return not (options.get("min_choices") and len(value) < options["min_choices"]
                    or options.get("max_choices") and len(value) > options["max_choices"])
    return True


def delete_question(db: Session, question: Question) -> None:
    """Delete a question.

    :raises DesignError: if it has answers, or another condition refers to it.
    """
    section = question.section
    consultation = section.consultation
    ensure_editable(consultation)
    count = len(_answer_values(db, question))
    if count:
        raise DesignError(ngettext(
            "Question “%(key)s” already has %(num)s answer: it cannot be deleted. You can hide it with "
            "skip logic instead.",
            "Question “%(key)s” already has %(num)s answers: it cannot be deleted. You can hide it with "
            "skip logic instead.",
            count, key=question.key))
    s_index, q_index = _locate(consultation, question)
    proposed = _proposal(consultation)
    del proposed["sections"][s_index]["questions"][q_index]
    _refuse(_new_logic_problems(consultation, proposed))
    section.questions.remove(question)
    db.delete(question)
    _renumber(section.questions)
    db.flush()


def move_question(db: Session, question: Question, offset: int) -> None:
    """Move a question up (-1) or down (+1); past the top or bottom of its section it
    moves to the end of the previous section or the start of the next one.

    :raises DesignError: if it is already first/last in the form, or the move would
        make a condition look at a later question (named, with the reason).
    """
    consultation = question.section.consultation
    ensure_editable(consultation)
    sections = list(consultation.sections)
    s_index, q_index = _locate(consultation, question)
    source = sections[s_index]
    if offset < 0 and q_index == 0:
        if s_index == 0:
            raise DesignError(_("This question is already first."))
        t_index, position = s_index - 1, len(sections[s_index - 1].questions)
    elif offset > 0 and q_index == len(source.questions) - 1:
        if s_index == len(sections) - 1:
            raise DesignError(_("This question is already last."))
        t_index, position = s_index + 1, 0
    else:
        t_index, position = s_index, q_index + (1 if offset > 0 else -1)
    proposed = _proposal(consultation)
    moved = proposed["sections"][s_index]["questions"].pop(q_index)
    proposed["sections"][t_index]["questions"].insert(position, moved)
    _refuse(_new_logic_problems(consultation, proposed))
    target = sections[t_index]
    if target is source:
        ordered = list(source.questions)
        ordered.insert(position, ordered.pop(q_index))
        _renumber(ordered)
    else:
        ordered = list(target.questions)
        ordered.insert(position, question)
        _renumber([q for q in source.questions if q is not question])
        _renumber(ordered)
        question.section = target
    db.flush()
    for section in {source.id: source, target.id: target}.values():
        db.expire(section, ["questions"])


# --- Translations ----------------------------------------------------------------------


@dataclass
class TextSlot:
    """One staff-written text, in all its languages, with a stable id."""

    id: str
    #: Where it appears, for the designer and translators (translated).
    where: str
    texts: Localized
    #: A text every respondent sees (title, question, choice); others only count when written.
    required: bool
    owner: Any = field(repr=False)
    attribute: str = field(repr=False)
    #: For texts inside ``options`` (scale labels, grid rows): the path in it.
    path: tuple[Any, ...] = field(default=(), repr=False)

    def write(self, texts: Localized) -> None:
        """Store new texts for this slot (a new object, so the JSON column is saved)."""
        if not self.path:
            setattr(self.owner, self.attribute, texts)
            return
        options = copy.deepcopy(self.owner.options)
        if self.path[0] == "rows":
            options["rows"][self.path[1]]["label"] = texts
        else:
            options[self.path[0]] = texts
        self.owner.options = options


def text_slots(consultation: Consultation) -> list[TextSlot]:
    """Every staff-written text of the consultation, in form order."""
    slots = [
        TextSlot("consultation.title", _("Title"), consultation.title, True, consultation, "title"),
        TextSlot("consultation.introduction", _("Introduction"), consultation.introduction, False,
                 consultation, "introduction"),
        TextSlot("consultation.consent_text", _("Consent text"), consultation.consent_text, False,
                 consultation, "consent_text"),
    ]
    for number, section in enumerate(consultation.sections, start=1):
        prefix = f"section.{section.id}"
        slots.append(TextSlot(f"{prefix}.title", _("Section %(number)s: title", number=number), section.title,
                              False, section, "title"))
        slots.append(TextSlot(f"{prefix}.description", _("Section %(number)s: description", number=number),
                              section.description, False, section, "description"))
        for q in section.questions:
            prefix = f"question.{q.key}"
            slots.append(TextSlot(f"{prefix}.label", _("Question “%(key)s”", key=q.key), q.label, True, q, "label"))
            slots.append(TextSlot(f"{prefix}.help", _("Question “%(key)s”: help", key=q.key), q.help, False, q,
                                  "help"))
            for name, title in (("min_label", _("lowest point")), ("max_label", _("highest point"))):
                if q.type == "rating" and q.options.get(name):
                    slots.append(TextSlot(f"{prefix}.{name}", _("Question “%(key)s”: %(what)s", key=q.key, what=title),
                                          q.options[name], False, q, "options", (name,)))
            for index, row in enumerate(q.options.get("rows", []) if q.type == "matrix" else []):
                slots.append(TextSlot(f"{prefix}.row.{row['key']}",
                                      _("Question “%(key)s”: row “%(item)s”", key=q.key, item=row["key"]),
                                      row.get("label") or {}, True, q, "options", ("rows", index)))
            for c in q.choices:
                slots.append(TextSlot(f"{prefix}.choice.{c.key}",
                                      _("Question “%(key)s”: choice “%(item)s”", key=q.key, item=c.key),
                                      c.label, True, c, "label"))
    return slots


@dataclass
class Completeness:
    """How much of the consultation is written in one language."""

    language: str
    total: int
    translated: int
    missing: list[TextSlot]

    @property
    def percent(self) -> int:
        """Rounded down, so 100 means complete."""
        return 100 if not self.total else self.translated * 100 // self.total


def completeness(consultation: Consultation, language: str) -> Completeness:
    """The share of staff-written texts present in `language`.

    For the default language: every text respondents see (title, questions,
    choices, grid rows) plus any other text written in some language. For another
    language: every text written in the default language.
    """
    default = consultation.default_language
    counted = []
    for slot in text_slots(consultation):
        if language == default:
            if slot.required or any(slot.texts.values()):
                counted.append(slot)
        elif _text(slot.texts.get(default)):
            counted.append(slot)
    missing = [slot for slot in counted if not _text(slot.texts.get(language))]
    return Completeness(language, len(counted), len(counted) - len(missing), missing)


def save_translations(db: Session, consultation: Consultation, language: str, values: Mapping[str, str]) -> int:
    """Save texts in `language` from the side-by-side screen; an empty one is removed
    (the default language shows instead). Returns how many changed.

    :param values: text by slot id; ids that do not exist are ignored.
    :raises DesignError: if `language` is not a translation language of this
        consultation (the default language is edited in the editor), or it is archived.
    """
    ensure_editable(consultation)
    _check_target_language(consultation, language)
    changed = 0
    for slot in text_slots(consultation):
        if slot.id not in values:
            continue
        new = with_text(slot.texts, language, values[slot.id])
        if new != slot.texts:
            slot.write(new)
            changed += 1
    db.flush()
    return changed


def _check_target_language(consultation: Consultation, language: str) -> None:
    if language == consultation.default_language:
        raise DesignError(_("%(language)s is the default language: its texts are edited in the consultation's "
                            "editor and questions.", language=language_name(language)))
    if language not in consultation.languages:
        raise DesignError(_("%(language)s is not one of this consultation's languages.",
                            language=language_name(language)))


def source_hash(text: str) -> str:
    """A short fingerprint of a source text, to notice that it changed since export."""
    return hashlib.sha256(_text(text).encode()).hexdigest()[:16]


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_HEADERS = ("id", "where", "source ({source})", "target ({target})", "source hash")


def export_translations(consultation: Consultation, language: str) -> bytes:
    """An XLSX workbook for a translator: one row per text with a stable id, the
    source (default language), the target and a hash of the source.

    Cells are written as text, never formulas, whatever they start with.

    :raises DesignError: if `language` is not a translation language here.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    _check_target_language(consultation, language)
    source = consultation.default_language
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "translations"
    headers = [h.format(source=source, target=language) for h in _HEADERS]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for slot in text_slots(consultation):
        text = _text(slot.texts.get(source))
        if not text:
            continue
        row = [slot.id, slot.where, text, _text(slot.texts.get(language)), source_hash(text)]
        sheet.append([_ILLEGAL_XML.sub("", value) for value in row])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # a label starting with "=" stays text
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDE", (28, 30, 60, 60, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet("about")
    for row in (
        ("consultation", consultation.slug),
        ("source language", source),
        ("target language", language),
        ("exported on", date.today().isoformat()),
        ("how", "Write translations in the target column. Keep the id and source hash columns as they are."),
    ):
        about.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Conflict:
    """A translation not imported because its source changed since the export."""

    where: str
    exported_source: str
    current_source: str
    translation: str


@dataclass
class TranslationImport:
    """What an XLSX import did, row by row."""

    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def import_translations(db: Session, consultation: Consultation, language: str, data: bytes) -> TranslationImport:
    """Import a translator's XLSX (from :func:`export_translations`).

    Each row is imported, or skipped as unchanged, empty or unknown (an id not in
    this consultation), or reported as a conflict when the source text changed
    since the export (its hash differs): a conflict is never imported.

    :raises DesignError: if the file is not a readable XLSX workbook, lacks the
        id/target/source hash columns, or holds another language's translations.
    """
    from openpyxl import load_workbook

    ensure_editable(consultation)
    _check_target_language(consultation, language)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise DesignError(Problem(_("This file could not be read as an XLSX workbook."), "file")) from None
    try:
        sheet = workbook["translations"] if "translations" in workbook.sheetnames else workbook.worksheets[0]
        rows = iter(list(_sheet_rows(sheet)))
    finally:
        workbook.close()
    header = [_text(v).lower() for v in next(rows, ())]
    columns = {name: index for index, name in enumerate(header)}
    target_column = next((i for i, name in enumerate(header) if name.startswith("target")), None)
    if "id" not in columns or "source hash" not in columns or target_column is None:
        raise DesignError(Problem(_("This workbook does not have the columns id, target and source hash: please "
                                    "use a file exported from this page."), "file"))
    declared = re.search(r"\(([^)]+)\)", header[target_column])
    if declared and normalise_language(declared[1]) != language:
        raise DesignError(Problem(_("This file holds translations into %(file)s, not %(language)s.",
                                    file=language_name(normalise_language(declared[1])),
                                    language=language_name(language)), "file"))
    source_column = next((i for i, name in enumerate(header) if name.startswith("source (")), None)
    slots = {slot.id: slot for slot in text_slots(consultation)}
    default = consultation.default_language
    report = TranslationImport()
    for row in rows:
        slot_id, target, hash_ = (_cell(row, i) for i in (columns["id"], target_column, columns["source hash"]))
        if not slot_id:
            continue
        slot = slots.get(slot_id)
        if slot is None:
            report.unknown.append(slot_id)
            continue
        if not target:
            report.empty.append(slot.where)
            continue
        if target == _text(slot.texts.get(language)):
            report.unchanged.append(slot.where)
            continue
        current = _text(slot.texts.get(default))
        if hash_ != source_hash(current):
            report.conflicts.append(Conflict(slot.where, _cell(row, source_column), current, target))
            continue
        slot.write(with_text(slot.texts, language, target))
        report.imported.append(slot.where)
    db.flush()
    return report


def _cell(row: tuple[Any, ...], index: int | None) -> str:
    return _text(row[index]) if index is not None and index < len(row) else ""


def _sheet_rows(sheet) -> Iterator[tuple[Any, ...]]:
    for number, row in enumerate(sheet.iter_rows(values_only=True)):
        if number > MAX_TRANSLATION_ROWS:
            raise DesignError(Problem(_("This workbook has too many rows for one consultation."), "file"))
        yield row


# --- Sharing ---------------------------------------------------------------------------


def qr_svg(url: str) -> bytes:
    """A QR code of `url` as an SVG image, made here (no outside service)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=6, border=4, title=url)
    return buffer.getvalue()


def new_invitation_code() -> str:
    """16 random Crockford base32 characters (80 bits), as ``XXXX-XXXX-XXXX-XXXX``."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(16))
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def generate_invitations(db: Session, consultation: Consultation, count: int) -> list[str]:
    """Create `count` single-use invitation codes and return them: they are shown
    once (as a CSV); only their hashes are kept.

    :raises DesignError: if `count` is not between 1 and 5,000, or the
        consultation is archived.
    """
    ensure_editable(consultation)
    if not isinstance(count, int) or not 1 <= count <= MAX_INVITATIONS:
        raise DesignError(Problem(_("Please ask for between 1 and %(max)s codes.", max=MAX_INVITATIONS), "count"))
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_invitation_code())
    ordered = sorted(codes)  # the CSV order says nothing about the order rows were written in
    # One multi-row INSERT rather than thousands of ORM objects.
    db.exec(
        insert(InvitationCode),
        params=[
            {"id": secrets.token_hex(16), "consultation_id": consultation.id, "code_hash": invitation_hash(code)}
            for code in codes
        ],
    )
    db.add(InvitationBatch(consultation_id=consultation.id, size=count))
    db.flush()
    return ordered


def invitations_csv(codes: list[str], link: str) -> bytes:
    """The codes as CSV (UTF-8 with a byte-order mark, so spreadsheets read it right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["code", "link"])
    writer.writerows((code, link) for code in codes)
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class InvitationStatus:
    issued: int
    unused: int

    @property
    def used_or_revoked(self) -> int:
        """Codes no longer usable: nothing tells used from revoked, by design."""
        return max(self.issued - self.unused, 0)


def invitation_status(db: Session, consultation: Consultation) -> InvitationStatus:
    """How many codes were generated, and how many can still be used."""
    issued = db.exec(
        select(func.coalesce(func.sum(InvitationBatch.size), 0)).where(
            InvitationBatch.consultation_id == consultation.id
        )
    ).one()
    unused = db.exec(
        select(func.count()).select_from(InvitationCode).where(InvitationCode.consultation_id == consultation.id)
    ).one()
    return InvitationStatus(int(issued), int(unused))


def revoke_unused_invitations(db: Session, consultation: Consultation) -> int:
    """Make every unused code of the consultation invalid; returns how many."""
    result = db.exec(delete(InvitationCode).where(InvitationCode.consultation_id == consultation.id))
    db.flush()
    return result.rowcount or 0
