"""How well the machine agrees with the analysts, on the answers they reviewed.

For every reviewed answer the machine's goals (scores at or above 0.5 when the
analyst decided) are compared with the analyst's latest decision. Per goal: precision
(of the answers the machine gave the goal, the share the analyst kept), recall (of the
answers the analyst gave the goal, the share the machine had found) and Cohen's kappa
(agreement on "has the goal / has not" beyond what chance would give; 1 is perfect,
0 is chance). These describe the machine, not the respondents, and come with the
number of reviewed answers they rest on: on a few dozen answers they are rough.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class GoalAgreement:
    """Agreement on one goal."""

    goal: str
    precision: float | None
    recall: float | None
    kappa: float | None


@dataclass(frozen=True)
class Agreement:
    """Agreement over the reviewed sample."""

    #: Reviewed answers the figures rest on.
    n: int
    goals: tuple[GoalAgreement, ...]
    #: Share of reviewed answers whose goals the analyst left exactly as the machine had them.
    exact: float | None
    #: Pooled over goals.
    precision: float | None
    recall: float | None

    def goal(self, goal: str) -> GoalAgreement:
        """The figures of one goal.

        :raises KeyError: for a goal not in the figures.
        """
        for item in self.goals:
            if item.goal == goal:
                return item
        raise KeyError(goal)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def cohen_kappa(tp: int, fp: int, fn: int, tn: int) -> float | None:
    """Cohen's kappa of two binary raters from their 2 x 2 table (None without data).

    When both raters give one and the same label to everything, chance agreement is
    1 and kappa is undefined; it is then reported as 1.0 (they agree on every answer).
    """
    n = tp + fp + fn + tn
    if not n:
        return None
    observed = (tp + tn) / n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    if expected >= 1.0:
        return 1.0 if observed >= 1.0 else None
    return (observed - expected) / (1.0 - expected)


def agreement(pairs: Sequence[tuple[Collection[str], Collection[str]]], goal_ids: Sequence[str]) -> Agreement:
    """Agreement between machine and analyst goal sets.

    :param pairs: one ``(machine goals, analyst goals)`` per reviewed answer.
    :param goal_ids: the codebook's goals, in display order.
    """
    per_goal = []
    pooled = [0, 0, 0]
    for goal in goal_ids:
        tp = fp = fn = tn = 0
        for machine, analyst in pairs:
            m, a = goal in machine, goal in analyst
            tp += m and a
            fp += m and not a
            fn += a and not m
            tn += not m and not a
        pooled[0] += tp
        pooled[1] += fp
        pooled[2] += fn
        per_goal.append(GoalAgreement(goal, _ratio(tp, tp + fp), _ratio(tp, tp + fn), cohen_kappa(tp, fp, fn, tn)))
    exact = sum(1 for machine, analyst in pairs if set(machine) == set(analyst))
    return Agreement(
        n=len(pairs),
        goals=tuple(per_goal),
        exact=_ratio(exact, len(pairs)),
        precision=_ratio(pooled[0], pooled[0] + pooled[1]),
        recall=_ratio(pooled[0], pooled[0] + pooled[2]),
    )


def reviewed_pairs(reviews: Sequence) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(machine goals, latest analyst goals) per reviewed answer, from review records
    (oldest first, each with ``response_id``, ``question_id``, ``machine_goals``, ``after``)."""
    latest = {}
    for review in reviews:
        latest[(review.response_id, review.question_id)] = review
    return [(tuple(r.machine_goals), tuple(r.after)) for r in latest.values()]
