"""Primary and secondary suppression of frequency lists and two-way tables with margins.

Both shapes are reduced to one model: *entries* (cells and totals) tied together by
*lines*. A line is a list of member entries and the entry that is their margin:

* an **additive** line states ``sum(members) == margin`` (a single-choice question);
* a **non-additive** line states only ``member <= margin`` for each member, where the
  margin counts respondents (a multi-select question, multi-label goals), and, when
  every respondent picks at least one option, ``sum(members) >= margin``.

A two-way table with its margins is the (rows + 1) x (columns + 1) grid whose last
column holds the row totals and whose last row holds the column totals and the grand
total; its rows are lines (the last one: column totals -> grand total) and so are its
columns (the last one: row totals -> grand total). See the package docstring for the
rules applied to these lines and why.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .cells import Cell, Reason, count_value, effective_k

_Key = TypeVar("_Key", bound=Hashable)


@dataclass(frozen=True, slots=True)
class SuppressedSeries(Generic[_Key]):
    """A protected frequency list: one `Cell` per category, in input order, and the total."""

    cells: dict[_Key, Cell]
    total: Cell
    k: int

    @property
    def suppressed_count(self) -> int:
        """How many categories are hidden (the total not included)."""
        return sum(cell.suppressed for cell in self.cells.values())


@dataclass(frozen=True, slots=True)
class SuppressedTable:
    """A protected two-way table: ``cells[row][column]``, both margins and the grand total."""

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    col_totals: tuple[Cell, ...]
    grand_total: Cell
    k: int

    @property
    def suppressed_count(self) -> int:
        """How many inner cells are hidden (margins not included)."""
        return sum(cell.suppressed for row in self.cells for cell in row)


def suppress_counts(
    counts: Mapping[_Key, int],
    k: int | None = None,
    total: int | None = None,
    additive: bool = True,
) -> SuppressedSeries[_Key]:
    """Protect a frequency list (one question, one group) whose total is published.

    :param counts: respondents per category (choice id -> count), in display order.
    :param k: the threshold, passed through `effective_k` (None: 10, never below 5).
    :param total: the published total. Additive lists: the number of answers, which must
        equal ``sum(counts)`` (default); count non-response as a category of its own.
        Non-additive lists (``additive=False``): the number of respondents (required).
    :param additive: False when one respondent can be counted in several categories
        (a multi-select question, multi-label goals).
    :returns: a `SuppressedSeries` with a `Cell` per category and the total.
    :raises ValueError: if a count is negative, the total is missing (non-additive) or
        inconsistent with the counts.
    :raises TypeError: if a count is not an integer.
    """
    k = effective_k(k)
    keys = list(counts)
    values = [count_value(counts[key], f"counts[{key!r}]") for key in keys]
    if additive:
        total = _checked_sum("total", total, sum(values))
    else:
        total = _respondent_margin("total", total, max(values, default=0))
    line = _Line(tuple(range(len(values))), len(values), additive)
    cells = _Suppressor([*values, total], [line], k).run()
    return SuppressedSeries(dict(zip(keys, cells, strict=False)), cells[-1], k)


def suppress_table(
    table: Sequence[Sequence[int]],
    k: int | None = None,
    row_totals: Sequence[int] | None = None,
    col_totals: Sequence[int] | None = None,
    grand_total: int | None = None,
    additive: bool | tuple[bool, bool] = True,
) -> SuppressedTable:
    """Protect a two-way table (e.g. goal x region) whose margins and grand total are published.

    :param table: ``table[row][column]`` respondent counts; every row the same length.
    :param k: the threshold, passed through `effective_k` (None: 10, never below 5).
    :param row_totals: respondents per row. Computed when rows add up; required when not.
    :param col_totals: respondents per column. Computed when columns add up; required when not.
    :param grand_total: respondents in the table. Derived from the margins when rows or
        columns add up; required when neither does.
    :param additive: True when both row and column variables are single-choice; False when
        neither is; or ``(rows_add_up, cols_add_up)``: rows add up to the row totals when
        the COLUMN variable is single-choice, e.g. ``(True, False)`` for identity groups
        (multi-select, rows) x region (single-choice, columns).
    :returns: a `SuppressedTable` of `Cell`s, margins and grand total included.
    :raises ValueError: if the table is ragged, a count is negative, a required margin is
        missing, or a margin contradicts the cells.
    :raises TypeError: if a count is not an integer.
    """
    k = effective_k(k)
    rows_add, cols_add = (additive, additive) if isinstance(additive, bool) else additive
    grid = [[count_value(value, f"table[{i}][{j}]") for j, value in enumerate(row)] for i, row in enumerate(table)]
    widths = {len(row) for row in grid}
    if len(widths) > 1:
        raise ValueError(f"table rows differ in length: {sorted(widths)}")
    n_rows = len(grid)
    n_cols = widths.pop() if widths else len(col_totals or ())
    columns = [[row[j] for row in grid] for j in range(n_cols)]
    rows_margin = _margins("row_totals", row_totals, grid, rows_add)
    cols_margin = _margins("col_totals", col_totals, columns, cols_add)
    # The row of column totals adds up to the grand total when rows add up (the column
    # variable partitions the respondents), the column of row totals when columns do.
    if rows_add:
        grand = _checked_sum("grand_total", grand_total, sum(cols_margin))
    elif cols_add:
        grand = _checked_sum("grand_total", grand_total, sum(rows_margin))
    else:
        grand = _respondent_margin("grand_total", grand_total, 0)
    if not rows_add:
        _respondent_margin("grand_total", grand, max(cols_margin, default=0))
    if not cols_add:
        _respondent_margin("grand_total", grand, max(rows_margin, default=0))

    width = n_cols + 1
    values = [*(v for i in range(n_rows) for v in (*grid[i], rows_margin[i])), *cols_margin, grand]
    lines = [
        _Line(tuple(range(i * width, i * width + n_cols)), i * width + n_cols, rows_add) for i in range(n_rows + 1)
    ] + [_Line(tuple(range(j, n_rows * width, width)), n_rows * width + j, cols_add) for j in range(n_cols + 1)]
    # With both directions additive, lines combine (a cell can be worked out around a
    # cycle of rows and columns), so the grid is checked as a whole; otherwise bounds
    # chain across lines and an attacker's bounds are audited.
    both_add = rows_add and cols_add
    cells = _Suppressor(
        values,
        lines,
        k,
        grid_width=width if both_add else None,
        bounds_audit=not both_add,
        **_multi_select_relations(values, n_rows, n_cols, rows_add, cols_add),
    ).run()
    return SuppressedTable(
        cells=tuple(tuple(cells[i * width : i * width + n_cols]) for i in range(n_rows)),
        row_totals=tuple(cells[i * width + n_cols] for i in range(n_rows)),
        col_totals=tuple(cells[n_rows * width : n_rows * width + n_cols]),
        grand_total=cells[-1],
        k=k,
    )


def _multi_select_relations(
    values: list[int], n_rows: int, n_cols: int, rows_add: bool, cols_add: bool
) -> dict[str, list]:
    """What the published figures of a table with a multi-select side imply beyond its lines.

    * ``twins``: an option every respondent chose (its total == grand total) makes its
      row (column) a copy of the other side's totals.
    * ``frechet``: with both sides multi-select, ``|i and j| >= |i| + |j| - everyone``.
    * ``complements`` and ``equations``: with one side multi-select (say rows, columns
      single-choice), option i splits every column into "chose i" (the cell) and "did not
      choose i" (column total - cell), and those complements add up along the row to
      grand total - row total: an additive table per option.

    Entries are numbered as in `suppress_table`'s grid; complements after them.
    """
    width = n_cols + 1
    grand = len(values) - 1
    relations: dict[str, list] = {"twins": [], "frechet": [], "complements": [], "equations": []}
    if not cols_add:
        for i in range(n_rows):
            if values[i * width + n_cols] == values[grand]:
                relations["twins"] += [(i * width + j, n_rows * width + j) for j in range(width)]
    if not rows_add:
        for j in range(n_cols):
            if values[n_rows * width + j] == values[grand]:
                relations["twins"] += [(i * width + j, i * width + n_cols) for i in range(n_rows + 1)]
    if not rows_add and not cols_add:
        relations["frechet"] = [
            (i * width + j, i * width + n_cols, n_rows * width + j, grand) for i in range(n_rows) for j in range(n_cols)
        ]
    if rows_add == cols_add:
        return relations
    if rows_add:  # options are rows
        n_options, n_others = n_rows, n_cols
        at = lambda option, other: option * width + other  # noqa: E731
    else:  # options are columns
        n_options, n_others = n_cols, n_rows
        at = lambda option, other: other * width + option  # noqa: E731
    complements, equations = relations["complements"], relations["equations"]
    for option in range(n_options):
        row = []
        for other in range(n_others + 1):  # the last one: option total vs grand total
            cell, total = at(option, other), at(n_options, other)
            complements.append((values[total] - values[cell], (cell, total)))
            row.append(len(values) + len(complements) - 1)
            equations.append(((cell, row[-1]), total))
        equations.append((tuple(row[:-1]), row[-1]))
    return relations


def _checked_sum(name: str, given: int | None, derived: int) -> int:
    """Return `derived`, refusing a given total that contradicts it."""
    if given is not None and count_value(given, name) != derived:
        raise ValueError(
            f"{name} is {given} but its cells add up to {derived}: count non-response as "
            "a category of its own, or pass additive=False for a multi-select question"
        )
    return derived


def _respondent_margin(name: str, given: int | None, at_least: int) -> int:
    """Return a non-additive margin (respondents), which no member may exceed."""
    if given is None:
        raise ValueError(
            f"{name} is required when counts do not add up (additive=False): give the number of respondents"
        )
    given = count_value(given, name)
    if given < at_least:
        raise ValueError(f"{name} is {given}, fewer than one of its cells ({at_least})")
    return given


def _margins(name: str, given: Sequence[int] | None, lines: list[list[int]], add_up: bool) -> list[int]:
    """Return the margins of `lines`, derived (additive) or given and checked."""
    if given is None and add_up:
        return [sum(line) for line in lines]
    if given is None:
        raise ValueError(f"{name} are required: on a multi-select side they count respondents, not the cells' sum")
    if len(given) != len(lines):
        raise ValueError(f"{name} must have {len(lines)} entries, not {len(given)}")
    check = _checked_sum if add_up else _respondent_margin
    return [
        check(f"{name}[{i}]", total, sum(line) if add_up else max(line, default=0))
        for i, (total, line) in enumerate(zip(given, lines, strict=True))
    ]


@dataclass(frozen=True, slots=True)
class _Line:
    """Entries tied by one published relation: members and their margin."""

    members: tuple[int, ...]
    margin: int
    additive: bool


class _Suppressor:
    """Hides entries until no hidden entry can be worked out from what is published."""

    def __init__(
        self,
        values: list[int],
        lines: list[_Line],
        k: int,
        *,
        grid_width: int | None = None,
        bounds_audit: bool = False,
        frechet: Sequence[tuple[int, int, int, int]] = (),
        twins: Sequence[tuple[int, int]] = (),
        complements: Sequence[tuple[int, tuple[int, ...]]] = (),
        equations: Sequence[tuple[tuple[int, ...], int]] = (),
    ) -> None:
        self.values = values
        self.lines = lines
        self.k = k
        self.grid_width = grid_width
        self.bounds_audit = bounds_audit
        self.frechet = frechet
        #: Cells the audit also tracks, numbered after the entries: (value, the entries
        #: whose hiding hides it), e.g. "did not choose option i" = column total - cell.
        self.complements = complements
        #: More additive relations for the audit, over entries and complements.
        self.equations = equations
        #: Pairs of entries known to be equal: hiding one alone would hide nothing.
        self.twins: dict[int, list[int]] = {}
        for one, other in twins:
            self.twins.setdefault(one, []).append(other)
            self.twins.setdefault(other, []).append(one)
        self.reasons: list[Reason | None] = [None] * len(values)
        #: Entries whose value is public whatever is hidden: the zeros of a line whose
        #: total is a published 0. They are never hidden, nor chosen to protect others.
        self.fixed: set[int] = set()
        #: Hidden entries the whole-grid check has found free (they stay free).
        self.free: set[int] = set()
        self.lines_of: list[list[int]] = [[] for _ in values]
        for index, line in enumerate(lines):
            for entry in (*line.members, line.margin):
                self.lines_of[entry].append(index)

    def run(self) -> list[Cell]:
        """Apply primary, then secondary suppression until stable; return one Cell per entry."""
        self._hide_primary()
        while True:
            self._settle_lines()
            if self.grid_width:
                fix = self._cycle_fix()
            elif self.bounds_audit:
                fix = self._bounds_fix()
            else:
                fix = None
            if fix is None:
                break
            self.reasons[fix] = Reason.SECONDARY
        return [
            Cell(value) if reason is None else Cell(None, reason)
            for value, reason in zip(self.values, self.reasons, strict=True)
        ]

    def _hide_primary(self) -> None:
        """Hide small counts, small complements, and everything inside a small group."""
        k, values = self.k, self.values
        # Under a total of 1..k-1 even a zero tells where the few respondents are not; and
        # a member of such a group that is the margin of another line (a row total under a
        # small grand total) makes that line part of the small group too.
        small_lines = [line for line in self.lines if 0 < values[line.margin] < k]
        inside: set[int] = set()
        while small_lines:
            for member in small_lines.pop().members:
                if member not in inside:
                    inside.add(member)
                    small_lines.extend(line for line in self.lines if line.margin == member)
        for line in self.lines:
            if values[line.margin] == 0 and line.margin not in inside:
                self.fixed.update((*line.members, line.margin))
        for entry in inside - self.fixed:
            self.reasons[entry] = Reason.PRIMARY
        for entry, value in enumerate(values):
            if 0 < value < k:
                self.reasons[entry] = Reason.PRIMARY
        for both, one, other, everyone in self.frechet:
            # Two multi-select options split everyone four ways; "neither" is a cell too.
            neither = values[everyone] - values[one] - values[other] + values[both]
            if 0 < neither < k and both not in self.fixed:
                self.reasons[both] = Reason.PRIMARY
        for line in self.lines:
            if not line.additive:
                # "18 of 20 chose A" says 2 did not; in an additive line that complement is
                # the sum of the other members, which the line rule in `_needs` covers.
                margin = values[line.margin]
                for member in line.members:
                    if 0 < margin - values[member] < k and member not in self.fixed:
                        self.reasons[member] = Reason.PRIMARY

    def _hidden(self, entry: int, extra: int) -> bool:
        return self.reasons[entry] is not None or entry == extra

    def _needs(self, line: _Line, extra: int = -1) -> bool:
        """True when `line` (with `extra` hidden as well) gives a hidden entry away."""
        hidden = [member for member in line.members if self._hidden(member, extra)]
        margin_hidden = self._hidden(line.margin, extra)
        if line.additive:
            if len(hidden) + margin_hidden == 1:
                return True
            # margin - published members = the sum of the hidden members: a group of its
            # own, which must not be small, nor 0 (that would give every hidden member).
            return bool(hidden) and not margin_hidden and sum(self.values[m] for m in hidden) < self.k
        # Non-additive: a lone hidden member is bounded by `sum(members) >= margin` when
        # every respondent chose something; with two or more hidden, neither is bounded.
        return not margin_hidden and len(hidden) == 1

    def _settle_lines(self) -> None:
        """Hide complements until no line gives a hidden entry away."""
        changed = True
        while changed:
            changed = False
            for index, line in enumerate(self.lines):
                while self._needs(line):
                    self.reasons[self._complement(index)] = Reason.SECONDARY
                    changed = True
            for entry, twins in self.twins.items():
                if self.reasons[entry] is not None:
                    for twin in self._open(twins):
                        self.reasons[twin] = Reason.SECONDARY
                        changed = True

    def _open(self, entries: Sequence[int]) -> list[int]:
        """The entries that are published and may still be hidden."""
        return [e for e in entries if self.reasons[e] is None and e not in self.fixed]

    def _complement(self, index: int) -> int:
        """Choose the published entry of line `index` whose hiding loses least."""
        line = self.lines[index]
        candidates = self._open(line.members) or self._open([line.margin])
        if not candidates:
            raise RuntimeError("disclosure: a line needs a complement but has none left")

        def cost(entry: int) -> tuple[bool, int, int, int, int]:
            # Prefer a non-zero cell (a hidden zero protects nothing), then one without a
            # twin to drag along, then one that also mends the crossing line instead of
            # exposing it, then the smallest.
            balance = sum(
                self._needs(self.lines[other]) - self._needs(self.lines[other], extra=entry)
                for other in self.lines_of[entry]
                if other != index
            )
            dragged = len(self._open(self.twins.get(entry, ())))
            return (self.values[entry] == 0, dragged, -balance, self.values[entry], entry)

        return min(candidates, key=cost)

    # -- the bounds audit (tables with a multi-select dimension) --------------------------
    #
    # Without an additive grid there is no cycle structure to check, but inequalities
    # chain: "x <= column total", "column totals add up", "31 <= a hidden total" can pin
    # a hidden cell between equal bounds. The audit plays the attacker: it tightens every
    # hidden entry's [low, high] from every relation that holds for the true counts
    # (members <= margin, sum(members) >= margin when every respondent chose something,
    # |A and B| >= |A| + |B| - n, and the additive "did not choose" rows of a one-way
    # multi-select table, whose cells are `complements`) until nothing moves, and
    # reports any entry it pins.

    def _bounds_fix(self) -> int | None:
        """Return a published entry to hide next to an entry the audit pins, or None."""
        n_real = len(self.values)
        values = [*self.values, *(value for value, _ in self.complements)]
        sources = [(entry,) for entry in range(n_real)] + [src for _, src in self.complements]
        is_hidden = [any(self.reasons[s] is not None for s in src) for src in sources]
        big = 4 * (sum(self.values) + 1)  # stands for "unknown": above any true count
        low = [0 if hidden else value for value, hidden in zip(values, is_hidden, strict=True)]
        high = [big if hidden else value for value, hidden in zip(values, is_hidden, strict=True)]

        def raise_low(entry: int, bound: int) -> bool:
            if is_hidden[entry] and bound > low[entry]:
                low[entry] = bound
                return True
            return False

        def cut_high(entry: int, bound: int) -> bool:
            if is_hidden[entry] and bound < high[entry]:
                high[entry] = bound
                return True
            return False

        equations = [(ln.members, ln.margin) for ln in self.lines if ln.additive]
        equations += self.equations
        bounded = [ln for ln in self.lines if not ln.additive]
        covering = [  # sum(members) >= margin: true when every respondent chose something
            (ln.members, ln.margin) for ln in bounded if sum(values[m] for m in ln.members) >= values[ln.margin]
        ]
        for _ in range(100):  # bounds only shrink; the cap keeps a pathological case finite
            moved = False
            for members, margin in equations + covering:
                sum_low = sum(low[m] for m in members)
                sum_high = sum(high[m] for m in members)
                moved |= cut_high(margin, sum_high)
                for m in members:
                    moved |= raise_low(m, low[margin] - (sum_high - high[m]))
            for members, margin in equations:
                sum_low = sum(low[m] for m in members)
                moved |= raise_low(margin, sum_low)
                for m in members:
                    moved |= cut_high(m, high[margin] - (sum_low - low[m]))
            for line in bounded:
                for m in line.members:
                    moved |= cut_high(m, high[line.margin])
                    moved |= raise_low(line.margin, low[m])
            for both, one, other, everyone in self.frechet:
                moved |= raise_low(both, low[one] + low[other] - high[everyone])
                moved |= cut_high(one, high[both] - low[other] + high[everyone])
                moved |= cut_high(other, high[both] - low[one] + high[everyone])
                moved |= raise_low(everyone, low[one] + low[other] - high[both])
            if not moved:
                break
        for entry, hidden in enumerate(is_hidden):
            # A worked-out complement matters when it is itself a small count.
            if hidden and low[entry] >= high[entry] and (entry < n_real or values[entry] < self.k):
                near = [line for source in sources[entry] for line in self.lines_of[source]]
                candidates = [
                    candidate
                    for index in near
                    for candidate in self._open(self.lines[index].members) or self._open([self.lines[index].margin])
                ] or self._open(range(n_real))
                if not candidates:
                    raise RuntimeError("disclosure: an entry stays pinned with all hidden")
                return min(candidates, key=lambda c: (values[c] == 0, values[c], c))
        return None

    # -- the whole-grid check (both directions additive) ---------------------------------
    #
    # Write the grid with margins negated: every row and column then sums to zero, and the
    # hidden entries are the edges of a bipartite graph (row nodes, column nodes). A hidden
    # entry can take other values exactly when it lies on a cycle of hidden entries along
    # which values can shift (+t, -t, ... alternately) without any entry going negative:
    # an entry at 0 may only grow. Orient each edge row->column for "+t" and
    # column->row for "-t"; an entry is free when a directed cycle passes through it.

    def _nodes(self, entry: int) -> tuple[int, int]:
        row, col = divmod(entry, self.grid_width)  # type: ignore[arg-type]
        return row, -1 - col  # columns as negative node ids, rows as non-negative

    def _arcs(self, entry: int) -> list[tuple[int, int]]:
        """Directions in which `entry` may move along a cycle, as (from, to) nodes."""
        row, col = self._nodes(entry)
        n_rows = len(self.values) // self.grid_width  # type: ignore[operator]
        width = self.grid_width
        # Inner cells and the grand total keep their sign; margins are negated.
        plus = (row < n_rows - 1) == (entry % width < width - 1)  # type: ignore[operator]
        positive = self.values[entry] > 0
        arcs = []
        if positive or plus:
            arcs.append((row, col))
        if positive or not plus:
            arcs.append((col, row))
        return arcs

    def _cycle_fix(self) -> int | None:
        """Return a published entry to hide so that a fixed hidden entry gets free, or None."""
        hidden = [entry for entry, reason in enumerate(self.reasons) if reason is not None]
        forward: dict[int, list[tuple[int, int]]] = {}
        backward: dict[int, list[tuple[int, int]]] = {}
        for entry in hidden:
            for start, end in self._arcs(entry):
                forward.setdefault(start, []).append((end, entry))
                backward.setdefault(end, []).append((start, entry))
        for entry in hidden:
            # Hiding more only adds arcs, so an entry once free stays free.
            if entry in self.free:
                continue
            if any(start in _reach(end, forward, entry, start) for start, end in self._arcs(entry)):
                self.free.add(entry)
                continue
            return self._closing_entry(
                [
                    (start, _reach(end, forward, entry), _reach(start, backward, entry))
                    for start, end in self._arcs(entry)
                ]
            )
        return None

    def _closing_entry(self, reach: list[tuple[int, set[int], set[int]]]) -> int:
        """Choose a published entry that closes a cycle (or, failing that, widens the search)."""
        published = self._open(range(len(self.values)))
        closing = [
            entry
            for entry in published
            if any(a in ahead and b in behind for _, ahead, behind in reach for a, b in self._arcs(entry))
        ]
        near = set().union(*(ahead | behind for _, ahead, behind in reach))
        adjacent = [entry for entry in published if set(self._nodes(entry)) & near]
        candidates = closing or adjacent or published
        if not candidates:
            raise RuntimeError("disclosure: a hidden entry stays derivable with all hidden")
        return min(candidates, key=lambda entry: (self.values[entry] == 0, self.values[entry]))


def _reach(start: int, arcs: dict[int, list[tuple[int, int]]], excluded: int, goal: int | None = None) -> set[int]:
    """Nodes reachable from `start` along `arcs` without using entry `excluded`
    (the search stops early once `goal` is reached)."""
    seen = {start}
    queue = deque([start])
    while queue and goal not in seen:
        for node, entry in arcs.get(queue.popleft(), ()):
            if entry != excluded and node not in seen:
                seen.add(node)
                queue.append(node)
    return seen
