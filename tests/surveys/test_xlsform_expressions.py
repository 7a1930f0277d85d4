"""XLSForm `relevant` and `constraint` expressions <-> consult conditions and options."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.xlsform.expressions import (
    ExpressionError,
    Target,
    to_condition,
    to_options,
    write_condition,
    write_constraint,
)

TYPES = {
    "s": "single_choice", "m": "multiple_choice", "y": "yes_no", "n": "number", "d": "number",
    "r": "rating", "dt": "date", "t": "short_text",
}
TARGETS = {key: Target(kind, integer=key in ("n", "r")) for key, kind in TYPES.items()}


def resolve(name: str) -> Target:
    if name not in TARGETS:
        raise ExpressionError("unknown", unknown_name=name)
    return TARGETS[name]


def condition(text: str) -> dict:
    return to_condition(text, resolve)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${s} = 'a'", {"op": "equals", "question": "s", "value": "a"}),
        ('${s}="a"', {"op": "equals", "question": "s", "value": "a"}),
        ("'a' = ${s}", {"op": "equals", "question": "s", "value": "a"}),
        ("selected(${m}, 'b')", {"op": "equals", "question": "m", "value": "b"}),
        ("${s} != 'a'", {"op": "not_equals", "question": "s", "value": "a"}),
        ("not(selected(${m}, 'b'))", {"op": "not_equals", "question": "m", "value": "b"}),
        ("${s} != ''", {"op": "answered", "question": "s"}),
        ("${s} = ''", {"op": "not_answered", "question": "s"}),
        ("string-length(${t}) > 0", {"op": "answered", "question": "t"}),
        ("count-selected(${m}) = 0", {"op": "not_answered", "question": "m"}),
        ("${n} > 3", {"op": "greater", "question": "n", "value": 3}),
        ("3 < ${n}", {"op": "greater", "question": "n", "value": 3}),
        ("${n} < -2", {"op": "less", "question": "n", "value": -2}),
        ("${n} >= 18", {"op": "greater", "question": "n", "value": 17}),
        ("${r} <= 2", {"op": "less", "question": "r", "value": 3}),
        ("${d} >= 2.5", {"all": [{"op": "answered", "question": "d"},
                                 {"not": {"op": "less", "question": "d", "value": 2.5}}]}),
        ("${dt} > date('2020-01-31')", {"op": "greater", "question": "dt", "value": "2020-01-31"}),
        ("${s} = 1", {"op": "equals", "question": "s", "value": "1"}),
        ("${n} = 1", {"op": "equals", "question": "n", "value": 1}),
        ("${s} = 'a' or ${s} = 'b'", {"op": "any_of", "question": "s", "values": ["a", "b"]}),
        ("selected(${m}, 'a') or selected(${m}, 'c')", {"op": "any_of", "question": "m", "values": ["a", "c"]}),
    ],
)
def test_relevant_expressions_become_conditions(text, expected):
    assert condition(text) == expected


def test_not_binds_tighter_than_and_which_binds_tighter_than_or():
    a, b, c = ("${s} = 'a'", "${y} = 'yes'", "${n} > 1")
    leaf_a = {"op": "equals", "question": "s", "value": "a"}
    leaf_b = {"op": "equals", "question": "y", "value": "yes"}
    leaf_c = {"op": "greater", "question": "n", "value": 1}
    assert condition(f"{a} or {b} and {c}") == {"any": [leaf_a, {"all": [leaf_b, leaf_c]}]}
    assert condition(f"({a} or {b}) and {c}") == {"all": [{"any": [leaf_a, leaf_b]}, leaf_c]}
    assert condition(f"not({a}) and {b}") == {"all": [{"not": leaf_a}, leaf_b]}
    assert condition(f"not({a} and {b}) or {c}") == {"any": [{"not": {"all": [leaf_a, leaf_b]}}, leaf_c]}
    # Chains stay flat; parentheses keep their grouping.
    assert condition(f"{a} and {b} and {c}") == {"all": [leaf_a, leaf_b, leaf_c]}
    assert condition(f"({a} and {b}) and {c}") == {"all": [{"all": [leaf_a, leaf_b]}, leaf_c]}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("${n} + 1 > 3", "Calculations"),
        ("${n} - 1 > 3", "Calculations"),
        ("${n} div 2 = 1", "Calculations"),
        ("${s} = ", "ends too early"),
        ("(${s} = 'a'", "ends too early"),
        ("${s} = 'a')", "Cannot read"),
        ("regex(${t}, '^a')", "regex()"),
        ("${n} > ${d}", "fixed value"),
        ("${s} > 2", "compares numbers or dates"),
        ("selected(${m})", "selected() needs"),
        ("${dt} > date('tomorrow')", "YYYY-MM-DD"),
        ("string-length(${t}) > 5", "Only"),
        (". > 3", "compare an answer"),
    ],
)
def test_expressions_outside_the_subset_are_refused_with_a_reason(text, reason):
    with pytest.raises(ExpressionError) as caught:
        condition(text)
    assert reason in caught.value.reason


def test_unknown_names_are_told_apart_from_unsupported_syntax():
    with pytest.raises(ExpressionError) as caught:
        condition("${nowhere} = 'x'")
    assert caught.value.unknown_name == "nowhere"


@pytest.mark.parametrize(
    ("text", "kind", "integer", "expected"),
    [
        (". >= 0 and . <= 120", "number", True, {"min": 0, "max": 120}),
        (". > 0", "number", True, {"min": 1}),
        (". < 10", "number", True, {"max": 9}),
        ("${own} <= 5.5", "number", False, {"max": 5.5}),
        ("(. >= 1) and (. <= 5)", "number", True, {"min": 1, "max": 5}),
        ("120 >= .", "number", True, {"max": 120}),
        (". >= date('2020-01-01')", "date", False, {"min": "2020-01-01"}),
        (". < date('2021-01-01')", "date", False, {"max": "2020-12-31"}),
        ("string-length(.) <= 300", "short_text", False, {"max_length": 300}),
        ("string-length(.) < 1000", "long_text", False, {"max_length": 999}),
        ("count-selected(.) <= 3", "multiple_choice", False, {"max_choices": 3}),
        ("count-selected(.) >= 1 and count-selected(.) <= 2", "multiple_choice", False,
         {"min_choices": 1, "max_choices": 2}),
    ],
)
def test_constraints_become_options(text, kind, integer, expected):
    assert to_options(text, kind, integer, "own") == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("regex(., '^[0-9]+$')", "short_text"),
        (". >= 0 or . <= 5", "number"),
        (". > 0.5", "number"),
        (". <= today()", "date"),
        (". > ${other}", "number"),
        ("string-length(.) >= 10", "short_text"),
        (". >= 1", "single_choice"),
        ("not(. = 3)", "number"),
    ],
)
def test_constraints_outside_the_subset_are_refused(text, kind):
    with pytest.raises(ExpressionError):
        to_options(text, kind, False, "own")


def test_constraints_are_written_back_in_the_forms_they_are_read_from():
    for kind, options in [
        ("number", {"integer": True, "min": 0, "max": 120}),
        ("number", {"integer": False, "min": -1.5}),
        ("date", {"min": "1990-01-01", "max": "2030-12-31"}),
        ("short_text", {"max_length": 300}),
        ("multiple_choice", {"min_choices": 1, "max_choices": 3}),
    ]:
        text = write_constraint(kind, options)
        expected = {k: v for k, v in options.items() if k != "integer"}
        assert to_options(text, kind, bool(options.get("integer")), "q") == expected
    assert write_constraint("number", {"integer": True}) == ""


# --- every condition consult can hold survives writing and reading --------------------------

CHOICES = st.sampled_from(["a", "b", "c", "yes", "no"])


def _leaf() -> st.SearchStrategy:
    any_question = st.sampled_from(sorted(TYPES))
    return st.one_of(
        st.builds(lambda q, op, v: {"op": op, "question": q, "value": v},
                  st.sampled_from(["s", "m", "y"]), st.sampled_from(["equals", "not_equals"]), CHOICES),
        st.builds(lambda op, v: {"op": op, "question": "n", "value": v},
                  st.sampled_from(["equals", "not_equals", "greater", "less"]), st.integers(-1000, 1000)),
        st.builds(lambda op, v: {"op": op, "question": "d", "value": v}, st.sampled_from(["greater", "less"]),
                  st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3))),
        st.builds(lambda op, v: {"op": op, "question": "dt", "value": v.isoformat()},
                  st.sampled_from(["greater", "less"]), st.dates()),
        st.builds(lambda op, v: {"op": op, "question": "t", "value": v}, st.sampled_from(["equals", "not_equals"]),
                  st.text("abc xyz'", min_size=1, max_size=8)),
        st.builds(lambda q, vs: {"op": "any_of", "question": q, "values": vs}, st.sampled_from(["s", "m"]),
                  st.lists(CHOICES, min_size=2, max_size=3, unique=True)),
        st.builds(lambda q, op: {"op": op, "question": q}, any_question, st.sampled_from(["answered", "not_answered"])),
    )


def _any(parts: list) -> dict:
    """`any` of equals on one question reads back as any_of: keep generated ones distinct."""
    same = len({p.get("question") for p in parts}) == 1 and all(p.get("op") == "equals" for p in parts)
    return {"any": [*parts, {"op": "answered", "question": "t"}] if same else parts}


def _not(inner: dict) -> dict:
    """not(equals) on a multiple choice reads back as not_equals: generate it on a single choice."""
    if inner.get("op") == "equals" and TYPES.get(inner.get("question")) == "multiple_choice":
        inner = {**inner, "question": "s"}
    return {"not": inner}


CONDITIONS = st.recursive(
    _leaf(),
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=3).map(lambda parts: {"all": parts}),
        st.lists(children, min_size=2, max_size=3).map(_any),
        children.map(_not),
    ),
    max_leaves=8,
)


@settings(max_examples=100, deadline=None)
@given(CONDITIONS)
def test_a_condition_written_and_read_back_is_the_same(cond):
    assert condition(write_condition(cond, TYPES)) == cond
