"""What analysis stores: theming of each free-text answer, the versioned models that
produced it, analysts' reviews, approved quotes and the reference shares for Amplify.

Everything derived from an answer references it with ON DELETE CASCADE, so a
withdrawn or purged response takes its themes, reviews and quote approvals with it.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

THEME_SOURCES = ("auto", "analyst")


class ThemeModel(SQLModel, table=True):
    """A trained themer, stored with the data; earlier versions are kept."""

    __tablename__ = "theme_model"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(sa_column=Column(String(80), unique=True, nullable=False))
    codebook: str = Field(max_length=40)
    created_at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    #: Seed corpus only, or seed plus analysts' corrections.
    corrections: int = 0
    training_size: int = 0
    #: `analysis.theming.Themer.to_bytes()`
    blob: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class AnswerTheming(SQLModel, table=True):
    """The NAP goals of one free-text answer, by the machine or as corrected by an analyst."""

    __tablename__ = "answer_theming"
    __table_args__ = (
        ForeignKeyConstraint(
            ["response_id", "question_id"], ["answer.response_id", "answer.question_id"], ondelete="CASCADE"
        ),
        CheckConstraint("source in ('auto', 'analyst')", name="known_source"),
    )

    response_id: str = Field(primary_key=True, max_length=32)
    question_id: int = Field(primary_key=True)
    consultation_id: int = Field(
        sa_column=Column(ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    lang: str = Field(max_length=16)
    goals: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: goal id -> machine score in [0, 1] (kept after an analyst's correction).
    scores: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: goal id -> terms that drove the score (why the machine said so).
    explanation: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sentiment: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    #: How sure the machine is: distance of the closest score to its decision threshold.
    confidence: float = 0.0
    model_version: str = Field(max_length=80)
    source: str = Field(default="auto", max_length=16)


class ThemeReview(SQLModel, table=True):
    """An analyst's decision on an answer's goals: who, when, before, after."""

    __tablename__ = "theme_review"
    __table_args__ = (
        ForeignKeyConstraint(
            ["response_id", "question_id"], ["answer.response_id", "answer.question_id"], ondelete="CASCADE"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    response_id: str = Field(max_length=32, index=True)
    question_id: int
    consultation_id: int = Field(
        sa_column=Column(ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    analyst_id: int | None = None
    at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    machine_goals: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    goals_before: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    goals_after: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class QuoteApproval(SQLModel, table=True):
    """An answer an analyst approved for quotation outside the review (briefs, exports)."""

    __tablename__ = "quote_approval"
    __table_args__ = (
        ForeignKeyConstraint(
            ["response_id", "question_id"], ["answer.response_id", "answer.question_id"], ondelete="CASCADE"
        ),
    )

    response_id: str = Field(primary_key=True, max_length=32)
    question_id: int = Field(primary_key=True)
    consultation_id: int = Field(
        sa_column=Column(ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    approved_by: int | None = None
    at: datetime = Field(sa_column=Column(DateTime, nullable=False))


class ReferenceGroup(SQLModel, table=True):
    """A group's expected share of respondents (e.g. "Global South" 60 %), for Amplify."""

    __tablename__ = "reference_group"
    __table_args__ = (
        UniqueConstraint("consultation_id", "label", name="reference_label_unique"),
        CheckConstraint("share >= 0 and share <= 1", name="share_is_a_proportion"),
    )

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(
        sa_column=Column(ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    #: The demographic question the group is drawn from, by key.
    question_key: str = Field(max_length=64)
    #: Choice keys that make up the group (one or several).
    choice_keys: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    label: str = Field(max_length=120)
    share: float
