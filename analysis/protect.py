"""Disclosure control for the workspace's linked outputs, on top of `consult.privacy.disclosure`.

The disclosure module protects one list or one table at a time. The workspace
publishes several outputs that share numbers (the region list is the margin of the
goal x region table; a reference group is a union of regions), and a number hidden in
one output must not be shown, or worked out, from another. Three rules tie them:

* **Shared margins.** A table's margins are shown as protected in their own list (one
  `Series` per variable). A row or column whose margin is hidden there is hidden whole
  in the table; a margin the table itself had to hide hides its line of cells.
* **Coarse lists.** A list of unions of categories (reference groups) is protected as
  a list, then checked against the fine list: what it publishes must not split the
  fine list's hidden cells into a part that gives a small count away (`protect_coarse`).
* **Pairs.** A co-occurrence count with both goals' totals published determines its
  whole 2 x 2 table, so it is shown only when all four cells of that table are safe.

Pure functions over plain counts; every number ends as a `Cell`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from consult.privacy.disclosure import Cell, Reason, safe_share, suppress_counts, suppress_table

HIDDEN = Cell(None, Reason.SECONDARY)


@dataclass(frozen=True)
class Row:
    """One category of a protected list: its count and its share of the list's total."""

    key: str
    cell: Cell
    share: float | None


@dataclass(frozen=True)
class Series:
    """A protected frequency list: rows in input order and the published total."""

    rows: tuple[Row, ...]
    total: Cell
    k: int

    def cell(self, key: str) -> Cell:
        """The cell of category `key`.

        :raises KeyError: for a category the list does not have.
        """
        for row in self.rows:
            if row.key == key:
                return row.cell
        raise KeyError(key)

    def share(self, key: str) -> float | None:
        """The published share of category `key` (None when withheld)."""
        for row in self.rows:
            if row.key == key:
                return row.share
        raise KeyError(key)

    @property
    def hidden(self) -> set[str]:
        """Keys of the hidden categories."""
        return {row.key for row in self.rows if row.cell.suppressed}


def protect_series(counts: Mapping[str, int], k: int, total: int | None = None, additive: bool = True) -> Series:
    """Protect a list of respondent counts (see `consult.privacy.disclosure.suppress_counts`).

    :param counts: category -> respondents, in display order.
    :param total: the respondents the list is about; required when not additive.
    :param additive: False when a respondent can be in several categories.
    :raises ValueError: if the total contradicts the counts.
    """
    protected = suppress_counts(dict(counts), k, total=total, additive=additive)
    rows = tuple(
        Row(key, cell, safe_share(cell, protected.total, k)) for key, cell in protected.cells.items()
    )
    return Series(rows, protected.total, protected.k)


def atom_ok(values: Sequence[int], k: int) -> bool:
    """Whether the sum of some hidden fine cells may become known.

    Safe when it is 0, or counts at least k over two cells or more, or when every cell
    in it is large (a hidden cell of k or more was hidden to protect others, which the
    other parts are checked for).
    """
    total = sum(values)
    return total == 0 or (len(values) >= 2 and total >= k) or all(v >= k for v in values)


def protect_coarse(
    coarse_counts: Mapping[str, int],
    members: Mapping[str, Collection[str]],
    fine_counts: Mapping[str, int],
    fine: Series,
    k: int,
    total: int,
    partition: bool,
) -> Series:
    """Protect a list of unions of fine categories, consistently with the fine list.

    :param coarse_counts: coarse category -> respondents (for a partition, the sum of
        its members' fine counts).
    :param members: coarse category -> the fine categories it unites.
    :param fine_counts: the fine list's true counts; `fine` its protected form.
    :param total: the respondents of both lists (the coarse list's total).
    :param partition: True when the coarse categories split the fine ones without
        overlap and each respondent is in one fine category (single choice); then the
        coarse list is additive and sums of hidden fine cells are worked out exactly,
        else only bounds are known and any coarse count touching a hidden fine cell is hidden.
    :raises ValueError: if counts and total disagree.
    """
    series = protect_series(coarse_counts, k, total=total, additive=partition)
    hidden_coarse = set(series.hidden)
    hidden_fine = fine.hidden
    keys = list(coarse_counts)
    for _ in range(len(keys) + 1):
        # A coarse count whose fine members are all published is known anyway.
        known = [x for x in keys if x not in hidden_coarse or not (set(members[x]) & hidden_fine)]
        offender = _coarse_offender(known, hidden_coarse, members, fine_counts, hidden_fine, k, partition)
        if offender is None:
            break
        hidden_coarse.add(offender)
        _settle_coarse(keys, coarse_counts, hidden_coarse, members, hidden_fine, k, partition)
    rows = tuple(
        Row(row.key, HIDDEN, None) if row.key in hidden_coarse and not row.cell.suppressed else row
        for row in series.rows
    )
    return Series(rows, series.total, series.k)


def _coarse_offender(known, hidden_coarse, members, fine_counts, hidden_fine, k, partition) -> str | None:
    """A published coarse category that gives a hidden fine part away, or None."""
    touching = [x for x in known if x not in hidden_coarse and set(members[x]) & hidden_fine]
    if not partition:
        return min(touching, key=lambda x: (len(set(members[x]) & hidden_fine), x)) if touching else None
    atoms = {x: sorted(set(members[x]) & hidden_fine) for x in known}
    covered = {c for atom in atoms.values() for c in atom}
    rest = sorted(hidden_fine - covered)
    parts = [atom for atom in atoms.values() if atom] + ([rest] if rest else [])
    if len(parts) < 2:
        return None  # the one part is the sum of everything hidden, which the fine list shows
    bad = [x for x in touching if not atom_ok([fine_counts[c] for c in atoms[x]], k)]
    if rest and not atom_ok([fine_counts[c] for c in rest], k) and not bad:
        bad = touching
    if not bad:
        return None
    return min(bad, key=lambda x: (len(atoms[x]), x))


def _settle_coarse(keys, coarse_counts, hidden_coarse, members, hidden_fine, k, partition) -> None:
    """Keep the coarse list's own line safe after hiding one more category."""
    while True:
        # Hidden categories whose fine members are all published are known anyway: only
        # the others are secret, and they must not be alone or add up to a small count.
        secret = [x for x in keys if x in hidden_coarse and set(members[x]) & hidden_fine]
        total = sum(coarse_counts[x] for x in secret)
        safe = not secret or (len(secret) >= 2 and (not partition or total >= k))
        candidates = [
            x for x in keys if x not in hidden_coarse and coarse_counts[x] > 0 and set(members[x]) & hidden_fine
        ]
        if safe or not candidates:
            return
        hidden_coarse.add(min(candidates, key=lambda x: (coarse_counts[x], x)))


def protect_crosstab(
    table: Sequence[Sequence[int]],
    row_margin: Sequence[Cell],
    col_margin: Sequence[Cell],
    row_totals: Sequence[int],
    col_totals: Sequence[int],
    grand_total: int,
    k: int,
    additive: tuple[bool, bool],
) -> list[list[Cell]]:
    """Protect the inner cells of a two-way table whose margins are published in lists.

    :param table: ``table[row][column]`` respondent counts.
    :param row_margin: the row totals as protected in their own list (shown instead of
        the table's own margins); `col_margin` likewise.
    :param row_totals: the true row totals; `col_totals`, `grand_total` likewise.
    :param additive: ``(rows_add_up, cols_add_up)`` as for `suppress_table`.
    :returns: the inner cells, ``cells[row][column]``.
    :raises ValueError: if margins contradict the cells.
    """
    if not table or not table[0]:
        return [list() for _ in table]
    protected = suppress_table(
        table,
        k,
        row_totals=list(row_totals),
        col_totals=list(col_totals),
        grand_total=grand_total,
        additive=additive,
    )
    cells = [list(row) for row in protected.cells]
    for i, (own, shared) in enumerate(zip(protected.row_totals, row_margin, strict=True)):
        if shared.suppressed or own.suppressed:
            cells[i] = [c if c.suppressed else HIDDEN for c in cells[i]]
    for j, (own, shared) in enumerate(zip(protected.col_totals, col_margin, strict=True)):
        if shared.suppressed or own.suppressed:
            for row in cells:
                row[j] = row[j] if row[j].suppressed else HIDDEN
    return cells


def protect_pair(both: int, first: Cell, second: Cell, first_total: int, second_total: int, n: int, k: int) -> Cell:
    """The count of respondents in two overlapping groups (two goals), or hidden.

    With both groups' totals and `n` published, the one count fixes its whole 2 x 2
    table (both, first only, second only, neither), so it is shown only when that
    table needs no suppression at all.
    """
    if first.suppressed or second.suppressed:
        return HIDDEN
    grid = [
        [both, first_total - both],
        [second_total - both, n - first_total - second_total + both],
    ]
    protected = suppress_table(grid, k)
    if any(cell.suppressed for row in protected.cells for cell in row):
        return HIDDEN
    return Cell(both)


def parts_safe(hidden: Mapping[str, int], parts: Sequence[Collection[str]], k: int, partition: bool) -> bool:
    """Whether publishing sums over `parts` of a line gives none of its hidden cells away.

    :param hidden: the line's hidden cells, key -> true value (e.g. the hidden cells of
        one goal's row in the goal x region table).
    :param parts: the unions whose sums would be published (e.g. reference groups).
    :param partition: True when the parts split the line's categories without overlap
        and the line is additive; then each part's share of the hidden cells becomes
        known and must be safe (`atom_ok`). Otherwise no part may touch a hidden cell.
    """
    if not hidden:
        return True
    secret = set(hidden)
    if not partition:
        return not any(set(part) & secret for part in parts)
    atoms = [sorted(set(part) & secret) for part in parts]
    rest = sorted(secret.difference(*map(set, atoms)))
    nonempty = [atom for atom in atoms if atom] + ([rest] if rest else [])
    if len(nonempty) < 2:
        return True  # the sum of all hidden cells is known from the line's total anyway
    return all(atom_ok([hidden[c] for c in atom], k) for atom in nonempty)


def coordinate_fine(
    fine_counts: Mapping[str, int], fine: Series, parts: Sequence[Collection[str]], k: int
) -> Series:
    """Hide more of a fine single-choice list so that its coarse unions can be published.

    A reference group is a union of choices; publishing its count tells the sum of
    its hidden choices, which must be safe (`atom_ok`). Rather than hide the group
    (Amplify needs it), the smallest published choices inside it are hidden too until
    its hidden part is safe. Hiding more of an additive list never reveals anything.

    :param parts: the unions that will be published (they need not cover every choice).
    """
    hidden = set(fine.hidden)
    changed = True
    while changed:
        changed = False
        for part in parts:
            atom = [c for c in part if c in hidden]
            if not atom or atom_ok([fine_counts[c] for c in atom], k):
                continue
            candidates = [c for c in part if c not in hidden and fine_counts.get(c, 0) > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda c: (fine_counts[c], c)))
                changed = True
    if hidden == fine.hidden:
        return fine
    rows = tuple(
        Row(row.key, HIDDEN, None) if row.key in hidden and not row.cell.suppressed else row for row in fine.rows
    )
    return Series(rows, fine.total, fine.k)


def weighted_sum_safe(
    hidden: Sequence[tuple[int, float, int]], low: float, high: float, limit: int = 200_000
) -> bool:
    """Whether a published weighted total leaves every hidden cell of its line undetermined.

    A re-weighted share, published next to the raw count, adds one equation to the
    line's hidden cells: their sum is known (the count minus the published cells) and
    now also their weighted sum, to within the share's rounding. Every hidden cell must
    still have at least two possible values.

    :param hidden: (true count, weight, largest possible count) per hidden cell.
    :param low: the smallest weighted sum of the hidden cells the published share allows;
        `high` the largest.
    :param limit: enumeration steps before giving up (then: not safe).
    """
    return not any(weighted_sum_pinned(hidden, low, high, limit))


def weighted_sum_pinned(
    hidden: Sequence[tuple[int, float, int]], low: float, high: float, limit: int = 200_000
) -> list[bool]:
    """Which hidden cells a known sum and a weighted sum within [low, high] pin to one value
    (see `weighted_sum_safe`); every cell counts as pinned when the search exceeds `limit`."""
    if not hidden:
        return []
    total = sum(count for count, _, _ in hidden)
    weights = [weight for _, weight, _ in hidden]
    bounds = [bound for _, _, bound in hidden]
    seen: list[set[int]] = [set() for _ in hidden]
    steps = 0
    tolerance = 1e-9

    def reach(index: int, remaining: int) -> tuple[float, float]:
        """Least and most weighted mass cells index.. can carry with `remaining` respondents."""
        order = sorted(range(index, len(hidden)), key=lambda i: weights[i])
        least = most = 0.0
        left = remaining
        for i in order:
            take = min(left, bounds[i])
            least += take * weights[i]
            left -= take
        left = remaining
        for i in reversed(order):
            take = min(left, bounds[i])
            most += take * weights[i]
            left -= take
        return least, most

    choice = [0] * len(hidden)

    def walk(index: int, remaining: int, mass: float) -> bool:
        nonlocal steps
        steps += 1
        if steps > limit:
            return False
        if index == len(hidden) - 1:
            if remaining > bounds[index]:
                return True
            final = mass + remaining * weights[index]
            if low - tolerance <= final <= high + tolerance:
                choice[index] = remaining
                for i, value in enumerate(choice):
                    seen[i].add(value)
            return True
        capacity = sum(bounds[index + 1 :])
        for value in range(max(0, remaining - capacity), min(bounds[index], remaining) + 1):
            least, most = reach(index + 1, remaining - value)
            here = mass + value * weights[index]
            if here + most < low - tolerance or here + least > high + tolerance:
                continue
            choice[index] = value
            if not walk(index + 1, remaining - value, here):
                return False
        return True

    if not walk(0, total, 0.0):
        return [True] * len(hidden)
    return [len(values) < 2 for values in seen]
