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


# -- the analyst workspace (issue 6): reviews with audit, reference groups, exports ------------


class WorkspaceError(ValueError):
    """An analyst's input that cannot be accepted; `message` is translated (lazily), `field` names
    the form field it is about (None: the whole form)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def _audit(db: Session, actor, action: str, target: str, details: dict) -> None:
    from consult.accounts import record

    record(db, actor, action, target, details)


def find_theming(db: Session, consultation: Consultation, response_id: str, question_id: int) -> AnswerTheming:
    """The theming of one answer of `consultation`.

    :raises LookupError: if the answer is not themed or belongs to another consultation.
    """
    theming = db.get(AnswerTheming, (response_id, question_id))
    if theming is None or theming.consultation_id != consultation.id:
        raise LookupError(f"no themed answer {response_id}/{question_id} in {consultation.slug}")
    return theming


def review_answer(
    db: Session,
    consultation: Consultation,
    response_id: str,
    question_id: int,
    goals: Sequence[str],
    approve: bool | None,
    actor,
) -> ThemeReview:
    """An analyst accepts or corrects an answer's goals, and may approve it for quotation.

    Writes the `ThemeReview` (via `correct_goals`) and an audit entry (``theme.accept``
    when the goals stay, ``theme.correct`` when they change; ``quote.approve`` /
    ``quote.withdraw`` when the approval changes). The audit keeps ids and goals,
    never the answer's text.

    :param goals: the goal ids she ticked (several or none).
    :param approve: True/False to set the quotation approval, None to leave it.
    :param actor: the signed-in `StaffUser` (None from the command line).
    :raises LookupError: if the answer is not themed or not in `consultation`.
    :raises ValueError: for an unknown goal id.
    """
    theming = find_theming(db, consultation, response_id, question_id)
    before = list(theming.goals)
    review = correct_goals(db, theming, goals, actor.id if actor is not None else None)
    target = f"response:{response_id}"
    details = {
        "consultation": consultation.slug,
        "question_id": question_id,
        "machine": review.machine_goals,
        "before": before,
        "after": review.goals_after,
    }
    _audit(db, actor, "theme.correct" if set(before) != set(review.goals_after) else "theme.accept", target, details)
    if approve is not None:
        approved = db.get(QuoteApproval, (response_id, question_id)) is not None
        if approve != approved:
            approve_quote(db, theming, actor.id if actor is not None else None, approve)
            action = "quote.approve" if approve else "quote.withdraw"
            _audit(db, actor, action, target, {"consultation": consultation.slug, "question_id": question_id})
    return review


def add_reference_group(
    db: Session,
    consultation: Consultation,
    question_key: str,
    choice_keys: Sequence[str],
    label: str,
    share: float,
    actor,
):
    """Define a reference group for Amplify: choices of one demographic question and the
    share of respondents they would have in a fair sample.

    Groups of a single-choice question may not overlap and their shares may not add
    up to more than 100 %; groups of a multiple-choice question may overlap.

    :param share: a proportion in (0, 1].
    :raises WorkspaceError: with a translated message naming the field at fault.
    """
    from flask_babel import lazy_gettext as _l

    from analysis.models import ReferenceGroup

    question = next((q for q in consultation.questions if q.key == question_key), None)
    if question is None or not question.demographic or question.type not in ("single_choice", "multiple_choice"):
        raise WorkspaceError(_l("Choose a demographic question of this consultation."), "question")
    label = (label or "").strip()
    if not label:
        raise WorkspaceError(_l("Give the group a name."), "label")
    if len(label) > 120:
        raise WorkspaceError(_l("Use at most 120 characters for the name."), "label")
    known = {c.key for c in question.choices}
    chosen = list(dict.fromkeys(choice_keys))
    if not chosen:
        raise WorkspaceError(_l("Tick at least one answer that belongs to the group."), "choices")
    if set(chosen) - known:
        raise WorkspaceError(_l("Tick only answers of the question."), "choices")
    if not 0 < share <= 1:
        raise WorkspaceError(_l("The reference share is a percentage above 0 and at most 100."), "share")
    existing = db.exec(select(ReferenceGroup).where(ReferenceGroup.consultation_id == consultation.id)).all()
    if any(g.label.casefold() == label.casefold() for g in existing):
        raise WorkspaceError(_l("There is already a group with this name."), "label")
    same_question = [g for g in existing if g.question_key == question_key]
    if question.type == "single_choice":
        taken = {c for g in same_question for c in g.choice_keys}
        if taken & set(chosen):
            raise WorkspaceError(
                _l("An answer you ticked is already in another group of this question: groups may not overlap."),
                "choices",
            )
        if sum(g.share for g in same_question) + share > 1 + 1e-9:
            raise WorkspaceError(
                _l("The groups of this question would add up to more than 100 %."), "share"
            )
    group = ReferenceGroup(
        consultation_id=consultation.id,
        question_key=question_key,
        choice_keys=chosen,
        label=label,
        share=round(float(share), 4),
    )
    db.add(group)
    db.flush()
    _audit(
        db,
        actor,
        "reference_group.create",
        f"consultation:{consultation.slug}",
        {"group": group.id, "label": label, "question": question_key, "choices": chosen, "share": group.share},
    )
    return group


def delete_reference_group(db: Session, consultation: Consultation, group_id: int, actor) -> bool:
    """Remove a reference group of `consultation`; False when there is no such group."""
    from analysis.models import ReferenceGroup

    group = db.get(ReferenceGroup, group_id)
    if group is None or group.consultation_id != consultation.id:
        return False
    details = {"group": group.id, "label": group.label, "question": group.question_key, "share": group.share}
    db.delete(group)
    db.flush()
    _audit(db, actor, "reference_group.delete", f"consultation:{consultation.slug}", details)
    return True


def record_export(db: Session, actor, consultation: Consultation, kind: str, details: dict) -> None:
    """Put an export in the audit log (what, of which consultation, with which filters)."""
    _audit(db, actor, "export.create", f"consultation:{consultation.slug}", {"format": kind, **details})


def theme_new_answers(db: Session, consultation: Consultation, actor) -> AnalyseReport:
    """Theme the answers not themed yet (the workspace's button), with an audit entry."""
    report = analyse_consultation(db, consultation)
    _audit(
        db, actor, "theme.analyse", f"consultation:{consultation.slug}",
        {"themed": report.themed, "model": report.model_version},
    )
    return report


def decisions_since_last_model(db: Session) -> int:
    """Analyst decisions recorded since the newest stored model was trained (all, without one)."""
    newest = db.exec(select(ThemeModel.created_at).order_by(ThemeModel.id.desc())).first()
    query = select(func.count()).select_from(ThemeReview)
    if newest is not None:
        query = query.where(ThemeReview.at >= newest)
    return db.exec(query).one()


def retrain_and_retheme(
    db: Session, consultation: Consultation, actor
) -> tuple[ThemeModel, AnalyseReport] | None:
    """Retrain on the seed corpus plus every correction, then re-theme `consultation`'s
    automatic assignments with the new model (analysts' decisions stay).

    :returns: the new model and the re-theming report, or None when no analyst has
        decided anything since the newest model was trained (training would learn
        nothing new and takes minutes).
    """
    if not decisions_since_last_model(db):
        return None
    model = retrain(db)
    report = analyse_consultation(db, consultation, everything=True)
    _audit(
        db, actor, "model.retrain", f"consultation:{consultation.slug}",
        {"model": model.version, "corrections": model.corrections, "rethemed": report.themed},
    )
    return model, report
