"""Suppression of frequency lists and two-way tables: examples by hand, edge cases, properties.

The strongest property plays a linear-programming attacker: given everything a table
publishes, the relations an outsider knows (lines add up, or for multi-select sides each
cell <= its margin, sum >= margin when everyone chose something, |A and B| >= |A| + |B|
- n) and non-negativity, every hidden entry must still have more than one possible value.
"""

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from consult.privacy.disclosure import Reason, suppress_counts, suppress_table

P, S = Reason.PRIMARY, Reason.SECONDARY


def shown(cells):
    """Cells as a reader sees them: numbers, and '-' for hidden ones."""
    return [cell.display("-") for cell in cells]


# -- examples a reader can check by hand ------------------------------------------------


def test_a_list_hides_a_small_count_and_the_smallest_other_count_but_keeps_the_total():
    result = suppress_counts({"A": 3, "B": 12, "C": 20, "D": 0}, k=10)
    # A (3) is primary; alone it would be 35 - 12 - 20 - 0, so B, the smallest non-zero
    # count, goes too. A reader knows only A + B = 15.
    assert shown(result.cells.values()) == ["-", "-", 20, 0]
    assert [c.reason for c in result.cells.values()] == [P, S, None, None]
    assert result.total.value == 35
    assert result.cells["A"].value is None  # the true count is not kept anywhere


def test_a_table_with_one_small_cell_hides_a_rectangle():
    table = [
        [20, 3, 15],
        [12, 25, 30],
        [18, 14, 40],
    ]
    result = suppress_table(table, k=10)
    # 3 is primary. Row 0 then needs a second hidden cell: 15 (smaller than 20). Column 1
    # needs one: 14 (smaller than 25). Row 2 and column 2 now each have one hidden cell,
    # and the cell where they cross (40) mends both: the four corners of a rectangle.
    assert [shown(row) for row in result.cells] == [
        [20, "-", "-"],
        [12, 25, 30],
        [18, "-", "-"],
    ]
    assert [[c.reason for c in row] for row in result.cells] == [
        [None, P, S],
        [None, None, None],
        [None, S, S],
    ]
    assert shown(result.row_totals) == [38, 67, 72]
    assert shown(result.col_totals) == [50, 42, 85]
    assert result.grand_total.value == 177


def test_a_small_row_total_hides_its_whole_row_zeros_included_and_is_protected_in_turn():
    table = [
        [3, 0, 1],  # 4 respondents: a small group
        [20, 30, 25],
        [15, 25, 10],
    ]
    result = suppress_table(table, k=10)
    assert shown(result.cells[0]) == ["-", "-", "-"]
    assert result.row_totals[0].reason == P
    # The column of row totals must not give the hidden 4 away: another row total goes.
    assert sum(cell.suppressed for cell in result.row_totals) >= 2
    assert result.grand_total.value == 129


def test_zeros_stay_published_next_to_a_large_total_but_not_inside_a_small_one():
    large = suppress_counts({"A": 0, "B": 40, "C": 0}, k=10)
    assert shown(large.cells.values()) == [0, 40, 0]
    small = suppress_counts({"A": 0, "B": 3, "C": 0}, k=10)
    # "0, ?, 0 of 3" would say that all three chose B.
    assert shown(small.cells.values()) == ["-", "-", "-"]
    assert small.total.suppressed


def test_a_multi_select_list_hides_small_counts_and_small_complements():
    # 40 respondents; several identity groups each. 38 of 40 says 2 are not rural.
    counts = {"indigenous": 4, "disabled": 12, "lgbtq": 0, "rural": 38}
    result = suppress_counts(counts, k=10, total=40, additive=False)
    assert shown(result.cells.values()) == ["-", 12, 0, "-"]
    assert [c.reason for c in result.cells.values()] == [P, None, None, P]
    assert result.total.value == 40


def test_a_multi_select_list_never_leaves_one_cell_hidden_alone():
    # Were "a" hidden alone, "everyone ticked something" would bound it from below.
    result = suppress_counts({"a": 4, "b": 20, "c": 30}, k=10, total=40, additive=False)
    assert shown(result.cells.values()) == ["-", "-", 30]
    assert [c.reason for c in result.cells.values()] == [P, S, None]


def test_identity_groups_by_region_hide_where_the_few_without_a_group_are():
    # Rows: identity groups (multi-select); columns: regions (single-choice), with
    # 30, 25 and 40 respondents. 28 of the 30 in the first region are women: with the
    # region total published that says 2 are not, so 28 is hidden. The women row adds up
    # to its total (73): 15, its smallest other cell, goes too. Each of the first two
    # regions now has one hidden cell, which "everyone ticked a group" would bound, so
    # each loses its smallest other cell (rural: 12 and 11).
    table = [
        [28, 15, 30],  # women
        [12, 11, 12],  # rural
        [20, 14, 25],  # youth
    ]
    result = suppress_table(table, k=10, col_totals=[30, 25, 40], additive=(True, False))
    assert [shown(row) for row in result.cells] == [
        ["-", "-", 30],
        ["-", "-", 12],
        [20, 14, 25],
    ]
    assert [[c.reason for c in row] for row in result.cells] == [
        [P, S, None],
        [S, S, None],
        [None, None, None],
    ]
    assert shown(result.row_totals) == [73, 35, 59]
    assert shown(result.col_totals) == [30, 25, 40]
    assert result.grand_total.value == 95


# -- edge cases ---------------------------------------------------------------------------


def test_empty_inputs_publish_a_total_of_zero():
    assert suppress_counts({}, k=10).total.value == 0
    empty = suppress_table([], k=10)
    assert empty.cells == () and empty.row_totals == () and empty.col_totals == ()
    assert empty.grand_total.value == 0
    no_columns = suppress_table([[], []], k=10)
    assert shown(no_columns.row_totals) == [0, 0]


def test_when_every_cell_is_small_everything_is_hidden():
    result = suppress_table([[2, 3], [1, 2]], k=10)
    assert all(cell.suppressed for row in result.cells for cell in row)
    assert all(cell.suppressed for cell in (*result.row_totals, *result.col_totals))
    assert result.grand_total.suppressed
    assert all(cell.value is None for cell in suppress_counts({"a": 1, "b": 2}, k=5).cells.values())


def test_k_below_the_floor_is_raised_to_five():
    result = suppress_counts({"a": 4, "b": 6, "c": 30}, k=3)
    assert result.k == 5
    assert shown(result.cells.values()) == ["-", "-", 30]  # 4 < 5, then its complement


def test_k_defaults_to_ten():
    result = suppress_counts({"a": 9, "b": 30, "c": 30})
    assert result.k == 10
    assert result.cells["a"].suppressed


def test_a_margin_below_k_in_a_table_with_large_cells_elsewhere():
    table = [
        [2, 2],  # row total 4
        [30, 40],
        [25, 35],
    ]
    result = suppress_table(table, k=10)
    assert result.row_totals[0].reason == P
    assert shown(result.cells[0]) == ["-", "-"]
    assert result.grand_total.value == 134
    assert not any(cell.value is not None and 0 < cell.value < 10 for row in result.cells for cell in row)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: suppress_table([[1, 2], [3]], k=10), "differ in length"),
        (lambda: suppress_counts({"a": -1}, k=10), "negative"),
        (lambda: suppress_counts({"a": 12, "b": 20}, k=10, total=40), "add up to 32"),
        (lambda: suppress_counts({"a": 12}, k=10, additive=False), "required"),
        (lambda: suppress_counts({"a": 50}, k=10, total=40, additive=False), "fewer than"),
        (lambda: suppress_table([[12, 20]], k=10, row_totals=[40]), "add up to 32"),
        (lambda: suppress_table([[12, 20]], k=10, additive=False), "row_totals are required"),
        (lambda: suppress_table([[12, 20]], k=10, col_totals=[12], additive=(True, False)), "2 entries, not 1"),
    ],
)
def test_inconsistent_input_is_refused_with_a_message_naming_it(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_counts_must_be_integers():
    with pytest.raises(TypeError, match="integer"):
        suppress_counts({"a": 2.5}, k=10)
    with pytest.raises(TypeError, match="integer"):
        suppress_table([[True]], k=10)


# -- the attacker ---------------------------------------------------------------------------


@dataclass
class Published:
    """Every entry of a table: its true value and what the result shows (None: hidden)."""

    truth: dict
    shown: dict
    lines: list  # (members, margin, additive)


def worked_out(published: Published, everyone_answers: bool, frechet: list) -> dict:
    """The hidden entries a linear-programming attacker pins to one value: {entry: value}."""
    hidden = [key for key, value in published.shown.items() if value is None]
    position = {key: i for i, key in enumerate(hidden)}

    def row(terms):
        """Sum of coef * entry as (coefficients over hidden entries, constant)."""
        vector, constant = np.zeros(len(hidden)), 0.0
        for coef, key in terms:
            if key in position:
                vector[position[key]] += coef
            else:
                constant += coef * published.shown[key]
        return vector, constant

    equal, equal_to, under, under_to = [], [], [], []
    for members, margin, additive in published.lines:
        if additive:
            vector, constant = row([(1, m) for m in members] + [(-1, margin)])
            equal.append(vector)
            equal_to.append(-constant)
            continue
        for member in members:
            vector, constant = row([(1, member), (-1, margin)])
            under.append(vector)
            under_to.append(-constant)
        if everyone_answers and members:
            vector, constant = row([(-1, m) for m in members] + [(1, margin)])
            under.append(vector)
            under_to.append(-constant)
    for both, one, other, everyone in frechet:
        vector, constant = row([(1, one), (1, other), (-1, everyone), (-1, both)])
        under.append(vector)
        under_to.append(-constant)
    problem = {
        "A_eq": np.array(equal) if equal else None,
        "b_eq": np.array(equal_to) if equal else None,
        "A_ub": np.array(under) if under else None,
        "b_ub": np.array(under_to) if under else None,
        "bounds": (0, None),
        "method": "highs",
    }
    pinned = {}
    for key, i in position.items():
        truth = published.truth[key]
        for sign in (-1, 1):  # maximise first: that usually settles it in one solve
            objective = np.zeros(len(hidden))
            objective[i] = sign
            solution = linprog(objective, **problem)
            assert solution.status in (0, 3), (key, solution.message)  # the truth is feasible
            if solution.status == 3 or abs(sign * solution.fun - truth) > 0.5:
                break  # unbounded, or another value is reachable
        else:
            pinned[key] = truth
    return pinned


def table_entries(result, cells, row_totals, col_totals, grand, rows_multi, cols_multi) -> Published:
    """The entries and lines of a two-way table, its margins included."""
    n_rows, n_cols = len(row_totals), len(col_totals)
    truth, seen = {("g",): grand}, {("g",): result.grand_total.value}
    for i in range(n_rows):
        truth["r", i], seen["r", i] = row_totals[i], result.row_totals[i].value
        for j in range(n_cols):
            truth["c", i, j], seen["c", i, j] = cells[i][j], result.cells[i][j].value
    for j in range(n_cols):
        truth["k", j], seen["k", j] = col_totals[j], result.col_totals[j].value
    lines = [([("c", i, j) for j in range(n_cols)], ("r", i), not cols_multi) for i in range(n_rows)]
    lines.append(([("k", j) for j in range(n_cols)], ("g",), not cols_multi))
    lines += [([("c", i, j) for i in range(n_rows)], ("k", j), not rows_multi) for j in range(n_cols)]
    lines.append(([("r", i) for i in range(n_rows)], ("g",), not rows_multi))
    return Published(truth, seen, lines)


def assert_safe(published: Published, k: int, everyone_answers=False, frechet=(), attacker=True):
    """What any protected table must satisfy, from the reader's side."""
    for key, value in published.shown.items():
        if value is not None:
            assert value == published.truth[key], f"{key} published wrongly"
            assert not 0 < value < k, f"{key} = {value} published under k = {k}"
    for members, margin, additive in published.lines:
        hidden = [m for m in members if published.shown[m] is None]
        margin_hidden = published.shown[margin] is None
        if additive:
            assert len(hidden) + margin_hidden != 1, f"line of {margin}: one hidden entry"
            if hidden and not margin_hidden:
                assert sum(published.truth[m] for m in hidden) >= k, f"line of {margin}: small hidden sum"
        elif not margin_hidden:
            assert len(hidden) != 1, f"line of {margin}: one hidden cell"
    if attacker:
        assert worked_out(published, everyone_answers, list(frechet)) == {}


# -- cases that need more than the line rule ------------------------------------------------


def test_a_chain_of_lines_cannot_give_hidden_zeros_away():
    table = [
        [0, 0, 25],
        [8, 6, 0],
        [0, 0, 18],
    ]
    result = suppress_table(table, k=10)
    # Columns A and B (8 and 6 respondents) are small groups: all their cells go, zeros
    # too; rows 0 and 2 then hide 25 and 18 (their hidden cells would add up to 0). Line
    # by line that is enough, but with column C's total (43) shown, A + B = 57 - 43 = 14 =
    # row 1, so the four hidden zeros, and with them 25 and 18, could be worked out. The
    # whole-table check hides column C's total as well.
    assert [shown(row) for row in result.cells] == [["-", "-", "-"], ["-", "-", 0], ["-", "-", "-"]]
    assert shown(result.col_totals) == ["-", "-", "-"]
    assert shown(result.row_totals) == [25, 14, 18]
    published = table_entries(result, table, [25, 14, 18], [8, 6, 43], 57, False, False)
    assert worked_out(published, everyone_answers=False, frechet=[]) == {}


def test_bounds_on_a_multi_select_row_cannot_pin_its_hidden_cells():
    # Rows: two identity groups (multi-select, everyone ticks at least one); columns:
    # three regions of 12, 13 and 20 respondents.
    table = [
        [12, 3, 20],
        [12, 13, 0],
    ]
    result = suppress_table(table, k=10, row_totals=[35, 25], col_totals=[12, 13, 20], additive=(True, False))
    # 3 is hidden, and with it 12, 12 and 13 by the line rules. Yet with the region totals
    # shown, row 1 (25 = x + y + 0, x <= 12, y <= 13) leaves x = 12 and y = 13 only. The
    # bounds audit finds that and hides more: here the region totals.
    published = table_entries(result, table, [35, 25], [12, 13, 20], 45, True, False)
    frechet = [(("c", i, j), ("r", i), ("k", j), ("g",)) for i in range(2) for j in range(3)]
    assert worked_out(published, everyone_answers=True, frechet=frechet) == {}
    assert [shown(row) for row in result.cells] == [["-", "-", "-"], ["-", "-", 0]]
    assert shown(result.col_totals) == ["-", "-", "-"]


# -- properties ---------------------------------------------------------------------------
#
# Lists need no solver: with one line, the line rule is the whole story (with the total
# published and at least two hidden counts adding up to S >= k, each can be anything
# from 0 to S; a multi-select count with another hidden beside it, anything from 0 to n).
# Tables get the solver, on fewer examples: each example costs a few dozen LPs.

counts = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 80))
thresholds = st.integers(5, 20)
SOLVER_EXAMPLES = 80


@settings(max_examples=300, deadline=None)
@given(values=st.lists(counts, max_size=8), k=thresholds)
def test_any_list_is_published_safely(values, k):
    result = suppress_counts({f"choice-{i}": v for i, v in enumerate(values)}, k=k)
    keys = [("c", i) for i in range(len(values))]
    truth = dict(zip(keys, values, strict=True)) | {("t",): sum(values)}
    seen = {key: cell.value for key, cell in zip(keys, result.cells.values(), strict=True)}
    seen["t",] = result.total.value
    assert_safe(Published(truth, seen, [(keys, ("t",), True)]), k, attacker=False)


@settings(max_examples=300, deadline=None)
@given(
    n_options=st.integers(1, 6),
    answers=st.lists(st.tuples(st.frozensets(st.integers(0, 5)), st.sampled_from([1, 2, 3, 5, 8, 20])), max_size=20),
    k=thresholds,
)
def test_any_multi_select_list_is_published_safely(n_options, answers, k):
    respondents = sum(weight for _, weight in answers)
    values = [sum(w for chosen, w in answers if i in chosen) for i in range(n_options)]
    result = suppress_counts(dict(enumerate(values)), k=k, total=respondents, additive=False)
    keys = [("c", i) for i in range(n_options)]
    truth = dict(zip(keys, values, strict=True)) | {("t",): respondents}
    seen = {key: cell.value for key, cell in zip(keys, result.cells.values(), strict=True)}
    seen["t",] = result.total.value
    assert_safe(Published(truth, seen, [(keys, ("t",), False)]), k, attacker=False)
    for cell, value in zip(result.cells.values(), values, strict=True):
        if cell.value is not None and result.total.value is not None:
            assert not 0 < respondents - value < k, "a small complement is published"


@st.composite
def additive_tables(draw, max_side=5):
    n_rows, n_cols = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    return draw(st.lists(st.lists(counts, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows))


def check_additive_table(table, k, attacker):
    result = suppress_table(table, k=k)
    row_totals = [sum(row) for row in table]
    col_totals = [sum(column) for column in zip(*table, strict=True)]
    published = table_entries(result, table, row_totals, col_totals, sum(row_totals), False, False)
    assert_safe(published, k, attacker=attacker)


@settings(max_examples=300, deadline=None)
@given(table=additive_tables(), k=thresholds)
def test_any_table_of_single_choice_questions_keeps_the_rules(table, k):
    check_additive_table(table, k, attacker=False)


@settings(max_examples=SOLVER_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=additive_tables(max_side=4), k=thresholds)
def test_no_hidden_cell_of_a_single_choice_table_can_be_worked_out(table, k):
    check_additive_table(table, k, attacker=True)


@st.composite
def surveys(draw):
    """Weighted groups of respondents answering a row and a column question."""
    n_rows, n_cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rows_multi, cols_multi = draw(st.booleans()), draw(st.booleans())
    everyone_answers = draw(st.booleans())

    def answer(n, multi):
        if multi:
            return st.frozensets(st.integers(0, n - 1), min_size=1 if everyone_answers else 0)
        return st.integers(0, n - 1).map(lambda choice: frozenset([choice]))

    groups = draw(
        st.lists(
            st.tuples(
                answer(n_rows, rows_multi), answer(n_cols, cols_multi), st.sampled_from([1, 1, 2, 3, 5, 8, 13, 30])
            ),
            max_size=20,
        )
    )
    return n_rows, n_cols, rows_multi, cols_multi, everyone_answers, groups


def check_survey_table(survey, k, attacker):
    n_rows, n_cols, rows_multi, cols_multi, everyone_answers, groups = survey
    cells = [[sum(w for r, c, w in groups if i in r and j in c) for j in range(n_cols)] for i in range(n_rows)]
    row_totals = [sum(w for r, _, w in groups if i in r) for i in range(n_rows)]
    col_totals = [sum(w for _, c, w in groups if j in c) for j in range(n_cols)]
    grand = sum(w for _, _, w in groups)
    result = suppress_table(cells, k, row_totals, col_totals, grand, additive=(not cols_multi, not rows_multi))
    frechet = [(("c", i, j), ("r", i), ("k", j), ("g",)) for i in range(n_rows) for j in range(n_cols)]
    published = table_entries(result, cells, row_totals, col_totals, grand, rows_multi, cols_multi)
    assert_safe(published, k, everyone_answers, frechet, attacker=attacker)
    for i in range(n_rows):
        for j in range(n_cols):
            if result.cells[i][j].value is None:
                continue
            # "did not choose option i" in column j, when the column total is published
            if rows_multi and result.col_totals[j].value is not None:
                assert not 0 < col_totals[j] - cells[i][j] < k
            if cols_multi and result.row_totals[i].value is not None:
                assert not 0 < row_totals[i] - cells[i][j] < k


@settings(max_examples=300, deadline=None)
@given(survey=surveys(), k=thresholds)
def test_any_table_with_multi_select_sides_keeps_the_rules(survey, k):
    check_survey_table(survey, k, attacker=False)


@settings(max_examples=SOLVER_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(survey=surveys(), k=thresholds)
def test_no_hidden_cell_of_a_table_with_multi_select_sides_can_be_worked_out(survey, k):
    check_survey_table(survey, k, attacker=True)
