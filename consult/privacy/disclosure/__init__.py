"""Disclosure control: the one place every aggregate and row-level export goes through.

PRODUCT.md promises 5 and 6: every aggregate shown or exported counts at least k
respondents per cell or is suppressed, so that no hidden cell can be worked out from
totals; row-level exports are k-anonymous over the demographic questions. Pure Python,
no Flask, no database: views, exporters and the designer's counts pass plain numbers in
and get `Cell`s (a number, or a hidden marker with a reason code) back.

Public API
==========

``effective_k(k: int | None = None) -> int``
    The threshold: 10 (`K_DEFAULT`) for None, never below 5 (`K_FLOOR`). Every function
    below passes its ``k`` through it.
``suppress_counts(counts, k=None, total=None, additive=True) -> SuppressedSeries``
    A frequency list with its total (answers per choice, responses per language).
``suppress_table(table, k=None, row_totals=None, col_totals=None, grand_total=None,
additive=True) -> SuppressedTable``
    A two-way table with both margins and the grand total (goal x region).
``safe_share(numerator, denominator, k=None) -> float | None``
    A share in [0, 1], or None when it must not be shown.
``k_anonymize(rows, quasi_identifiers, k=None, hierarchies=None, *, suppression="star")
-> tuple[list[dict], AnonymizationReport]``
    A k-anonymous copy of row-level data.

``Cell(value, reason)``: ``value`` is the int to show or None; ``reason`` is None,
``Reason.PRIMARY`` or ``Reason.SECONDARY``; ``cell.suppressed``; ``cell.display(marker)``
returns the number or the caller's translated marker. A hidden cell does not keep its
true value, so no template can leak it.

Display: show ONE marker for every hidden cell in anything a reader outside the team
sees. The reason code is for the analyst's tooltip and for audits. Primary cells hold
1..k-1, and the secondary cells chosen here are almost always k or more, so a reader who
can tell them apart knows more. Example, k = 10: a row total of 11 with one primary and
one secondary cell tells her the primary is 1 and the secondary 10.

Rules for tables (`suppress_counts`, `suppress_table`)
======================================================

Entries are cells and totals. A *line* is a set of entries and their margin: a row, a
column, the row of column totals (margin: the grand total), the column of row totals, a
whole frequency list.

Primary suppression. An entry (cell or total) with 0 < n < k is hidden.

Zeros. A true 0 is published: it says no respondent of that group chose that answer,
which standard practice accepts (it is a statement about the group, of any size). Two
exceptions. (1) Inside a small group, meaning a line whose margin is 1..k-1 (and, in
turn, lines whose margin is a zero member of such a line), every member is hidden,
zeros included: "3 respondents in region R, 0 chose A, 0 chose B" tells that all three
chose C. (2) The zeros of a line whose published total is 0 are public anyway and stay
shown. Group disclosure at or above k is NOT prevented: "all 12 respondents of region
R chose A" is published (an l-diversity rule would be needed, and none is applied).

Secondary suppression (additive lines). In every line, the hidden entries, margin
included, are zero or at least two; and when the margin is published, the hidden cells
add up to at least k (margin minus published cells gives their sum, so "3 + 2 hidden in
a row of 25" would reveal a group of 5, and a sum of 0 would reveal every hidden zero).
To fix a line, the published cell hidden next is, in order of preference: non-zero, one
that does not drag a twin along (below), one whose crossing line it mends rather than
exposes, the smallest, the first. A margin is hidden only when no cell is left. This is
repeated until no line changes. A total of 1..k-1 is a primary entry like any other, so
a small margin is hidden and its line protected in turn, up to the grand total.

Whole-table check (both sides single-choice). The line rule alone still lets a cell be
worked out from a chain of rows and columns, or pinned by non-negativity (a hidden 0
that can only grow). With the margins negated, every row and column of the table sums to
zero, and a hidden entry can take another value exactly when it lies on a cycle of hidden
entries (row, column, row, ...) along which values can shift +t, -t alternately without
any going below 0. Every hidden entry is checked for such a cycle (a graph search). When
one has none, a published entry that closes a cycle through it is hidden, the smallest
non-zero first. For additive tables this guarantee is exact: the tests check every hidden
entry against a linear-programming attacker (its feasible range is never a single
value), on random tables.

Multi-select sides (``additive=False``, or a ``(rows_add_up, cols_add_up)`` pair). The
margin of a multi-select line counts respondents, not the sum of the line: an identity
group's row total is the number of respondents in it, and the groups overlap. An
attacker then has inequalities, not equations: each cell <= its margin; the sum of a line
>= its margin when everyone chose at least one option; |i and j| >= |i| + |j| - n for two
multi-select options. The line's additive content is in its complements: "18 of 20 chose
A" publishes "2 did not". Rules, chosen to be conservative:

* primary: a cell whose complement within a multi-select line (margin - cell), or whose
  "neither" cell (two multi-select sides: n - |i| - |j| + |i and j|), is 1..k-1, is
  hidden like a small cell;
* a multi-select line with a published margin never has exactly one hidden cell: the
  ">= margin" inequality bounds a lone hidden cell from below, but with two or more
  hidden cells, each can still go to 0;
* an option that everyone chose (its total equals the grand total) makes its line a copy
  of the other side's totals, so each of those pairs is hidden together or not at all;
* with one multi-select side, option by option, the complements ("did not choose i" per
  column) form an additive table that the published figures imply. The audit below
  tracks them.
* audit: an attacker's interval reasoning (every relation above, plus the additive lines
  and the complement tables) is run to a fixed point. Any hidden entry, or small
  complement, that it pins to one value gets a neighbour hidden, and the audit runs again.

Unlike the cycle check, interval reasoning is not a complete attacker. On random tables
with a multi-select side, a linear-programming attacker found no pinned entry after these
rules (see the tests), but this is measured, not proven.

Across tables. Each call protects one table. Two tables that share totals (the region
counts in the region list and in goal x region) can give a hidden cell away when they
hide different cells. Callers should publish the same margins from one protected source,
and keep the suppression of a margin the same in every table that repeats it.

Row-level exports (`k_anonymize`): see `consult.privacy.disclosure.anonymity`.
"""

from .anonymity import TOP, AnonymizationReport, k_anonymize
from .cells import K_DEFAULT, K_FLOOR, Cell, DisclosureError, Reason, effective_k, safe_share
from .tables import SuppressedSeries, SuppressedTable, suppress_counts, suppress_table

__all__ = [
    "K_DEFAULT",
    "K_FLOOR",
    "TOP",
    "AnonymizationReport",
    "Cell",
    "DisclosureError",
    "Reason",
    "SuppressedSeries",
    "SuppressedTable",
    "effective_k",
    "k_anonymize",
    "safe_share",
    "suppress_counts",
    "suppress_table",
]
