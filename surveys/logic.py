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


def validate_logic(definition: Mapping[str, Any]) -> list[LogicProblem]:
    """Check every condition of a consultation definition (see services.definition_of).

    A condition may refer only to a question that comes earlier in the form (so
    there can be no cycle), that exists, and with a value that question can take.
    Problems name the question or section and say why, for the designer.
    """
    problems: list[LogicProblem] = []
    earlier: dict[str, Mapping[str, Any]] = {}
    every = {
        q["key"]: q for s in definition.get("sections", []) for q in s.get("questions", [])
    }

    def check(condition: Any, where: str, own_key: str | None = None) -> None:
        if condition is None:
            return
        reason = check_condition_shape(condition)
        if reason:
            problems.append(LogicProblem(where, reason))
            return
        for leaf in _leaves(condition):
            key = leaf["question"]
            if key == own_key:
                problems.append(LogicProblem(where, f"refers to itself ({key}): a cycle"))
            elif key not in every:
                problems.append(LogicProblem(where, f"refers to a question that does not exist: {key}"))
            elif key not in earlier:
                problems.append(LogicProblem(where, f"refers to {key}, which comes later in the form"))
            else:
                reason = _value_problem(leaf, earlier[key])
                if reason:
                    problems.append(LogicProblem(where, reason))

    for s_index, section in enumerate(definition.get("sections", []), start=1):
        check(section.get("relevance"), f"section {s_index}")
        for question in section.get("questions", []):
            check(question.get("relevance"), f"question {question['key']}", own_key=question["key"])
            earlier[question["key"]] = question
    return problems


def _leaves(condition: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for combinator in ("all", "any"):
        if combinator in condition:
            for c in condition[combinator]:
                yield from _leaves(c)
            return
    if "not" in condition:
        yield from _leaves(condition["not"])
        return
    yield condition


def _value_problem(leaf: Mapping[str, Any], question: Mapping[str, Any]) -> str | None:
    op, key, kind = leaf["op"], leaf["question"], question["type"]
    if op in ("greater", "less"):
        if kind not in ("number", "rating", "date"):
            return f"'{op}' needs a number, rating or date question, and {key} is {kind}"
        return None
    values = leaf.get("values", []) if op == "any_of" else [leaf.get("value")] if "value" in leaf else []
    if kind == "yes_no":
        allowed = {"yes", "no"}
    elif question.get("choices"):
        allowed = {c["key"] for c in question["choices"]}
    else:
        return None
    unknown = [v for v in values if str(v) not in allowed]
    if unknown:
        return f"{key} has no choice {', '.join(map(str, unknown))}"
    return None
