"""The threshold k, the published cell and safe shares: what every output is built from."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

#: No output may ever count fewer respondents per cell than this (PRODUCT.md, promise 5).
K_FLOOR = 5
#: The threshold for published outputs when the caller does not choose one.
K_DEFAULT = 10

_Marker = TypeVar("_Marker")


class DisclosureError(ValueError):
    """No safe output exists for this input (e.g. a row-level export of fewer than k rows)."""


class Reason(StrEnum):
    """Why a cell is hidden; a code for templates and audits, never display text."""

    #: The cell counts fewer than k respondents, or would reveal a group of fewer than k
    #: next to its published total (its complement, or the zeros of a small group).
    PRIMARY = "primary"
    #: The cell is safe itself; it is hidden so that a primary cell cannot be worked out.
    SECONDARY = "secondary"


@dataclass(frozen=True, slots=True)
class Cell:
    """One published number, or the record that it is hidden (the true value is not kept)."""

    value: int | None
    reason: Reason | None = None

    def __post_init__(self) -> None:
        """Refuse a cell that is both shown and hidden, or neither."""
        if (self.value is None) == (self.reason is None):
            raise ValueError("a Cell has either a value or a suppression reason, not both")

    @property
    def suppressed(self) -> bool:
        """True when the cell must be shown as a marker instead of a number."""
        return self.reason is not None

    def display(self, marker: _Marker) -> int | _Marker:
        """Return the number, or `marker` (the caller's translated text) when hidden.

        One marker for every hidden cell, whatever its reason: showing primary and
        secondary cells differently tells a reader which hidden cells are small, and
        next to a published total that can give a small cell away (see the package notes).
        """
        return marker if self.value is None else self.value


def effective_k(k: int | None = None) -> int:
    """Return the threshold to apply: `K_DEFAULT` for None, never below `K_FLOOR`.

    :param k: the threshold asked for (a setting, a caller's choice) or None.
    :raises TypeError: if `k` is not an integer (a bool or a float is a caller's bug).
    """
    if k is None:
        return K_DEFAULT
    if isinstance(k, bool):
        raise TypeError("k must be an integer, not a bool")
    return max(operator.index(k), K_FLOOR)


def count_value(value: object, what: str) -> int:
    """Return `value` as a non-negative int count, or raise naming `what` it is."""
    if isinstance(value, bool):
        raise TypeError(f"{what}: a count must be an integer, not a bool")
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{what}: a count must be an integer, got {value!r}") from None
    if number < 0:
        raise ValueError(f"{what}: a count cannot be negative, got {number}")
    return number


def safe_share(numerator: Cell | int, denominator: Cell | int, k: int | None = None) -> float | None:
    """Return numerator / denominator in [0, 1], or None when it must not be shown.

    A share next to its denominator is the count itself, and it also tells how many
    did NOT answer that way; so the share is withheld when the denominator is hidden
    or under k, when the numerator is hidden, or when the numerator or its complement
    (denominator - numerator) counts between 1 and k - 1 respondents. Pass the `Cell`s
    of an already protected table whenever you have them: a raw int only gets the
    primary rule and knows nothing of the secondary suppression of its table.

    :param numerator: the count (a `Cell` from `suppress_counts`/`suppress_table`, or an int).
    :param denominator: the respondents the share is of (a `Cell` or an int).
    :param k: the threshold, passed through `effective_k`.
    :raises ValueError: if a count is negative or the numerator exceeds the denominator.
    :raises TypeError: if a count is not an integer.
    """
    k = effective_k(k)
    if isinstance(denominator, Cell):
        if denominator.value is None:
            return None
        denominator = denominator.value
    denominator = count_value(denominator, "denominator")
    if isinstance(numerator, Cell):
        if numerator.value is None:
            return None
        numerator = numerator.value
    numerator = count_value(numerator, "numerator")
    if numerator > denominator:
        raise ValueError(f"numerator {numerator} exceeds denominator {denominator}")
    if denominator < k:
        return None
    if 0 < numerator < k or 0 < denominator - numerator < k:
        return None
    return numerator / denominator
