"""What the respondent path does, without HTTP: read answers, apply skip logic,
scrub, store anonymously, withdraw.

Nothing here sees the request: the submission service is handed answers and a
language, so no header, address or time finer than the day can reach the database.
Raw free text exists only in memory (and in the respondent's own browser, which
carries earlier pages' answers as hidden fields): there are no server-side drafts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Text, bindparam, cast, delete, insert, literal_column, null, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select
from werkzeug.datastructures import MultiDict

from consult.privacy.scrub import scrub_pii
from surveys.fields import AnswerError
from surveys.logic import is_relevant
from surveys.models import Answer, Choice, Consultation, InvitationCode, Question, Response, Section

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


class ConsultationUnavailable(LookupError):
    """No such published consultation (404)."""


class InvitationRejected(ValueError):
    """The invitation code is wrong or already used; the message is translated."""


@dataclass
class FormReading:
    """The answers of a form walked in order, with skip logic applied."""

    #: Cleaned answers of relevant questions, keyed by question key.
    answers: dict[str, Any] = field(default_factory=dict)
    #: Translated messages for relevant questions that are missing or invalid.
    errors: dict[str, str] = field(default_factory=dict)
    #: Sections shown to this respondent, in order.
    sections: list[Section] = field(default_factory=list)
    #: Keys of questions shown to this respondent.
    relevant: set[str] = field(default_factory=set)

    def section_errors(self, section: Section) -> dict[str, str]:
        return {q.key: self.errors[q.key] for q in section.questions if q.key in self.errors}


def create_consultation(db: Session, definition: Mapping[str, Any]) -> Consultation:
    """Create a consultation with its sections, questions and choices from plain data.

    The definition is the shape of :data:`surveys.demo.DEMO` (also what XLSForm
    import produces): consultation fields, then ``sections`` each with
    ``questions``, each question with optional ``choices``.

    :raises KeyError: if a question names a type the registry does not know.
    """
    from surveys.fields import registry

    fields = {
        k: v
        for k, v in definition.items()
        if k != "sections" and k in Consultation.model_fields
    }
    consultation = Consultation(**fields)
    db.add(consultation)
    db.flush()  # the id questions refer to
    for s_position, s in enumerate(definition.get("sections", [])):
        section = Section(
            position=s_position,
            title=s.get("title", {}),
            description=s.get("description", {}),
            relevance=s.get("relevance"),
        )
        consultation.sections.append(section)
        for q_position, q in enumerate(s.get("questions", [])):
            registry[q["type"]]  # unknown types fail here, before anything is written
            question = Question(
                consultation_id=consultation.id,
                position=q_position,
                key=q["key"],
                type=q["type"],
                required=q.get("required", False),
                demographic=q.get("demographic", False),
                label=q.get("label", {}),
                help=q.get("help", {}),
                options=q.get("options", {}),
                relevance=q.get("relevance"),
            )
            question.choices = [
                Choice(position=c_position, key=c["key"], label=c.get("label", {}))
                for c_position, c in enumerate(q.get("choices", []))
            ]
            section.questions.append(question)
    db.flush()
    return consultation


def definition_of(consultation: Consultation) -> dict[str, Any]:
    """The consultation as plain data: the inverse of :func:`create_consultation`."""
    fields = ("slug", "state", "default_language", "languages", "title", "introduction",
              "consent_text", "retention_days", "k_threshold")
    definition: dict[str, Any] = {name: getattr(consultation, name) for name in fields}
    for name in ("opens_on", "closes_on"):
        if getattr(consultation, name):
            definition[name] = getattr(consultation, name).isoformat()
    definition["sections"] = [
        {
            "title": section.title,
            "description": section.description,
            "relevance": section.relevance,
            "questions": [
                {
                    "key": q.key,
                    "type": q.type,
                    "required": q.required,
                    "demographic": q.demographic,
                    "label": q.label,
                    "help": q.help,
                    "options": q.options,
                    "relevance": q.relevance,
                    "choices": [{"key": c.key, "label": c.label} for c in q.choices],
                }
                for q in section.questions
            ],
        }
        for section in consultation.sections
    ]
    return definition


def get_consultation(db: Session, slug: str) -> Consultation:
    """The consultation published under `slug`, with its sections, questions and choices.

    Every respondent request walks the whole definition, and building it as ORM
    objects (a few hundred JSON values, a hundred objects) was half the CPU of a
    submission. So each process keeps the built definition, detached from any
    session and never modified, and checks it against the database on every request:
    the rows of the consultation, its sections, questions and choices are read as
    plain tuples (cheap: no objects, no JSON decoding) and the kept objects are used
    only if those rows are exactly the ones they were built from. An edit by a
    designer, from any process and by any means, is seen by the next request; there
    is nothing to invalidate.

    The objects are shared by the requests of a process: read them, never change them
    (they are not in the request's session, so a change would not be saved anyway).

    :raises ConsultationUnavailable: if there is none, or it is still a draft.
    """
    connection = db.connection()
    rows = _definition_rows(connection, slug)
    if rows is None or rows[0][_STATE] == "draft":
        raise ConsultationUnavailable(slug)
    cache = _definitions.setdefault(connection.engine, {})
    kept = cache.get(slug)
    if kept is not None and kept[0] == rows:
        return kept[1]
    consultation = _load_definition(db, slug)
    if consultation is None or consultation.state == "draft":
        raise ConsultationUnavailable(slug)
    # Keep it only if nothing changed while it was loaded (PostgreSQL reads each
    # statement in a snapshot of its own); else the next request builds it again.
    if _definition_rows(connection, slug) == rows:
        if len(cache) >= 64:
            cache.clear()
        cache[slug] = (rows, consultation)
    return consultation


#: engine -> slug -> (the definition's rows, the detached consultation built from them).
_definitions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

def _definition_statement():
    """One query for every row of a consultation's definition: its own, then its sections,
    questions and choices, each row as (table number, id, every column as text).

    Built from the models' tables, so a column added to a model is compared too. Text
    is what SQLite stores anyway; it spares PostgreSQL's driver decoding JSON.
    """
    tables = (Consultation.__table__, Section.__table__, Question.__table__, Choice.__table__)
    width = max(len(t.columns) for t in tables)
    consultation_id = select(Consultation.__table__.c.id).where(
        Consultation.__table__.c.slug == bindparam("slug")
    ).scalar_subquery()
    question_ids = select(Question.__table__.c.id).where(
        Question.__table__.c.consultation_id == consultation_id
    )
    owned = (
        Consultation.__table__.c.slug == bindparam("slug"),
        Section.__table__.c.consultation_id == consultation_id,
        Question.__table__.c.consultation_id == consultation_id,
        Choice.__table__.c.question_id.in_(question_ids),
    )
    parts = [
        sa_select(
            literal_column(str(number)).label("part"),
            table.c.id.label("row_id"),
            *(cast(column, Text).label(f"c{i}") for i, column in enumerate(table.columns)),
            *(null().label(f"c{i}") for i in range(len(table.columns), width)),
        ).where(condition)
        for number, (table, condition) in enumerate(zip(tables, owned, strict=True))
    ]
    return union_all(*parts).order_by("part", "row_id")


_DEFINITION_SQL = _definition_statement()
#: Where a consultation row's state is in the rows above (after the table number and id).
_STATE = 2 + list(Consultation.__table__.columns).index(Consultation.__table__.c.state)


def _definition_rows(connection, slug: str) -> tuple | None:
    """Every row that makes up the consultation's definition, as plain tuples; None if there is none."""
    rows = tuple(connection.execute(_DEFINITION_SQL, {"slug": slug}).all())
    return rows if rows and rows[0][0] == 0 else None


def _load_definition(db: Session, slug: str) -> Consultation | None:
    """The consultation with everything respondents see, loaded at once and detached from `db`."""
    consultation = db.exec(
        select(Consultation)
        .where(Consultation.slug == slug)
        .options(selectinload(Consultation.sections).selectinload(Section.questions).selectinload(Question.choices))
        .execution_options(populate_existing=True)
    ).first()
    if consultation is None:
        return None
    db.expunge(consultation)  # cascades to its sections, questions and choices
    # The way back up, set now: a detached object cannot load anything later.
    for section in consultation.sections:
        set_committed_value(section, "consultation", consultation)
        for question in section.questions:
            set_committed_value(question, "section", section)
            for choice in question.choices:
                set_committed_value(choice, "question", question)
    return consultation


def read_form(consultation: Consultation, form: MultiDict) -> FormReading:
    """Walk sections and questions in order, keeping answers only where relevant.

    A condition sees only answers to questions that were themselves relevant, so an
    answer left behind on a branch the respondent abandoned changes nothing. A section
    whose questions are all hidden by her answers is left out like an irrelevant one:
    she is never shown a page with nothing on it.
    """
    reading = FormReading()
    for section in consultation.sections:
        if not is_relevant(section.relevance, reading.answers):
            continue
        shown = False
        for question in section.questions:
            if not is_relevant(question.relevance, reading.answers):
                continue
            if not shown:
                reading.sections.append(section)
                shown = True
            reading.relevant.add(question.key)
            kind = question.kind
            if not kind.collects_answer:
                continue
            raw = kind.read(question, form)
            if raw is None:
                if question.required:
                    reading.errors[question.key] = _("Please answer this question.")
                continue
            try:
                reading.answers[question.key] = kind.clean(question, raw)
            except AnswerError as error:
                reading.errors[question.key] = str(error)
    return reading


def new_form_token() -> str:
    """A random token for one filling of the form: makes submission idempotent."""
    return secrets.token_urlsafe(18)


def receipt_for(token: str, secret_key: str) -> str:
    """The receipt code for a form token: shown once, e.g. ``7K2M-Q9XD-...``.

    Derived with a keyed hash so a repeated submission (a double tap on a slow
    connection) shows the same receipt instead of storing a second response.
    """
    digest = hmac.new(secret_key.encode(), b"receipt:" + token.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:13], "big") >> 4  # 100 bits
    chars = []
    for _i in range(20):
        number, index = divmod(number, 32)
        chars.append(RECEIPT_ALPHABET[index])
    code = "".join(chars)
    return "-".join(code[i : i + 4] for i in range(0, 20, 4))


def normalise_receipt(code: str) -> str:
    """Accept a receipt typed by hand: any case, spaces, dashes, O for 0, I/L for 1."""
    code = re.sub(r"[\s\-_.]", "", code.upper()).translate(str.maketrans("OIL", "011"))
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def receipt_hash(code: str) -> str:
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()


def today() -> date:
    """The day, in UTC: the finest time a response keeps."""
    return datetime.now(UTC).date()


def submit_response(
    db: Session,
    consultation: Consultation,
    language: str,
    answers: Mapping[str, Any],
    token: str,
    secret_key: str,
    invitation: str | None = None,
) -> str:
    """Store one anonymous response and return its receipt code.

    Free-text answers are scrubbed of personal information before they reach the
    session. The response id is random; the date is the day only. Submitting the
    same form token twice returns the first receipt and stores nothing more.

    When the consultation needs an invitation, the code is redeemed (its row
    deleted) in the same transaction as the response is stored: both happen or
    neither does, and nothing is left that pairs the code with the response.

    :param answers: cleaned answers from :func:`read_form` (relevant ones only).
    :param token: the form token from :func:`new_form_token`.
    :param invitation: the code the respondent typed, if the consultation needs one.
    :raises ValueError: if the token is malformed.
    :raises InvitationRejected: if an invitation is needed and the code is wrong or used.
    """
    if not TOKEN_PATTERN.match(token):
        raise ValueError("malformed form token")
    receipt = receipt_for(token, secret_key)
    digest = receipt_hash(receipt)
    if db.exec(select(Response.id).where(Response.receipt_hash == digest)).first():
        return receipt
    # Plain INSERTs (the answers in one executemany) rather than ORM objects and a
    # unit-of-work flush: the same rows, a third of the submission's CPU less.
    response_id = secrets.token_hex(16)
    response = {
        "id": response_id,
        "consultation_id": consultation.id,
        "language": language,
        "submitted_on": today(),
        "receipt_hash": digest,
    }
    rows = [
        {"response_id": response_id, "question_id": question.id,
         "value": store_value(question, answers[question.key], language)}
        for question in consultation.questions
        if question.key in answers
    ]
    try:
        with db.begin_nested():
            if consultation.invitation_required and not redeem_invitation(db, consultation, invitation or ""):
                # A double tap whose first request won the race has stored the response.
                if db.exec(select(Response.id).where(Response.receipt_hash == digest)).first():
                    return receipt
                raise InvitationRejected(invitation_error())
            db.exec(insert(Response.__table__), params=response)
            if rows:
                db.exec(insert(Answer.__table__), params=rows)
    except IntegrityError:
        # The same token raced in from a second request; the first one stands.
        if db.exec(select(Response.id).where(Response.receipt_hash == digest)).first():
            return receipt
        raise
    return receipt


def normalise_invitation(code: str) -> str:
    """An invitation code as typed (any case, spaces, dashes, O for 0, I/L for 1), canonical."""
    return re.sub(r"[^0-9A-Z]", "", code.upper().translate(str.maketrans("OIL", "011")))


def invitation_hash(code: str) -> str:
    """The SHA-256 kept for an invitation code (codes carry 80 random bits)."""
    return hashlib.sha256(normalise_invitation(code).encode()).hexdigest()


def invitation_error() -> str:
    return _("This invitation code is not valid or has already been used. Please check it and type it again.")


def invitation_is_valid(db: Session, consultation: Consultation, code: str) -> bool:
    """Whether `code` is an unused invitation to `consultation` (nothing is changed)."""
    if not normalise_invitation(code):
        return False
    return (
        db.exec(
            select(InvitationCode.id).where(
                InvitationCode.code_hash == invitation_hash(code),
                InvitationCode.consultation_id == consultation.id,
            )
        ).first()
        is not None
    )


def redeem_invitation(db: Session, consultation: Consultation, code: str) -> bool:
    """Use up an invitation code by deleting its row; True if it was valid and unused.

    A single DELETE: two respondents racing with the same code cannot both succeed.
    """
    if not normalise_invitation(code):
        return False
    result = db.exec(
        delete(InvitationCode).where(
            InvitationCode.code_hash == invitation_hash(code),
            InvitationCode.consultation_id == consultation.id,
        )
    )
    return result.rowcount == 1


def store_value(question: Question, value: Any, language: str) -> Any:
    """The value as persisted: free text scrubbed, everything else as cleaned."""
    if question.kind.free_text and isinstance(value, str):
        return scrub_pii(value, language).text
    return value


def withdraw_response(db: Session, consultation: Consultation, code: str) -> bool:
    """Delete the response whose receipt is `code`, with everything derived from it.

    :returns: True if a response was found and deleted.
    """
    response = db.exec(
        select(Response).where(
            Response.receipt_hash == receipt_hash(code),
            Response.consultation_id == consultation.id,
        )
    ).first()
    if response is None:
        return False
    db.delete(response)
    db.flush()
    return True


def response_counts_by_language(db: Session, consultation: Consultation) -> dict[str, int]:
    """How many responses arrived in each language."""
    from sqlalchemy import func

    rows = db.exec(
        select(Response.language, func.count())
        .where(Response.consultation_id == consultation.id)
        .group_by(Response.language)
    ).all()
    return dict(rows)


CONSENT_PAGE = "consent"
#: The consent page's field for an invitation code, carried through the pages.
INVITATION_FIELD = "_invitation"


@dataclass
class Step:
    """Where a respondent is after a request: the page to show, or ready to submit."""

    #: The section to show; None for the consent page.
    section: Section | None
    reading: FormReading
    #: Errors to show on this page, by question key ("_consent" for the consent box).
    errors: dict[str, str] = field(default_factory=dict)
    #: A translated notice above the form (new follow-up questions, expired page...).
    notice: str | None = None
    submit: bool = False

    @property
    def page_id(self) -> str:
        return CONSENT_PAGE if self.section is None else str(self.section.id)

    @property
    def is_last(self) -> bool:
        return self.section is not None and self.section is self.reading.sections[-1]

    @property
    def position(self) -> tuple[int, int]:
        """(page number, page count) counting the consent page, for "Step 2 of 5"."""
        total = len(self.reading.sections) + 1
        if self.section is None:
            return 1, total
        return self.reading.sections.index(self.section) + 2, total

    def shown_questions(self) -> list[Question]:
        if self.section is None:
            return []
        return [q for q in self.section.questions if q.key in self.reading.relevant]


def navigate(
    consultation: Consultation,
    form: MultiDict,
    form_valid: bool = True,
    check_invitation: Callable[[str], bool] | None = None,
) -> Step:
    """Decide the next page from a posted form (or the first page for an empty one).

    :param form: the posted fields: answers (``q-*``), ``_page``, ``_action``,
        ``_consent``, ``_invitation``, ``_shown``, ``_switch_lang``.
    :param form_valid: False when the CSRF token had expired: the page is shown
        again with its answers and an explanation, and nothing moves on.
    :param check_invitation: for a consultation that needs an invitation, tells
        whether a code is valid (checked when leaving the consent page, so nobody
        answers everything before learning her code is wrong). None: not checked
        (the designer's preview).
    """
    reading = read_form(consultation, form)
    current = _current_section(reading, form.get("_page"))
    consented = form.get("_consent") == "yes"
    action = form.get("_action")

    if not form_valid:
        notice = _(
            "This page was open for a long time, so for your security it has to be sent again. "
            "Your answers are kept: please check them and continue."
        )
        return Step(current, reading, notice=notice)
    if form.get("_switch_lang") or action not in ("next", "back", "submit"):
        return Step(current, reading)

    if current is None:
        if action == "back":
            return Step(None, reading)
        if not consented:
            return Step(None, reading, errors={"_consent": _("Please confirm that you agree to take part.")})
        if _invitation_refused(consultation, form, check_invitation):
            return Step(None, reading, errors={INVITATION_FIELD: invitation_error()})
        return Step(reading.sections[0] if reading.sections else None, reading)

    index = reading.sections.index(current)
    if action == "back":
        return Step(reading.sections[index - 1] if index else None, reading)

    shown = set(filter(None, form.get("_shown", "").split(",")))
    appeared = [
        q for q in current.questions if q.key in reading.relevant and q.key not in shown and q.kind.collects_answer
    ]
    errors = {k: v for k, v in reading.section_errors(current).items() if k in shown}
    if errors:
        return Step(current, reading, errors=errors)
    if appeared:
        return Step(current, reading, notice=_("Your answers opened new questions below."))
    if index + 1 < len(reading.sections):
        # "Submit" on what was the last page, when her answers have just opened another.
        opened = _("Your answers opened more questions on this page.") if action == "submit" else None
        return Step(reading.sections[index + 1], reading, notice=opened)
    if not consented:
        return Step(None, reading, errors={"_consent": _("Please confirm that you agree to take part.")})
    if _invitation_refused(consultation, form, check_invitation):
        return Step(None, reading, errors={INVITATION_FIELD: invitation_error()})
    for section in reading.sections:
        if reading.section_errors(section):
            return Step(section, reading, errors=reading.section_errors(section))
    return Step(current, reading, submit=True)


def _invitation_refused(
    consultation: Consultation, form: MultiDict, check: Callable[[str], bool] | None
) -> bool:
    if not consultation.invitation_required or check is None:
        return False
    return not check(form.get(INVITATION_FIELD, ""))


def _current_section(reading: FormReading, page: str | None) -> Section | None:
    if page in (None, "", CONSENT_PAGE):
        return None
    for section in reading.sections:
        if str(section.id) == page:
            return section
    # The section became irrelevant (an earlier answer changed): go to the first one.
    return reading.sections[0] if reading.sections else None


def carried_fields(step: Step, form: MultiDict) -> list[tuple[str, str]]:
    """Answers from other pages, to carry as hidden fields (never stored on the server)."""
    on_page = {name for q in step.shown_questions() for name in q.kind.field_names(q)}
    carried = [
        (name, value)
        for name, values in form.lists()
        if name.startswith("q-") and name not in on_page
        for value in values
    ]
    if step.section is not None and form.get("_consent") == "yes":
        carried.append(("_consent", "yes"))
    if step.section is not None and form.get(INVITATION_FIELD):
        carried.append((INVITATION_FIELD, form[INVITATION_FIELD]))
    return carried
