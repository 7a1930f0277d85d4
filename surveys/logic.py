"""Skip logic: conditions on earlier answers, stored as data, evaluated on the server.

A condition is a JSON object, one of::

    {"op": "equals" | "not_equals", "question": "key", "value": "choice-or-value"}
    {"op": "any_of", "question": "key", "values": ["a", "b"]}
    {"op": "answered" | "not_answered", "question": "key"}
    {"op": "greater" | "less", "question": "key", "value": 3}
    {"all": [cond, ...]}  {"any": [cond, ...]}  {"not": cond}

For a multiple-choice question, ``equals`` means "this choice is among those
selected" (XLSForm's ``selected()``). A missing answer satisfies only
``not_answered`` and ``not_equals``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

COMPARISONS = {"equals", "not_equals", "any_of", "answered", "not_answered", "greater", "less"}


class LogicError(ValueError):
    """A condition is malformed."""


def is_relevant(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Evaluate `condition` against cleaned answers keyed by question key.

    :raises LogicError: if the condition is not of a known form.
    """
    if condition is None:
        return True
    if "all" in condition:
        return all(is_relevant(c, answers) for c in condition["all"])
    if "any" in condition:
        return any(is_relevant(c, answers) for c in condition["any"])
    if "not" in condition:
        return not is_relevant(condition["not"], answers)
    op = condition.get("op")
    if op not in COMPARISONS:
        raise LogicError(f"unknown operator {op!r}")
    value = answers.get(condition["question"])
    answered = value not in (None, "", [], {})
    if op == "answered":
        return answered
    if op == "not_answered":
        return not answered
    if not answered:
        return op == "not_equals"
    selected = value if isinstance(value, list) else [value]
    if op == "equals":
        return _matches(condition["value"], selected)
    if op == "not_equals":
        return not _matches(condition["value"], selected)
    if op == "any_of":
        return any(_matches(v, selected) for v in condition["values"])
    try:
        number, limit = float(value), float(condition["value"])
    except (TypeError, ValueError):
        return False
    return number > limit if op == "greater" else number < limit


def _matches(expected: Any, selected: list[Any]) -> bool:
    return any(str(expected) == str(v) for v in selected)


def references(condition: Mapping[str, Any] | None) -> Iterator[str]:
    """Every question key a condition refers to."""
    if not condition:
        return
    for combinator in ("all", "any"):
        if combinator in condition:
            for c in condition[combinator]:
                yield from references(c)
            return
    if "not" in condition:
        yield from references(condition["not"])
        return
    yield condition["question"]


@dataclass(frozen=True)
class LogicProblem:
    """A broken condition: where it is and why, for the designer."""

    where: str
    reason: str


def check_condition_shape(condition: Any) -> str | None:
    """Why `condition` is malformed, or None when it is well formed."""
    if not isinstance(condition, Mapping):
        return "a condition must be an object"
    if "all" in condition or "any" in condition:
        parts = condition.get("all", condition.get("any"))
        if not isinstance(parts, list) or not parts:
            return "'all'/'any' need a non-empty list of conditions"
        return next((r for r in map(check_condition_shape, parts) if r), None)
    if "not" in condition:
        return check_condition_shape(condition["not"])
    op = condition.get("op")
    if op not in COMPARISONS:
        return f"unknown operator {op!r}"
    if not isinstance(condition.get("question"), str):
        return "a condition needs the key of the question it tests"
    if op in {"equals", "not_equals", "greater", "less"} and "value" not in condition:
        return f"'{op}' needs a value"
    if op == "any_of" and not isinstance(condition.get("values"), list):
        return "'any_of' needs a list of values"
    return None
