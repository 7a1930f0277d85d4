"""k-anonymous row-level exports: examples by hand, refusals, properties."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.privacy.disclosure import TOP, DisclosureError, k_anonymize

REGIONS = {
    "sahel": "africa",
    "west-africa": "africa",
    "great-lakes": "africa",
    "africa": "global-south",
    "south-asia": "asia",
    "asia": "global-south",
    "canada": "north",
    "europe": "north",
}


def rows_of(*groups):
    """Rows from (count, region, organisation) groups, each with its own id and text."""
    rows = []
    for count, region, organisation in groups:
        for _ in range(count):
            rows.append({"id": len(rows), "region": region, "org": organisation, "text": f"answer {len(rows)}"})
    return rows


def classes(rows, columns):
    return Counter(tuple(row.get(column) for column in columns) for row in rows)


# -- examples a reader can check by hand ------------------------------------------------


def test_rare_regions_climb_their_hierarchy_while_common_ones_stay_exact():
    rows = rows_of((6, "canada", "ngo"), (3, "sahel", "ngo"), (3, "west-africa", "ngo"))
    published, report = k_anonymize(rows, ["region"], k=5, hierarchies={"region": REGIONS})
    # 3 + 3 African rows become 6 "africa" rows; Canada (6 rows) is already safe.
    assert [row["region"] for row in published] == ["canada"] * 6 + ["africa"] * 6
    assert report.generalised == {"region": 6}
    assert report.rows_suppressed == report.rows_dropped == 0
    assert [row["text"] for row in published] == [row["text"] for row in rows]


def test_a_rare_row_is_dropped_rather_than_coarsening_everyone():
    rows = rows_of((6, "canada", "ngo"), (6, "europe", "ngo"), (1, "mali", "ngo"))
    published, report = k_anonymize(rows, ["region"], k=5, suppression="drop")
    # Without a hierarchy, "mali" could only join others as "*"; leaving out its one row
    # costs less, and the report says so.
    assert [row["id"] for row in published] == list(range(12))
    assert report.rows_dropped == 1 and report.rows_out == 12 and report.rows_in == 13
    assert report.generalised == {"region": 0}


def test_a_suppressed_row_keeps_its_text_and_the_starred_rows_reach_k_together():
    rows = rows_of((12, "canada", "ngo"), (12, "canada", "gov"), (1, "canada", "media"))
    published, report = k_anonymize(rows, ["region", "org"], k=5)
    # Publishing "media" as "*" would take 12 "gov" rows with it; starring the one media
    # row costs less. Alone, "*, *" would point at it, so 4 rows that the "ngo" class
    # can spare (12 - 5 >= 4) are starred with it: the starred rows are a class of 5.
    assert len(published) == 25
    starred = [row for row in published if row["region"] == TOP and row["org"] == TOP]
    assert len(starred) == 5
    assert "answer 24" in {row["text"] for row in starred}  # the media row, text kept
    assert Counter(row["org"] for row in published) == {"ngo": 8, "gov": 12, TOP: 5}
    assert report.rows_suppressed == 5 and report.generalised == {"region": 0, "org": 0}


def test_multi_select_answers_are_one_class_whatever_the_order_and_are_exported_sorted():
    rows = [{"id": i, "groups": ("rural", "youth") if i % 2 else ["youth", "rural"]} for i in range(6)]
    published, report = k_anonymize(rows, ["groups"], k=5)
    assert [row["groups"] for row in published] == [("rural", "youth")] * 6
    assert report.generalised == {"groups": 0}


def test_multi_select_answers_climb_choice_by_choice():
    rows = [{"groups": ("sahel", "canada")}] * 3 + [{"groups": ("west-africa", "europe")}] * 3
    published, report = k_anonymize(rows, ["groups"], k=5, hierarchies={"groups": REGIONS})
    assert [row["groups"] for row in published] == [("africa", "north")] * 6
    assert report.generalised == {"groups": 6}


# -- refusals and edge cases -------------------------------------------------------------


def test_fewer_rows_than_k_cannot_be_exported_at_row_level():
    with pytest.raises(DisclosureError, match="at least k = 10"):
        k_anonymize(rows_of((9, "canada", "ngo")), ["region"], k=10)


def test_no_rows_give_an_empty_export():
    published, report = k_anonymize([], ["region"], k=10)
    assert published == [] and report.rows_in == report.rows_out == 0


def test_k_below_the_floor_is_raised_to_five():
    rows = rows_of((4, "canada", "ngo"), (4, "europe", "ngo"))
    published, report = k_anonymize(rows, ["region"], k=2, hierarchies={"region": REGIONS})
    assert report.k == 5
    assert {row["region"] for row in published} == {"north"}


@pytest.mark.parametrize(
    ("columns", "hierarchies", "error"),
    [
        (["region", "region"], None, "repeat"),
        (["region"], {"org": {}}, "not quasi-identifiers"),
        (["region"], {"region": {"a": "b", "b": "a"}}, "cycle"),
    ],
)
def test_bad_instructions_are_refused(columns, hierarchies, error):
    rows = rows_of((5, "a", "ngo"), (5, "c", "ngo"), (1, "b", "ngo"))
    with pytest.raises(ValueError, match=error):
        k_anonymize(rows, columns, k=5, hierarchies=hierarchies)


def test_an_unknown_suppression_mode_is_refused():
    with pytest.raises(ValueError, match="star"):
        k_anonymize(rows_of((5, "a", "ngo")), ["region"], k=5, suppression="hide")


def test_a_value_that_cannot_be_compared_is_refused_with_its_place():
    rows = rows_of((5, "a", "ngo"))
    rows[2]["region"] = {"not": "hashable"}
    with pytest.raises(TypeError, match=r"rows\[2\]\['region'\]"):
        k_anonymize(rows, ["region"], k=5)


# -- properties ---------------------------------------------------------------------------


def lift(value, parents):
    """One generalisation step, as documented in `k_anonymize`."""
    if isinstance(value, frozenset):
        if any(parents.get(choice, TOP) != TOP for choice in value):
            return frozenset(choice if parents.get(choice, TOP) == TOP else parents[choice] for choice in value)
        return TOP
    return parents.get(value, TOP)


def ladder(value, parents):
    """Every value `value` may truthfully be published as, itself first, TOP last."""
    steps = [value]
    while steps[-1] != TOP:
        steps.append(lift(steps[-1], parents))
    return steps


def canonical(value):
    return frozenset(value) if isinstance(value, tuple | list | set | frozenset) else value


ORGS = ["ngo", "gov", "academic", "media", None]  # None: not answered
row_strategy = st.fixed_dictionaries(
    {
        "region": st.sampled_from(["sahel", "west-africa", "great-lakes", "south-asia", "canada", "europe", "asia"]),
        "org": st.sampled_from(ORGS),
        "groups": st.lists(st.sampled_from(["rural", "youth", "indigenous", "disabled"]), max_size=2, unique=True),
        "text": st.integers(0, 9),  # any payload: it must come out untouched
    }
)


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(row_strategy, min_size=20, max_size=60),
    columns=st.lists(st.sampled_from(["region", "org", "groups"]), min_size=1, max_size=3, unique=True),
    k=st.integers(5, 20),
    suppression=st.sampled_from(["star", "drop"]),
    with_hierarchy=st.booleans(),
)
def test_any_export_is_k_anonymous_truthful_and_accounted_for(rows, columns, k, suppression, with_hierarchy):
    for number, row in enumerate(rows):
        row["id"] = number
    hierarchies = {column: REGIONS for column in columns if column in ("region", "groups")} if with_hierarchy else None
    if len(rows) < k:
        with pytest.raises(DisclosureError):
            k_anonymize(rows, columns, k=k, hierarchies=hierarchies, suppression=suppression)
        return
    published, report = k_anonymize(rows, columns, k=k, hierarchies=hierarchies, suppression=suppression)

    # k-anonymous over the quasi-identifiers (dropping every row is allowed, and reported)
    assert all(size >= k for size in Counter(tuple(canonical(row[c]) for c in columns) for row in published).values())
    # rows are never lost silently, and the rest of each row is untouched
    assert report.rows_in == len(rows) and report.rows_out == len(published)
    assert report.rows_out + report.rows_dropped == len(rows)
    if suppression == "star":
        assert report.rows_dropped == 0
    else:
        assert report.rows_suppressed == 0
    kept = [rows[row["id"]] for row in published]
    assert [row["id"] for row in published] == sorted(row["id"] for row in published)
    for given_row, out in zip(kept, published, strict=True):
        assert out.keys() == given_row.keys()
        assert all(out[key] == given_row[key] for key in given_row if key not in columns)
    # every published value is the given one or one of its ancestors
    parents = {column: (hierarchies or {}).get(column, {}) for column in columns}
    all_top = 0
    for given_row, out in zip(kept, published, strict=True):
        for column in columns:
            assert canonical(out[column]) in ladder(canonical(given_row[column]), parents[column])
        all_top += all(out[column] == TOP for column in columns)
    # the report's counts match what changed
    assert report.rows_suppressed <= all_top
    for column in columns:
        changed = sum(
            canonical(out[column]) != canonical(given_row[column])
            for given_row, out in zip(kept, published, strict=True)
        )
        assert report.generalised[column] <= changed <= report.generalised[column] + report.rows_suppressed
