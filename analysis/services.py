"""What analysis does with the database: theme answers, store and retrain models,
record analysts' corrections and quote approvals. No HTTP here.

Theming runs in batches (`consult analyse SLUG`, or the workspace's "theme new
answers" button), never on the respondent's submission path: the submission stores
scrubbed text and returns; the model's first load takes seconds and a batch themes
thousands of answers per second.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, func
from sqlmodel import Session, select

from analysis.models import AnswerTheming, QuoteApproval, ThemeModel, ThemeReview
from surveys.fields import registry
from surveys.models import Answer, Consultation, Question, Response

_themers: dict[str, object] = {}
_themers_lock = threading.Lock()


def now() -> datetime:
    """Staff-side time (analysts are accountable); never used for respondents."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def free_text_types() -> list[str]:
    return [name for name, kind in registry.items() if kind.free_text]


def current_model(db: Session) -> ThemeModel:
    """The newest stored model; the first call stores the one trained on the seed corpus."""
    model = db.exec(select(ThemeModel).order_by(ThemeModel.id.desc())).first()
    if model is None:
        from analysis.theming import default_themer

        themer = default_themer()
        model = ThemeModel(
            version=themer.version,
            codebook=themer.version.split("/")[0],
            created_at=now(),
            blob=themer.to_bytes(),
        )
        db.add(model)
        db.flush()
        _themers[model.version] = themer
    return model


def load_themer(model: ThemeModel):
    """The Themer of a stored model, loaded once per process and version."""
    from analysis.theming import Themer

    with _themers_lock:
        if model.version not in _themers:
            _themers[model.version] = Themer.from_bytes(model.blob)
        return _themers[model.version]


@dataclass
class AnalyseReport:
    themed: int
    already: int
    model_version: str


def unthemed_answers(db: Session, consultation: Consultation, everything: bool = False) -> Iterator[tuple]:
    """(response_id, question_id, text, response language) of free-text answers not yet themed.

    :param everything: also answers themed automatically before (after a retrain);
        answers an analyst corrected are never re-themed.
    """
    query = (
        select(Answer.response_id, Answer.question_id, Answer.value, Response.language)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(
            AnswerTheming,
            and_(
                AnswerTheming.response_id == Answer.response_id,
                AnswerTheming.question_id == Answer.question_id,
            ),
        )
        .where(Response.consultation_id == consultation.id, Question.type.in_(free_text_types()))
    )
    if everything:
        query = query.where((AnswerTheming.response_id.is_(None)) | (AnswerTheming.source == "auto"))
    else:
        query = query.where(AnswerTheming.response_id.is_(None))
    for response_id, question_id, value, language in db.exec(query.order_by(Answer.response_id)):
        if isinstance(value, str) and value.strip():
            yield response_id, question_id, value, language


def analyse_consultation(
    db: Session, consultation: Consultation, everything: bool = False, batch_size: int = 512, progress=None
) -> AnalyseReport:
    """Theme every free-text answer of `consultation` that has no theming yet.

    Incremental: answers themed before are left alone unless `everything` (then
    automatic themings are replaced with the current model's; analysts' stay).

    :param progress: called with the number of answers themed after each batch.
    """
    model = current_model(db)
    themer = load_themer(model)
    existing = db.exec(
        select(func.count()).select_from(AnswerTheming).where(AnswerTheming.consultation_id == consultation.id)
    ).one()
    themed = 0
    for batch in _batches(unthemed_answers(db, consultation, everything), batch_size):
        results = themer.classify([text for _r, _q, text, _l in batch], langs=[lang for *_x, lang in batch])
        for (response_id, question_id, _text, _lang), result in zip(batch, results, strict=True):
            row = db.get(AnswerTheming, (response_id, question_id)) if everything else None
            if row is None:
                row = AnswerTheming(response_id=response_id, question_id=question_id, consultation_id=consultation.id)
            row.lang = result.lang
            row.goals = list(result.goals)
            row.scores = {g: round(float(s), 4) for g, s in result.scores.items()}
            row.explanation = {g: list(t) for g, t in result.explanation.items()}
            row.sentiment = None if result.sentiment is None else round(float(result.sentiment), 3)
            row.confidence = confidence(row.scores)
            row.model_version = model.version
            row.source = "auto"
            db.add(row)
        db.flush()
        themed += len(batch)
        if progress:
            progress(len(batch))
    return AnalyseReport(themed=themed, already=existing - (themed if everything else 0), model_version=model.version)


def confidence(scores: dict[str, float]) -> float:
    """0 when some goal sits on its threshold (0.5), 1 when every goal is clear-cut."""
    if not scores:
        return 0.0
    return round(min(abs(s - 0.5) * 2 for s in scores.values()), 4)


def _batches(items, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def correct_goals(
    db: Session, theming: AnswerTheming, goals: Sequence[str], analyst_id: int | None
) -> ThemeReview:
    """Record an analyst's decision on an answer's goals (accepting is deciding too).

    :raises ValueError: for a goal id the codebook does not have.
    """
    from analysis.codebook import load_codebook

    known = load_codebook().goal_ids
    unknown = [g for g in goals if g not in known]
    if unknown:
        raise ValueError(f"unknown goal ids: {unknown}")
    ordered = [g for g in known if g in set(goals)]
    machine = [g for g, s in sorted(theming.scores.items()) if s >= 0.5]
    review = ThemeReview(
        response_id=theming.response_id,
        question_id=theming.question_id,
        consultation_id=theming.consultation_id,
        analyst_id=analyst_id,
        at=now(),
        machine_goals=machine,
        goals_before=list(theming.goals),
        goals_after=ordered,
    )
    theming.goals = ordered
    theming.source = "analyst"
    db.add(theming)
    db.add(review)
    db.flush()
    return review


def approve_quote(db: Session, theming: AnswerTheming, analyst_id: int | None, approved: bool = True) -> None:
    """Allow (or withdraw permission for) an answer to be quoted in briefs and exports."""
    existing = db.get(QuoteApproval, (theming.response_id, theming.question_id))
    if approved and existing is None:
        db.add(
            QuoteApproval(
                response_id=theming.response_id,
                question_id=theming.question_id,
                consultation_id=theming.consultation_id,
                approved_by=analyst_id,
                at=now(),
            )
        )
    elif not approved and existing is not None:
        db.delete(existing)
    db.flush()


def corrections(db: Session) -> list[tuple[str, str | None, list[str]]]:
    """(text, language, goals) of every answer an analyst decided, across consultations."""
    rows = db.exec(
        select(Answer.value, AnswerTheming.lang, AnswerTheming.goals)
        .join(
            AnswerTheming,
            and_(
                AnswerTheming.response_id == Answer.response_id,
                AnswerTheming.question_id == Answer.question_id,
            ),
        )
        .where(AnswerTheming.source == "analyst")
    ).all()
    return [(text, lang, list(goals)) for text, lang, goals in rows if isinstance(text, str)]


def retrain(db: Session) -> ThemeModel:
    """Train a new model on the seed corpus plus analysts' corrections and store it.

    The previous models stay in the database; the newest is used from now on.
    """
    from analysis.theming import load_seed_corpus, train_themer
    from analysis.theming.corpus import as_triples

    examples = as_triples(load_seed_corpus())
    corrected = corrections(db)
    themer = train_themer(examples, corrections=corrected)
    model = ThemeModel(
        version=themer.version,
        codebook=themer.version.split("/")[0],
        created_at=now(),
        corrections=len(corrected),
        training_size=len(examples) + len(corrected),
        blob=themer.to_bytes(),
    )
    existing = db.exec(select(ThemeModel).where(ThemeModel.version == model.version)).first()
    if existing is not None:  # same data, same model
        return existing
    db.add(model)
    db.flush()
    return model
