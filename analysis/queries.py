"""Reads for the analyst workspace: the database turned into plain data.

Everything here returns the dataclasses of `analysis.dataset` (or small plain
records); the analysis itself is done by pure functions over them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal
from sqlmodel import Session, select

from analysis.dataset import Dataset, Demographic, FreeTextQuestion, Reference, Respondent, Text
from analysis.models import AnswerTheming, QuoteApproval, ReferenceGroup, ThemeModel, ThemeReview
from consult.privacy.disclosure import effective_k
from surveys.logic import LogicError, is_relevant, references
from surveys.models import Answer, Consultation, Response


@dataclass(frozen=True)
class ReviewRecord:
    """One analyst decision on an answer's goals (see `analysis.models.ThemeReview`)."""

    response_id: str
    question_id: int
    analyst_id: int | None
    at: datetime
    machine_goals: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]


def find_consultation(db: Session, slug: str) -> Consultation | None:
    """The consultation with this slug, in any state (analysts read closed ones too)."""
    return db.exec(select(Consultation).where(Consultation.slug == slug)).first()


def consultations_with_counts(db: Session) -> list[tuple[Consultation, int]]:
    """Every consultation that is not a draft, newest first, with its number of responses."""
    counts = dict(
        db.exec(select(Response.consultation_id, func.count()).group_by(Response.consultation_id)).all()
    )
    consultations = db.exec(
        select(Consultation).where(Consultation.state != "draft").order_by(Consultation.id.desc())
    ).all()
    return [(c, counts.get(c.id, 0)) for c in consultations]


def goal_ids() -> tuple[str, ...]:
    """The goal ids of the codebook in use."""
    from analysis.codebook import load_codebook

    return load_codebook().goal_ids


def load_dataset(db: Session, consultation: Consultation, explanations: bool = False) -> Dataset:
    """Every response of `consultation` as a `Dataset`: respondents with their language,
    day and demographic answers, and every free-text answer with its theming.

    Free text is read as stored, i.e. already scrubbed; nothing else about the
    respondent exists to be read.

    :param explanations: also read each theming's explanation (the terms behind each
        goal), which only the review queue shows: the largest JSON value of a row.
    """
    questions = consultation.questions
    by_id = {q.id: q for q in questions}
    free = [q for q in questions if q.kind.free_text]
    demographics = [
        q for q in questions if q.demographic and q.type in ("single_choice", "multiple_choice") and q.choices
    ]
    # Only the answers analysis reads: free text, demographic choices and those the
    # free-text questions' skip logic looks at (a number, a date, a ranking... is not
    # decoded). Core rows, not ORM ones: tens of thousands of answers per page view.
    needed = {q.key for q in free} | {q.key for q in demographics}
    for question in free:
        needed.update(references(question.section.relevance))
        needed.update(references(question.relevance))
    wanted = [q.id for q in questions if q.key in needed]
    answers: dict[str, dict[str, object]] = defaultdict(dict)
    rows = db.connection().execute(
        select(Answer.response_id, Answer.question_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.consultation_id == consultation.id, Answer.question_id.in_(wanted))
    )
    for response_id, question_id, value in rows:
        answers[response_id][by_id[question_id].key] = value
    responses = db.exec(
        select(Response.id, Response.language, Response.submitted_on)
        .where(Response.consultation_id == consultation.id)
        .order_by(Response.id)
    ).all()
    respondents = []
    for response_id, language, day in responses:
        given = answers.get(response_id, {})
        groups = {q.key: _choices(given.get(q.key)) for q in demographics}
        respondents.append(
            Respondent(
                id=response_id,
                language=language,
                day=day,
                groups=groups,
                shown=frozenset(q.key for q in free if _shown(q, given)),
                answered=frozenset(q.key for q in free if _has_text(given.get(q.key))),
            )
        )
    # Plain columns, not ORM objects: thousands of rows per page view.
    themings = {
        (row.response_id, row.question_id): row
        for row in db.connection().execute(
            select(
                AnswerTheming.response_id,
                AnswerTheming.question_id,
                AnswerTheming.lang,
                AnswerTheming.goals,
                AnswerTheming.scores,
                AnswerTheming.explanation if explanations else literal(None).label("explanation"),
                AnswerTheming.sentiment,
                AnswerTheming.confidence,
                AnswerTheming.source,
                AnswerTheming.model_version,
            ).where(AnswerTheming.consultation_id == consultation.id)
        )
    }
    approved = set(
        db.exec(
            select(QuoteApproval.response_id, QuoteApproval.question_id).where(
                QuoteApproval.consultation_id == consultation.id
            )
        ).all()
    )
    language_of = {r.id: r.language for r in respondents}
    texts = []
    for response_id, given in sorted(answers.items()):
        for question in free:
            value = given.get(question.key)
            if not _has_text(value):
                continue
            theming = themings.get((response_id, question.id))
            texts.append(
                Text(
                    response_id=response_id,
                    question_id=question.id,
                    question_key=question.key,
                    text=value,
                    lang=theming.lang if theming else language_of.get(response_id, ""),
                    themed=theming is not None,
                    goals=tuple(theming.goals) if theming else (),
                    scores=dict(theming.scores) if theming else {},
                    explanation=dict(theming.explanation or {}) if theming else {},
                    sentiment=theming.sentiment if theming else None,
                    confidence=theming.confidence if theming else 0.0,
                    source=theming.source if theming else "auto",
                    model_version=theming.model_version if theming else "",
                    approved=(response_id, question.id) in approved,
                )
            )
    return Dataset(
        slug=consultation.slug,
        title=dict(consultation.title or {}),
        default_language=consultation.default_language,
        languages=tuple(consultation.languages or ()),
        k=effective_k(consultation.k_threshold),
        goal_ids=goal_ids(),
        demographics=tuple(
            Demographic(
                key=q.key,
                label=dict(q.label or {}),
                multiple=q.type == "multiple_choice",
                choices=tuple((c.key, dict(c.label or {})) for c in q.choices),
            )
            for q in demographics
        ),
        questions=tuple(FreeTextQuestion(q.id, q.key, dict(q.label or {})) for q in free),
        respondents=tuple(respondents),
        texts=tuple(texts),
    )


def _choices(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str) and value:
        return (value,)
    return ()


def _has_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _shown(question, answers: dict[str, object]) -> bool:
    """Whether skip logic showed `question` to a respondent with these stored answers.

    Stored answers are only those of relevant questions (the form walk drops the
    rest), so evaluating the conditions on them gives what the respondent saw.
    """
    try:
        return is_relevant(question.section.relevance, answers) and is_relevant(question.relevance, answers)
    except LogicError:
        return True  # a malformed condition showed the question (the form walk fails open too)


def load_reviews(db: Session, consultation: Consultation) -> list[ReviewRecord]:
    """Every analyst decision on `consultation`'s answers, oldest first."""
    rows = db.exec(
        select(ThemeReview)
        .where(ThemeReview.consultation_id == consultation.id)
        .order_by(ThemeReview.at, ThemeReview.id)
    )
    return [
        ReviewRecord(
            response_id=r.response_id,
            question_id=r.question_id,
            analyst_id=r.analyst_id,
            at=r.at,
            machine_goals=tuple(r.machine_goals),
            before=tuple(r.goals_before),
            after=tuple(r.goals_after),
        )
        for r in rows
    ]


def load_references(db: Session, consultation: Consultation) -> list[Reference]:
    """The reference groups staff set for Amplify, in the order they were defined."""
    rows = db.exec(
        select(ReferenceGroup).where(ReferenceGroup.consultation_id == consultation.id).order_by(ReferenceGroup.id)
    )
    return [Reference(r.id, r.label, r.question_key, tuple(r.choice_keys), float(r.share)) for r in rows]


def model_summary(db: Session) -> dict[str, object] | None:
    """The newest stored theming model: version, creation time, corrections, size."""
    model = db.exec(select(ThemeModel).order_by(ThemeModel.id.desc())).first()
    if model is None:
        return None
    return {
        "version": model.version,
        "created_at": model.created_at,
        "corrections": model.corrections,
        "training_size": model.training_size,
    }
