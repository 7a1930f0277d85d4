"""The policy brief as plain data: key figures, per-goal findings, Amplify, methodology.

Built from the whole consultation (never a filtered view) by pure functions; the HTML
template and the DOCX writer (`analysis.exports.brief_docx`) only lay it out. Quotes
in the brief are ONLY answers an analyst approved for quotation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from analysis.agreement import Agreement, agreement, reviewed_pairs
from analysis.amplify import AmplifyView, amplify
from analysis.breakdowns import BreakdownCell, breakdown
from analysis.dataset import Dataset, Reference
from analysis.protect import Series
from analysis.summaries import Overview, Phrase, Quote, overview, representative_quotes
from consult.privacy.disclosure import Cell

QUOTES_PER_GOAL = 3


@dataclass(frozen=True)
class Difference:
    """A notable goal x group difference for the brief."""

    question: str
    choice: str
    cell: BreakdownCell


@dataclass(frozen=True)
class GoalFinding:
    """What the brief says about one goal."""

    goal: str
    cell: Cell
    share: float | None
    weighted: float | None
    sentiment: Series | None
    phrases: tuple[Phrase, ...]
    differences: tuple[Difference, ...]
    #: Approved quotes only; under-represented groups' first.
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Brief:
    """Everything the brief shows."""

    slug: str
    generated_on: date
    k: int
    overview: Overview
    findings: tuple[GoalFinding, ...]
    amplify: AmplifyView
    #: Approved quotes of respondents in under-represented groups.
    amplified_quotes: tuple[Quote, ...]
    agreement: Agreement
    #: Model versions behind the automatic assignments.
    models: tuple[str, ...]
    themed: int
    #: Themed answers whose goals an analyst decided.
    decided: int
    approved: int
    references: tuple[Reference, ...]


def build_brief(
    dataset: Dataset, references: Sequence[Reference], reviews: Sequence, generated_on: date | None = None
) -> Brief:
    """Assemble the brief of a whole consultation.

    :param reviews: the consultation's review records (for the agreement figures).
    """
    view = overview(dataset, references, quotes=0)
    amplified = amplify(dataset, references)
    weighted = {g.goal: g.weighted for g in amplified.goals}
    differences: dict[str, list[Difference]] = {}
    if not view.withheld:
        for question in dataset.demographics:
            for goal, choice, cell in breakdown(dataset, question, references).notable:
                differences.setdefault(goal, []).append(Difference(question.key, choice, cell))
    findings = []
    for summary in view.summaries:
        quotes = ()
        if not summary.cell.suppressed:
            quotes = representative_quotes(
                dataset, summary.goal, QUOTES_PER_GOAL, approved_only=True, first=amplified.amplified
            )
        findings.append(
            GoalFinding(
                goal=summary.goal,
                cell=summary.cell,
                share=summary.share,
                weighted=weighted.get(summary.goal),
                sentiment=summary.sentiment,
                phrases=summary.phrases,
                differences=tuple(differences.get(summary.goal, ())),
                quotes=quotes,
            )
        )
    amplified_quotes: tuple[Quote, ...] = ()
    if amplified.amplified and not view.withheld:
        from dataclasses import replace

        mine = replace(dataset, texts=tuple(t for t in dataset.texts if t.response_id in amplified.amplified))
        amplified_quotes = representative_quotes(
            mine, None, QUOTES_PER_GOAL, approved_only=True, first=amplified.amplified, attribution_from=dataset
        )
    themed = dataset.themed_texts
    return Brief(
        slug=dataset.slug,
        generated_on=generated_on or date.today(),
        k=dataset.k,
        overview=view,
        findings=tuple(findings),
        amplify=amplified,
        amplified_quotes=amplified_quotes,
        agreement=agreement(reviewed_pairs(reviews), dataset.goal_ids),
        models=tuple(sorted({t.model_version for t in themed if t.model_version})),
        themed=len(themed),
        decided=sum(1 for t in themed if t.source == "analyst"),
        approved=sum(1 for t in themed if t.approved),
        references=tuple(references),
    )
