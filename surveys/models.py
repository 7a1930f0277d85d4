"""Consultations, their sections, questions and choices, and the anonymous responses.

Anonymity by structure: a response row has no column that could hold who wrote it,
when (finer than the day) or from where. Answers are keyed by (response, question),
so no sequential id orders them either. Staff-written text is stored per language as
a JSON object ``{"en": "...", "fr": "..."}`` with the consultation's default language
as the fallback.
"""

import enum
from datetime import date
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

Localized = dict[str, str]


class ConsultationState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


def localized(texts: Localized | None, language: str, fallback: str) -> str:
    """The text in `language`, else in `fallback`, else any non-empty one, else ""."""
    if not texts:
        return ""
    return texts.get(language) or texts.get(fallback) or next((t for t in texts.values() if t), "")


def _json(**kwargs: Any) -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False, **kwargs))


class Consultation(SQLModel, table=True):
    __tablename__ = "consultation"
    __table_args__ = (
        CheckConstraint("k_threshold >= 5", name="k_at_least_5"),
        CheckConstraint("retention_days > 0", name="retention_positive"),
        CheckConstraint(
            "state in ('draft', 'open', 'closed', 'archived')", name="known_state"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    state: str = Field(default=ConsultationState.DRAFT.value, max_length=16)
    default_language: str = Field(max_length=16)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    title: Localized = _json()
    introduction: Localized = _json()
    consent_text: Localized = _json()
    opens_on: date | None = None
    closes_on: date | None = None
    retention_days: int = 730
    k_threshold: int = 10
    created_on: date = Field(default_factory=date.today)
    #: Designer (0003): respondents need a single-use invitation code (InvitationCode).
    invitation_required: bool = False

    sections: list["Section"] = Relationship(
        back_populates="consultation",
        sa_relationship_kwargs={"order_by": "Section.position", "cascade": "all, delete-orphan"},
    )

    def text(self, attribute: str, language: str) -> str:
        """A staff-written text of the consultation in `language`, with fallback."""
        return localized(getattr(self, attribute), language, self.default_language)

    @property
    def questions(self) -> list["Question"]:
        return [q for s in self.sections for q in s.questions]

    def not_open_yet(self, today: date | None = None) -> bool:
        today = today or date.today()
        return self.state == ConsultationState.OPEN and bool(self.opens_on and today < self.opens_on)

    def is_accepting_responses(self, today: date | None = None) -> bool:
        today = today or date.today()
        if self.state != ConsultationState.OPEN:
            return False
        if self.opens_on and today < self.opens_on:
            return False
        return not (self.closes_on and today > self.closes_on)


class Section(SQLModel, table=True):
    __tablename__ = "section"

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(
        sa_column=Column(ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int = 0
    title: Localized = _json()
    description: Localized = _json()
    #: Skip logic (surveys.logic), or None: always shown.
    relevance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))

    consultation: "Consultation" = Relationship(back_populates="sections")
    questions: list["Question"] = Relationship(
        back_populates="section",
        sa_relationship_kwargs={"order_by": "Question.position", "cascade": "all, delete-orphan"},
    )


class Question(SQLModel, table=True):
    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("consultation_id", "key", name="question_key_unique"),)

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(
        sa_column=Column(ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False)
    )
    section_id: int = Field(
        sa_column=Column(ForeignKey("section.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int = 0
    #: Stable name (XLSForm `name`), used in field names, logic and exports.
    key: str = Field(max_length=64)
    type: str = Field(max_length=32)
    required: bool = False
    #: A quasi-identifier: analysis applies disclosure control to it.
    demographic: bool = False
    label: Localized = _json()
    help: Localized = _json()
    #: Type-specific settings: min, max, scale labels, length limit...
    options: dict[str, Any] = _json()
    relevance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))

    section: "Section" = Relationship(back_populates="questions")
    choices: list["Choice"] = Relationship(
        back_populates="question",
        sa_relationship_kwargs={"order_by": "Choice.position", "cascade": "all, delete-orphan"},
    )

    @property
    def field_name(self) -> str:
        return f"q-{self.key}"

    @property
    def kind(self):
        """The question type object from the registry."""
        from surveys.fields import registry

        return registry[self.type]


class Choice(SQLModel, table=True):
    __tablename__ = "choice"
    __table_args__ = (UniqueConstraint("question_id", "key", name="choice_key_unique"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(
        sa_column=Column(ForeignKey("question.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int = 0
    #: Stable id stored in answers; labels may be reworded and translated later.
    key: str = Field(max_length=64)
    label: Localized = _json()

    question: "Question" = Relationship(back_populates="choices")


class Response(SQLModel, table=True):
    """One anonymous submission. No respondent metadata: language and the day only."""

    __tablename__ = "response"

    #: Random (secrets.token_hex), never sequential.
    id: str = Field(primary_key=True, max_length=32)
    consultation_id: int = Field(
        sa_column=Column(ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    language: str = Field(max_length=16)
    submitted_on: date
    #: SHA-256 of the receipt code shown once to the respondent, for withdrawal.
    receipt_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))

    answers: list["Answer"] = Relationship(
        back_populates="response",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "passive_deletes": True},
    )


class Answer(SQLModel, table=True):
    """One answer; free text is stored only after scrubbing."""

    __tablename__ = "answer"

    response_id: str = Field(
        sa_column=Column(
            ForeignKey("response.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    question_id: int = Field(
        sa_column=Column(
            ForeignKey("question.id", ondelete="CASCADE"), primary_key=True, nullable=False, index=True
        )
    )
    #: Choice keys, numbers, ISO dates or scrubbed text, by question type.
    value: Any = Field(sa_column=Column(JSON, nullable=False))

    response: "Response" = Relationship(back_populates="answers")


# --- Designer (migration 0003): single-use invitation codes ---------------------------


class InvitationCode(SQLModel, table=True):
    """An invitation code not used yet: only the SHA-256 of the code is kept.

    Redeeming a code deletes its row, in the same transaction as the response it
    unlocks. So a used code leaves no record at all: nothing that could pair it with
    a response (no reference, no time, no order, and in PostgreSQL no row whose
    transaction id matches the response's). "Wrong" and "already used" look the same.
    """

    __tablename__ = "invitation_code"

    #: Random, so even the key of a deleted row says nothing about the code.
    id: str = Field(primary_key=True, max_length=32)
    consultation_id: int = Field(
        sa_column=Column(ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    code_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))


class InvitationBatch(SQLModel, table=True):
    """How many codes a designer generated on a day (the codes themselves are shown once)."""

    __tablename__ = "invitation_batch"
    __table_args__ = (CheckConstraint("size > 0", name="batch_not_empty"),)

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(
        sa_column=Column(ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    created_on: date = Field(default_factory=date.today)
    size: int
