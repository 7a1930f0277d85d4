"""The threshold, the published cell and safe shares."""

import pytest

from consult.privacy.disclosure import Cell, Reason, effective_k, safe_share


@pytest.mark.parametrize(("asked", "applied"), [(None, 10), (1, 5), (4, 5), (5, 5), (12, 12), (0, 5), (-3, 5)])
def test_effective_k_defaults_to_ten_and_never_goes_below_five(asked, applied):
    assert effective_k(asked) == applied


@pytest.mark.parametrize("bad", [True, 7.5, "10"])
def test_effective_k_refuses_what_is_not_an_integer(bad):
    with pytest.raises(TypeError):
        effective_k(bad)


def test_a_published_cell_displays_its_number_and_a_hidden_one_the_callers_marker():
    assert Cell(12).display("x") == 12
    assert not Cell(12).suppressed
    assert Cell(0).display("x") == 0
    hidden = Cell(None, Reason.SECONDARY)
    assert hidden.display("suppressed") == "suppressed"
    assert hidden.suppressed
    assert hidden.reason == "secondary"  # a plain string code for templates


@pytest.mark.parametrize(("value", "reason"), [(None, None), (3, Reason.PRIMARY)])
def test_a_cell_is_either_shown_or_hidden(value, reason):
    with pytest.raises(ValueError, match="either"):
        Cell(value, reason)


@pytest.mark.parametrize(
    ("numerator", "denominator", "share"),
    [
        (12, 30, 0.4),
        (0, 30, 0.0),  # a true zero is a safe share
        (30, 30, 1.0),
        (4, 30, None),  # the count itself is small
        (25, 30, None),  # "25 of 30" says 5 did not
        (9, 9, None),  # the denominator is under k
        (0, 0, None),
    ],
)
def test_safe_share_withholds_shares_that_reveal_a_small_group(numerator, denominator, share):
    assert safe_share(numerator, denominator, 10) == share


def test_safe_share_of_hidden_cells_is_hidden():
    assert safe_share(Cell(None, Reason.SECONDARY), 100, 10) is None
    assert safe_share(20, Cell(None, Reason.PRIMARY), 10) is None
    assert safe_share(Cell(20), Cell(100), 10) == 0.2


def test_safe_share_raises_k_below_the_floor():
    assert safe_share(4, 30, k=3) is None
    assert safe_share(5, 30, k=3) == pytest.approx(5 / 30)


@pytest.mark.parametrize(("numerator", "denominator"), [(31, 30), (-1, 30), (3, -2)])
def test_safe_share_refuses_impossible_counts(numerator, denominator):
    with pytest.raises(ValueError):
        safe_share(numerator, denominator, 10)
