"""Goal x group breakdowns: which groups raise a goal more (or less) than the others.

For each goal g and group c (a choice of a demographic question) the 2 x 2 table
"raises g / does not" x "in c / not in c" is tested with Fisher's exact test
(two-sided: exact at any size, where a chi-square needs large cells). The p-values
of a table are corrected together with Benjamini-Hochberg (many groups x five goals
would otherwise produce "differences" by chance). A difference is *notable* when

* the group counts at least `min_count` respondents (30 by default, as Go Vocal:
  shares of smaller groups swing too much to mean anything),
* the corrected p-value (q) is below `alpha` (0.05), and
* the lift, the group's share over everyone's share, is at least 1.25 or at most 0.8.

Cells are protected first; statistics are computed only from published cells.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.dataset import Dataset, Demographic, Reference
from analysis.protect import Series, protect_crosstab
from analysis.summaries import NO_ANSWER, NO_GOAL, NOT_THEMED, goal_counts, goal_series, group_counts, group_series
from consult.privacy.disclosure import Cell, safe_share

MIN_COUNT = 30
ALPHA = 0.05
LIFT_UP = 1.25
LIFT_DOWN = 0.8


@dataclass(frozen=True)
class BreakdownCell:
    """Respondents of one group raising one goal, with the test against everyone else."""

    cell: Cell
    #: Share of the group raising the goal (None when withheld).
    share: float | None = None
    #: share / everyone's share.
    lift: float | None = None
    p_value: float | None = None
    #: Benjamini-Hochberg adjusted p-value.
    q_value: float | None = None
    notable: bool = False


@dataclass(frozen=True)
class Breakdown:
    """A goal x group table of one demographic question."""

    question: Demographic
    #: Choice keys, then `NO_ANSWER`.
    columns: tuple[str, ...]
    column_totals: Series
    goals: Series
    #: (row key, cells in column order); goal ids, then `NO_GOAL` and `NOT_THEMED`.
    rows: tuple[tuple[str, tuple[BreakdownCell, ...]], ...]
    min_count: int
    alpha: float

    @property
    def notable(self) -> list[tuple[str, str, BreakdownCell]]:
        """(goal, group, cell) of the notable differences, largest departures first."""
        found = [
            (goal, column, cell)
            for goal, cells in self.rows
            for column, cell in zip(self.columns, cells, strict=True)
            if cell.notable
        ]
        return sorted(found, key=lambda item: -abs((item[2].lift or 1.0) - 1.0))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Adjusted p-values (q-values) controlling the false discovery rate, in input order."""
    m = len(p_values)
    if not m:
        return []
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = min(running, 1.0)
    return adjusted


def fisher_p(in_group_with: int, in_group: int, with_goal: int, n: int) -> float:
    """Two-sided Fisher exact p-value of "raises the goal" x "in the group"."""
    from scipy.stats import fisher_exact

    a = in_group_with
    b = in_group - a
    c = with_goal - a
    d = n - in_group - c
    return float(fisher_exact([[a, b], [c, d]], alternative="two-sided").pvalue)


def breakdown(
    dataset: Dataset,
    question: Demographic,
    references: Sequence[Reference] = (),
    min_count: int = MIN_COUNT,
    alpha: float = ALPHA,
) -> Breakdown:
    """The protected goal x group table of `question`, with lifts and tests.

    :param references: the consultation's reference groups (they decide which
        choices the shared group list hides, see `summaries.group_series`).

    :param min_count: smallest group tested (never below the consultation's k).
    :param alpha: false discovery rate for notable differences.
    """
    min_count = max(min_count, dataset.k)
    n = len(dataset.respondents)
    columns = tuple(key for key, _ in question.choices) + (NO_ANSWER,)
    goals = goal_series(dataset)
    totals = goal_counts(dataset)
    column_totals = group_series(dataset, question, references)
    group_sizes = group_counts(dataset, question)
    row_keys = (*dataset.goal_ids, NO_GOAL, NOT_THEMED)
    raised = dataset.goals_by_respondent()
    counts: Counter = Counter()
    for respondent in dataset.respondents:
        goals_of = raised.get(respondent.id)
        rows = {NOT_THEMED} if goals_of is None else (goals_of or {NO_GOAL})
        chosen = set(respondent.groups.get(question.key, ())) or {NO_ANSWER}
        for row in rows:
            for column in chosen:
                counts[(row, column)] += 1
    table = [[counts[(row, column)] for column in columns] for row in row_keys]
    cells = protect_crosstab(
        table,
        row_margin=[goals.cell(row) for row in row_keys],
        col_margin=[column_totals.cell(column) for column in columns],
        row_totals=[totals[row] for row in row_keys],
        col_totals=[group_sizes[column] for column in columns],
        grand_total=n,
        k=dataset.k,
        additive=(not question.multiple, False),
    )
    tested: list[tuple[int, int, float, float]] = []
    for i, row in enumerate(row_keys):
        if row not in dataset.goal_ids or goals.cell(row).suppressed or not n:
            continue
        overall = totals[row] / n
        for j, column in enumerate(columns):
            group = column_totals.cell(column)
            if column == NO_ANSWER or cells[i][j].suppressed or group.suppressed:
                continue
            share = safe_share(cells[i][j], group, dataset.k)
            if share is None or group_sizes[column] < min_count or overall == 0:
                continue
            p = fisher_p(table[i][j], group_sizes[column], totals[row], n)
            tested.append((i, j, share / overall, p))
    q_values = benjamini_hochberg([p for *_, p in tested])
    stats = {(i, j): (lift, p, q) for (i, j, lift, p), q in zip(tested, q_values, strict=True)}
    rows_out = []
    for i, row in enumerate(row_keys):
        out = []
        for j, column in enumerate(columns):
            cell = cells[i][j]
            share = safe_share(cell, column_totals.cell(column), dataset.k)
            if (i, j) in stats:
                lift, p, q = stats[(i, j)]
                notable = q < alpha and (lift >= LIFT_UP or lift <= LIFT_DOWN)
                out.append(BreakdownCell(cell, share, round(lift, 3), p, q, notable))
            else:
                out.append(BreakdownCell(cell, share))
        rows_out.append((row, tuple(out)))
    return Breakdown(question, columns, column_totals, goals, tuple(rows_out), min_count, alpha)
