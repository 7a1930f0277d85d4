"""Amplify: whose voices are in the data, and what changes when every group counts as it should.

Staff set *reference groups*: unions of the choices of one demographic question with
the share of respondents they would have in a fair sample ("Global South" = several
regions, 60 %). From them:

* **Representation**: each group's share of the respondents who answered the question,
  against its reference share. A group is *under-represented* below 0.8 times its
  reference share (and *absent* with nobody at all).
* **Post-stratification**: each respondent who answered the question is weighted by
  reference share / sample share of her group; respondents in no group share the rest
  of the reference (100 % minus the groups' shares), or keep their own weight when the
  groups already take 100 %; respondents who did not answer keep weight 1. Goal
  shares are then computed with the weights, next to the raw shares.
* **Themes raised mostly by under-represented groups**: per goal, the share of an
  under-represented group raising it against everyone's (lift, Fisher's test,
  Benjamini-Hochberg), as in `analysis.breakdowns`.

Limits, said on the page too: weighting cannot create voices that are absent (an
absent group's share is spread over the others); it multiplies the few voices of a
small group, and their noise with them, so it is refused when a group counts fewer
than k respondents; it corrects one question at a time; it trusts the reference shares.

Everything published is protected: counts through `analysis.protect`, and a weighted
share only when every cell it is made of could be published itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.breakdowns import ALPHA, LIFT_UP, benjamini_hochberg, fisher_p
from analysis.dataset import Dataset, Demographic, Reference
from analysis.protect import (
    HIDDEN,
    Series,
    atom_ok,
    parts_safe,
    protect_coarse,
    protect_crosstab,
    weighted_sum_pinned,
)
from analysis.summaries import (
    NO_ANSWER,
    NO_GOAL,
    NOT_THEMED,
    REMAINDER,
    goal_counts,
    goal_series,
    group_counts,
    group_series,
    is_partition,
    reference_members,
    too_few,
)
from consult.privacy.disclosure import Cell, safe_share

#: Below this ratio of sample share to reference share a group is under-represented.
UNDER = 0.8
OVER = 1.25


@dataclass(frozen=True)
class RepresentationRow:
    """One category of the representation table."""

    key: str
    reference: Reference | None
    cell: Cell
    #: Share of the respondents who answered the question (None when withheld).
    sample_share: float | None
    reference_share: float | None
    #: "under", "over", "fair", "absent", "hidden" (too few to show) or "" (no reference).
    status: str

    @property
    def ratio(self) -> float | None:
        """Sample share / reference share."""
        if self.sample_share is None or not self.reference_share:
            return None
        return self.sample_share / self.reference_share


@dataclass(frozen=True)
class Representation:
    """The representation table of one demographic question."""

    question: Demographic
    rows: tuple[RepresentationRow, ...]
    #: Respondents who answered the question.
    answered: Cell
    #: The groups split the choices without overlap and the question is single-choice.
    partition: bool
    series: Series

    @property
    def under(self) -> list[Reference]:
        """Reference groups that are under-represented, absent or too few to show."""
        return [r.reference for r in self.rows if r.reference and r.status in ("under", "absent", "hidden")]


@dataclass(frozen=True)
class Weighting:
    """Post-stratification weights over one question's reference groups."""

    question: Demographic
    #: Category key -> weight of each of its respondents (None: cannot be weighted).
    weights: dict[str, float | None]
    #: Response id -> weight.
    by_respondent: dict[str, float]
    #: Labels of groups with nobody in the data (their share could not be given to anyone).
    absent: tuple[str, ...] = ()
    #: Why no weights can be used, as a code for the page ("" when usable).
    refused: str = ""


@dataclass(frozen=True)
class GoalWeighting:
    """A goal's share raw and re-weighted, side by side."""

    goal: str
    raw: float | None
    weighted: float | None


@dataclass(frozen=True)
class Underheard:
    """A goal as raised by one under-represented group against everyone."""

    goal: str
    reference: Reference
    cell: Cell
    share: float | None
    overall: float | None
    lift: float | None
    q_value: float | None
    notable: bool


@dataclass(frozen=True)
class AmplifyView:
    """Everything the Amplify page and the brief's Amplify section show."""

    withheld: bool
    representations: tuple[Representation, ...] = ()
    weighting: Weighting | None = None
    goals: tuple[GoalWeighting, ...] = ()
    underheard: tuple[Underheard, ...] = ()
    #: Response ids of respondents in under-represented groups (their quotes first).
    amplified: frozenset[str] = frozenset()


def _category_counts(dataset: Dataset, question: Demographic, references: Sequence[Reference]) -> dict[str, int]:
    counts: Counter = Counter()
    for respondent in dataset.respondents:
        chosen = set(respondent.groups.get(question.key, ()))
        if not chosen:
            counts[NO_ANSWER] += 1
            continue
        inside = False
        for reference in references:
            if chosen & set(reference.choice_keys):
                counts[reference.key] += 1
                inside = True
        if not inside or (question.multiple and chosen - set().union(*(set(r.choice_keys) for r in references))):
            counts[REMAINDER] += 1
    return {key: counts.get(key, 0) for key in [r.key for r in references] + [REMAINDER, NO_ANSWER]}


def representation(dataset: Dataset, question: Demographic, references: Sequence[Reference]) -> Representation:
    """Each reference group's share of respondents against its reference share.

    The counts are a coarse list of the question's choices, protected consistently
    with the question's own list (`protect_coarse`).
    """
    partition = is_partition(question, references)
    counts = _category_counts(dataset, question, references)
    fine_counts = group_counts(dataset, question)
    fine = group_series(dataset, question, references)
    series = protect_coarse(
        counts,
        reference_members(question, references),
        fine_counts,
        fine,
        dataset.k,
        total=len(dataset.respondents),
        partition=partition,
    )
    no_answer = series.cell(NO_ANSWER)
    answered_n = len(dataset.respondents) - counts[NO_ANSWER]
    answered = Cell(answered_n) if not no_answer.suppressed and not series.total.suppressed else HIDDEN
    rows = []
    for reference in references:
        cell = series.cell(reference.key)
        share = safe_share(cell, answered, dataset.k)
        rows.append(RepresentationRow(reference.key, reference, cell, share, reference.share,
                                      _status(cell, share, reference.share)))
    rest = series.cell(REMAINDER)
    rest_reference = max(0.0, 1.0 - sum(r.share for r in references)) if partition else None
    rows.append(RepresentationRow(REMAINDER, None, rest, safe_share(rest, answered, dataset.k), rest_reference, ""))
    return Representation(question, tuple(rows), answered, partition, series)


def _status(cell: Cell, share: float | None, reference: float) -> str:
    if cell.value == 0:
        return "absent" if reference > 0 else "fair"
    if cell.suppressed or share is None:
        return "hidden"
    if share < UNDER * reference:
        return "under"
    if reference and share > OVER * reference:
        return "over"
    return "fair"


def poststratify(dataset: Dataset, question: Demographic, references: Sequence[Reference]) -> Weighting:
    """Weights that give each reference group its reference share (see the module docstring).

    Pure arithmetic on the true counts; `amplify` decides what of it may be shown.
    Refused ("overlap") when the groups overlap or the question is multiple-choice,
    ("small") when a group or the rest counts 1..k-1 respondents, ("none") without
    groups or answers.
    """
    if not references:
        return Weighting(question, {}, {}, refused="none")
    if not is_partition(question, references):
        return Weighting(question, {}, {}, refused="overlap")
    counts = _category_counts(dataset, question, references)
    answered = sum(counts[key] for key in counts if key != NO_ANSWER)
    if not answered:
        return Weighting(question, {}, {}, refused="none")
    targets = {r.key: r.share for r in references}
    rest_target = 1.0 - sum(targets.values())
    keep_rest = rest_target <= 1e-9 and counts[REMAINDER] > 0
    if not keep_rest:
        targets[REMAINDER] = max(rest_target, 0.0)
    if any(0 < counts[key] < dataset.k for key in targets):
        return Weighting(question, {}, {}, refused="small")
    labels = {r.key: r.label for r in references}
    absent = tuple(labels[key] for key, share in targets.items() if counts[key] == 0 and share > 0 and key in labels)
    present = {key: share for key, share in targets.items() if counts[key] > 0}
    if not present or sum(present.values()) <= 0:
        return Weighting(question, {}, {}, absent=absent, refused="none")
    # Respondents outside every group keep weight 1 when the groups claim 100 %; the
    # groups then share what those respondents leave.
    weighted_pool = answered - (counts[REMAINDER] if keep_rest else 0)
    scale = sum(present.values())
    weights: dict[str, float | None] = {
        key: (share / scale) * weighted_pool / counts[key] for key, share in present.items()
    }
    for key in targets:
        weights.setdefault(key, None)
    if keep_rest:
        weights[REMAINDER] = 1.0
    weights[NO_ANSWER] = 1.0
    by_respondent = {}
    for respondent in dataset.respondents:
        key = _category_of(respondent.groups.get(question.key, ()), references)
        weight = weights.get(key)
        by_respondent[respondent.id] = 1.0 if weight is None else weight
    return Weighting(question, weights, by_respondent, absent)


def _category_of(chosen: Sequence[str], references: Sequence[Reference]) -> str:
    if not chosen:
        return NO_ANSWER
    for reference in references:
        if set(chosen) & set(reference.choice_keys):
            return reference.key
    return REMAINDER


def weighted_shares(dataset: Dataset, weighting: Weighting) -> dict[str, float]:
    """Goal -> weighted share of respondents raising it (unprotected arithmetic)."""
    raised = dataset.goals_by_respondent()
    total = sum(weighting.by_respondent.get(r.id, 1.0) for r in dataset.respondents)
    shares = {}
    for goal in dataset.goal_ids:
        mass = sum(weighting.by_respondent.get(r.id, 1.0) for r in dataset.respondents if goal in raised.get(r.id, ()))
        shares[goal] = mass / total if total else 0.0
    return shares


def _fine_hidden_rows(
    dataset: Dataset, question: Demographic, references: Sequence[Reference]
) -> dict[str, dict[str, int]]:
    """Goal -> hidden cells (choice -> true count) of its row in the goal x choice table."""
    from analysis.breakdowns import breakdown

    table = breakdown(dataset, question, references)
    raised = dataset.goals_by_respondent()
    counts: Counter = Counter()
    for respondent in dataset.respondents:
        goals_of = raised.get(respondent.id)
        rows = {NOT_THEMED} if goals_of is None else (goals_of or {NO_GOAL})
        for choice in set(respondent.groups.get(question.key, ())) or {NO_ANSWER}:
            for row in rows:
                counts[(row, choice)] += 1
    hidden: dict[str, dict[str, int]] = {}
    for row, cells in table.rows:
        hidden[row] = {
            column: counts[(row, column)]
            for column, item in zip(table.columns, cells, strict=True)
            if item.cell.suppressed
        }
    return hidden


def amplify(
    dataset: Dataset, references: Sequence[Reference], weight_by: str | None = None, alpha: float = ALPHA
) -> AmplifyView:
    """Representation, weighted goal shares and the themes of under-represented groups.

    :param weight_by: the question to weight by (default: the first question with
        reference groups that can be weighted).
    """
    if too_few(dataset):
        return AmplifyView(withheld=True)
    by_question: dict[str, list[Reference]] = {}
    for reference in references:
        by_question.setdefault(reference.question_key, []).append(reference)
    representations = tuple(
        representation(dataset, question, by_question[question.key])
        for question in dataset.demographics
        if question.key in by_question
    )
    goals = goal_series(dataset)
    totals = goal_counts(dataset)
    n = len(dataset.respondents)

    weighting = None
    for rep in representations:
        if weight_by not in (None, rep.question.key):
            continue
        tried = poststratify(dataset, rep.question, by_question[rep.question.key])
        if weighting is None or (weighting.refused and not tried.refused):
            weighting = tried
        if not tried.refused:
            break
    goal_rows = []
    table_rows: dict[str, dict[str, Cell]] = {}
    if weighting is not None and not weighting.refused:
        rep = next(r for r in representations if r.question.key == weighting.question.key)
        if any(row.cell.suppressed for row in rep.rows) or rep.series.cell(NO_ANSWER).suppressed:
            weighting = Weighting(weighting.question, {}, {}, weighting.absent, refused="hidden")
        else:
            table_rows = _strata_table(dataset, rep, by_question[rep.question.key], goals, totals)
    shares = weighted_shares(dataset, weighting) if weighting and not weighting.refused else {}
    hidden_rows = _fine_hidden_rows(dataset, weighting.question, by_question[weighting.question.key]) if shares else {}
    underheard, amplified = _underheard(dataset, representations, by_question, goals, totals, n, alpha)
    for goal in dataset.goal_ids:
        raw = goals.share(goal)
        weighted = None
        if shares and raw is not None:
            # Categories whose goal count the "under-heard" table shows are known to a reader.
            displayed = {
                u.reference.key for u in underheard
                if u.goal == goal and not u.cell.suppressed and u.reference.question_key == weighting.question.key
            }
            weighted = _safe_weighted(dataset, weighting, by_question[weighting.question.key], goal,
                                      table_rows.get(goal, {}), hidden_rows.get(goal, {}), shares[goal], displayed)
        goal_rows.append(GoalWeighting(goal, raw, weighted))
    return AmplifyView(False, representations, weighting, tuple(goal_rows), underheard, amplified)


#: Re-weighted shares are published in whole percent: the rounding is part of what keeps
#: hidden cells undetermined (`protect.weighted_sum_safe`).
WEIGHTED_PLACES = 2


def _safe_weighted(dataset, weighting, references, goal, cells, fine_hidden, exact, displayed) -> float | None:
    """The re-weighted share of `goal`, rounded, or None when it would give a hidden cell away.

    Every respondent of a reference category has the same weight, so the share tells one
    weighted sum of the categories' hidden parts (the goal x choice table's hidden cells
    grouped by category), whose plain sum the raw count tells already. Categories whose
    count the page shows elsewhere (`displayed`) are known. A category whose hidden part
    the two sums pin to one value must have a safe part (`atom_ok`) and a publishable
    goal x category cell; otherwise the share is withheld.
    """
    members = reference_members(weighting.question, references)
    category = {choice: key for key, choices in members.items() for choice in choices}
    raised = dataset.goals_by_respondent()
    fine: Counter = Counter()
    sizes: Counter = Counter()
    for respondent in dataset.respondents:
        chosen = respondent.groups.get(weighting.question.key, ()) or (NO_ANSWER,)
        for choice in chosen[:1]:  # single choice: one each
            sizes[choice] += 1
            if goal in raised.get(respondent.id, ()):
                fine[choice] += 1
    total_weight = sum(weighting.by_respondent.values())
    rounded = round(exact, WEIGHTED_PLACES)
    half_step = 0.5 * 10 ** -WEIGHTED_PLACES

    def weight(key: str) -> float:
        value = weighting.weights.get(key)
        return 1.0 if value is None else value

    unknown = [key for key, choices in members.items() if choices & set(fine_hidden) and key not in displayed]
    known = sum(fine[c] * weight(category[c]) for c in category if c not in fine_hidden or category[c] not in unknown)
    hidden = [
        (sum(fine_hidden[c] for c in members[key] if c in fine_hidden), weight(key),
         sum(sizes[c] for c in members[key] if c in fine_hidden))
        for key in unknown
    ]
    low = (rounded - half_step) * total_weight - known
    high = (rounded + half_step) * total_weight - known
    for key, pinned in zip(unknown, weighted_sum_pinned(hidden, low, high), strict=True):
        part = [fine_hidden[c] for c in members[key] if c in fine_hidden]
        if pinned and (not atom_ok(part, dataset.k) or cells.get(key, HIDDEN).suppressed):
            return None
    return rounded


def _strata_table(dataset, rep: Representation, references, goals: Series, totals) -> dict[str, dict[str, Cell]]:
    """Goal -> category -> protected count of the goal x reference-category table."""
    keys = [row.key for row in rep.rows] + [NO_ANSWER]
    counts = _category_counts(dataset, rep.question, references)
    raised = dataset.goals_by_respondent()
    cells: Counter = Counter()
    for respondent in dataset.respondents:
        category = _category_of(respondent.groups.get(rep.question.key, ()), references)
        goals_of = raised.get(respondent.id)
        for row in {NOT_THEMED} if goals_of is None else (goals_of or {NO_GOAL}):
            cells[(row, category)] += 1
    row_keys = (*dataset.goal_ids, NO_GOAL, NOT_THEMED)
    table = [[cells[(row, key)] for key in keys] for row in row_keys]
    protected = protect_crosstab(
        table,
        row_margin=[goals.cell(row) for row in row_keys],
        col_margin=[rep.series.cell(key) for key in keys],
        row_totals=[totals[row] for row in row_keys],
        col_totals=[counts[key] for key in keys],
        grand_total=len(dataset.respondents),
        k=dataset.k,
        additive=(True, False),
    )
    return {row: dict(zip(keys, protected[i], strict=True)) for i, row in enumerate(row_keys)}


def _underheard(dataset, representations, by_question, goals: Series, totals, n, alpha):
    """Per under-represented group and goal: the group's share against everyone's."""
    raised = dataset.goals_by_respondent()
    amplified: set[str] = set()
    found: list[tuple[str, Reference, Cell, float | None, float | None, float | None, float | None]] = []
    for rep in representations:
        hidden_rows = _fine_hidden_rows(dataset, rep.question, by_question[rep.question.key]) if rep.under else {}
        for reference in rep.under:
            members = [
                r.id for r in dataset.respondents if r.in_group(rep.question.key, reference.choice_keys)
            ]
            amplified.update(members)
            group_cell = rep.series.cell(reference.key)
            if group_cell.suppressed or not members:
                continue
            inside = set(members)
            counts = {goal: sum(1 for rid in inside if goal in raised.get(rid, ())) for goal in dataset.goal_ids}
            outside_cell = Cell(n - len(inside))
            row_keys = list(dataset.goal_ids)
            cells = protect_crosstab(
                [[counts[g], totals[g] - counts[g]] for g in row_keys],
                row_margin=[goals.cell(g) for g in row_keys],
                col_margin=[group_cell, outside_cell],
                row_totals=[totals[g] for g in row_keys],
                col_totals=[len(inside), n - len(inside)],
                grand_total=n,
                k=dataset.k,
                additive=(True, False) if rep.partition else (False, False),
            )
            inside_choices = set(reference.choice_keys)
            parts = [inside_choices]
            if rep.partition:  # "not in the group" is then the union of the other columns
                parts.append({key for key, _ in rep.question.choices} - inside_choices | {NO_ANSWER})
            for i, goal in enumerate(row_keys):
                cell = cells[i][0]
                if not cell.suppressed and not parts_safe(
                    hidden_rows.get(goal, {}), parts, dataset.k, partition=rep.partition
                ):
                    cell = HIDDEN
                share = safe_share(cell, group_cell, dataset.k)
                overall = goals.share(goal)
                lift = share / overall if share is not None and overall else None
                p = fisher_p(counts[goal], len(inside), totals[goal], n) if lift is not None else None
                found.append((goal, reference, cell, share, overall, lift, p))
    tested = [i for i, item in enumerate(found) if item[6] is not None]
    q_values = dict(zip(tested, benjamini_hochberg([found[i][6] for i in tested]), strict=True))
    results = []
    for i, (goal, reference, cell, share, overall, lift, _p) in enumerate(found):
        q = q_values.get(i)
        notable = q is not None and q < alpha and lift is not None and lift >= LIFT_UP
        results.append(Underheard(goal, reference, cell, share, overall, round(lift, 3) if lift else lift, q, notable))
    results.sort(key=lambda u: (-(u.lift or 0.0), u.goal))
    return tuple(results), frozenset(amplified)
