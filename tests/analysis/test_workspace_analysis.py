"""The workspace's pure analysis on crafted data: protection of linked outputs, summaries,
breakdown statistics, agreement, the review queue, filters, quotes and charts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.agreement import agreement, cohen_kappa
from analysis.breakdowns import benjamini_hochberg, breakdown
from analysis.charts import Bar, bar_chart, stacked_chart
from analysis.dataset import Filters, apply_filters, parse_filters
from analysis.protect import coordinate_fine, parts_safe, protect_coarse, protect_pair, protect_series
from analysis.review import review_queue
from analysis.summaries import (
    NO_ANSWER,
    NO_GOAL,
    completion,
    goal_counts,
    goal_series,
    group_series,
    overview,
    representative_quotes,
)
from consult.privacy.disclosure import Cell
from tests.analysis._workspace import make_dataset

K = 5


def _compositions(total, parts):
    """Every tuple of `parts` non-negative integers adding up to `total`."""
    if parts == 0:
        return [()] if total == 0 else []
    if parts == 1:
        return [(total,)]
    return [(first, *rest) for first in range(total + 1) for rest in _compositions(total - first, parts - 1)]


def possible_values(total, fine_published, coarse_published, members, keys):
    """Brute force: every non-negative fine vector consistent with what is published."""
    free = [key for key in keys if key not in fine_published]
    rest = total - sum(fine_published.values())
    found = []
    for values in _compositions(rest, len(free)):
        vector = dict(fine_published) | dict(zip(free, values, strict=True))
        if all(sum(vector[c] for c in members[x]) == value for x, value in coarse_published.items()):
            found.append(vector)
    return found


def test_a_reference_group_never_gives_a_small_region_away():
    # Regions a (3) and b (4) are small; the fine list hides them and c (the complement).
    fine_counts = {"a": 3, "b": 4, "c": 30, "d": 40}
    fine = protect_series(fine_counts, K * 2)
    assert fine.hidden == {"a", "b", "c"}
    members = {"G1": {"a", "c"}, "G2": {"b", "d"}}
    coarse_counts = {"G1": 33, "G2": 44}
    # Published as is, G2 = 44 with d = 40 shown would tell b = 4: G2 must be hidden (and G1 with it).
    coarse = protect_coarse(coarse_counts, members, fine_counts, fine, K * 2, total=77, partition=True)
    assert coarse.hidden == {"G1", "G2"}
    # Hiding d as well in the region list lets both groups be published instead.
    coordinated = coordinate_fine(fine_counts, fine, list(members.values()), K * 2)
    assert coordinated.hidden == {"a", "b", "c", "d"}
    coarse = protect_coarse(coarse_counts, members, fine_counts, coordinated, K * 2, total=77, partition=True)
    assert coarse.hidden == set()
    published = {x: coarse.cell(x).value for x in members}
    worlds = possible_values(77, {}, published, members, list(fine_counts))
    assert len({w["a"] for w in worlds}) > 1 and len({w["b"] for w in worlds}) > 1


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 14), min_size=3, max_size=5),
    assignment=st.lists(st.integers(0, 2), min_size=5, max_size=5),
    coordinate=st.booleans(),
)
def test_no_small_fine_cell_can_be_worked_out_from_fine_and_coarse_lists(counts, assignment, coordinate):
    k = K
    keys = [f"c{i}" for i in range(len(counts))]
    fine_counts = dict(zip(keys, counts, strict=True))
    members: dict[str, set[str]] = {}
    for key, group in zip(keys, assignment, strict=False):
        members.setdefault(f"G{group}", set()).add(key)
    fine = protect_series(fine_counts, k)
    if coordinate:
        fine = coordinate_fine(fine_counts, fine, list(members.values()), k)
    coarse_counts = {x: sum(fine_counts[c] for c in m) for x, m in members.items()}
    coarse = protect_coarse(coarse_counts, members, fine_counts, fine, k, total=sum(counts), partition=True)
    published_fine = {row.key: row.cell.value for row in fine.rows if not row.cell.suppressed}
    published_coarse = {row.key: row.cell.value for row in coarse.rows if not row.cell.suppressed}
    for cell in [*fine.rows, *coarse.rows]:
        assert cell.cell.suppressed or not 0 < cell.cell.value < k
    worlds = possible_values(sum(counts), published_fine, published_coarse, members, keys)
    for key in keys:
        if 0 < fine_counts[key] < k:
            assert len({w[key] for w in worlds}) > 1, f"{key} = {fine_counts[key]} can be worked out"


def test_parts_safe_refuses_a_split_that_isolates_a_small_hidden_cell():
    hidden = {"a": 3, "b": 12, "c": 4}
    assert parts_safe(hidden, [{"a", "b"}, {"c", "d"}], 10, partition=True) is False  # c alone: 4
    assert parts_safe(hidden, [{"a", "c"}, {"b", "d"}], 10, partition=True) is False  # a + c = 7
    assert parts_safe({"a": 3, "b": 12}, [{"a", "b", "c"}], 10, partition=True) is True  # one part: known anyway
    assert parts_safe({"a": 3, "c": 9}, [{"a", "b"}, {"c", "d"}], 10, partition=True) is False
    assert parts_safe({"a": 3}, [{"b"}], 10, partition=False) is True
    assert parts_safe({"a": 3}, [{"a", "b"}], 10, partition=False) is False


def test_a_pair_count_is_shown_only_when_its_whole_two_by_two_table_is_safe():
    shown, total = Cell(40), Cell(30)
    assert protect_pair(20, shown, total, 40, 30, 100, 10).value == 20
    assert protect_pair(3, shown, total, 40, 30, 100, 10).suppressed  # both: 3
    assert protect_pair(25, shown, total, 40, 30, 100, 10).suppressed  # second only: 5
    assert protect_pair(20, Cell(None, "primary"), total, 40, 30, 100, 10).suppressed


def _people():
    people = []
    for i in range(40):
        region = "canada" if i < 24 else "west_africa" if i < 36 else "pacific"
        texts = [("story", f"Answer {i} about courts and shelters", ["sgbv"] if i % 2 else ["participation"], 0.3)]
        if i % 3 == 0 and i < 30:
            texts.append(("message", f"Message {i} on peace talks", ["participation", "peace_ops"], None))
        people.append({"lang": "en" if i < 30 else "fr", "region": region, "identity": ["youth"] if i < 12 else [],
                       "texts": texts, "shown": {"story", "message"} if i < 30 else {"story"}})
    people.append({"lang": "es", "region": "", "texts": [], "shown": set()})
    return people


def test_goal_counts_are_of_respondents_with_their_own_categories():
    dataset = make_dataset(_people(), k=10)
    counts = goal_counts(dataset)
    assert counts["sgbv"] == 20 and counts["participation"] == 20 + 5  # evens, and odd ones' messages
    assert counts["peace_ops"] == 10
    assert counts[NO_GOAL] == 0 and counts["_notext"] == 1
    series = goal_series(dataset)
    assert series.total.value == 41
    assert series.cell("sgbv").value == 20 and series.share("sgbv") == pytest.approx(20 / 41)
    # One respondent with no themed answer: a small category, hidden.
    assert series.cell("_notext").suppressed


def test_completion_counts_only_those_the_question_was_shown_to():
    dataset = make_dataset(_people(), k=10)
    by_key = {c.question.key: c for c in completion(dataset)}
    message = by_key["message"]
    assert message.shown.value == 30  # 10 respondents never saw it (skip logic)
    assert message.answered.value == 10
    assert message.share == pytest.approx(10 / 30)


def test_group_lists_hide_small_groups_and_their_complement():
    dataset = make_dataset(_people(), k=10)
    regions = group_series(dataset, dataset.demographic("region"))
    assert regions.cell("canada").value == 24
    assert regions.cell("pacific").suppressed  # 4 respondents
    assert regions.cell(NO_ANSWER).suppressed  # 1 respondent
    assert sum(1 for row in regions.rows if row.cell.suppressed and row.cell.value is None) >= 2


def test_a_view_of_fewer_than_k_respondents_shows_nothing():
    dataset = make_dataset(_people(), k=10)
    small = apply_filters(dataset, Filters(language="es"))
    assert len(small.respondents) == 1
    summary = overview(small)
    assert summary.withheld and summary.goals is None and summary.population.suppressed


def test_filters_narrow_respondents_and_answers_and_ignore_unknown_values():
    dataset = make_dataset(_people(), k=10)
    filters, ignored = parse_filters({"goal": "sgbv", "language": "xx", "group": "region:nowhere", "q": " courts "}, dataset)
    assert filters == Filters(goal="sgbv", search="courts")
    assert sorted(ignored) == ["group", "language"]
    view = apply_filters(dataset, filters)
    assert len(view.respondents) == 20
    assert all("sgbv" in t.goals for t in view.texts)
    view = apply_filters(dataset, Filters(group=("identity", "youth"), question="message"))
    assert {r.id for r in view.respondents} == {"r0000", "r0003", "r0006", "r0009"}


def test_benjamini_hochberg_matches_the_hand_computed_adjustment():
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert benjamini_hochberg([]) == []


def test_breakdown_flags_a_large_significant_difference_and_nothing_in_uniform_data():
    people = []
    for i in range(120):
        region = "west_africa" if i < 60 else "canada"
        goals = ["humanitarian"] if (region == "west_africa" and i % 10 < 8) or (region == "canada" and i % 10 < 2) \
            else ["rights"]
        people.append({"lang": "en", "region": region, "texts": [("story", "text", goals, None)]})
    dataset = make_dataset(people, k=10)
    table = breakdown(dataset, dataset.demographic("region"))
    notable = {(goal, group) for goal, group, _cell in table.notable}
    assert ("humanitarian", "west_africa") in notable and ("humanitarian", "canada") in notable
    row = dict(table.rows)["humanitarian"]
    west = row[table.columns.index("west_africa")]
    assert west.cell.value == 48 and west.share == pytest.approx(0.8)
    assert west.lift == pytest.approx(0.8 / 0.5, rel=1e-3) and west.q_value < 0.001

    uniform = make_dataset(
        [{"lang": "en", "region": "west_africa" if i % 2 else "canada",
          "texts": [("story", "t", ["sgbv"] if i % 4 < 2 else ["rights"], None)]} for i in range(120)], k=10
    )
    assert breakdown(uniform, uniform.demographic("region")).notable == []


def test_groups_under_the_minimum_count_are_never_tested():
    people = [{"lang": "en", "region": "mena" if i < 12 else "canada",
               "texts": [("story", "t", ["sgbv"] if i < 12 else ["rights"], None)]} for i in range(100)]
    dataset = make_dataset(people, k=10)
    row = dict(breakdown(dataset, dataset.demographic("region")).rows)["sgbv"]
    mena = row[list(breakdown(dataset, dataset.demographic("region")).columns).index("mena")]
    assert mena.cell.value == 12 and mena.q_value is None and not mena.notable  # 12 < 30


def test_cohen_kappa_precision_and_recall_match_the_hand_computed_values():
    assert cohen_kappa(20, 5, 10, 65) == pytest.approx(0.625)
    assert cohen_kappa(0, 0, 0, 0) is None
    pairs = [({"sgbv"}, {"sgbv"})] * 20 + [({"sgbv"}, set())] * 5 + [(set(), {"sgbv"})] * 10 + [(set(), set())] * 65
    result = agreement(pairs, ["sgbv", "rights"])
    sgbv = result.goal("sgbv")
    assert result.n == 100
    assert sgbv.precision == pytest.approx(0.8) and sgbv.recall == pytest.approx(20 / 30)
    assert sgbv.kappa == pytest.approx(0.625)
    assert result.goal("rights").precision is None  # the machine never said "rights"
    assert result.exact == pytest.approx(0.85)


class _Review:
    def __init__(self, rid, qid, analyst, after, machine=()):
        self.response_id, self.question_id, self.analyst_id = rid, qid, analyst
        self.after, self.machine_goals = tuple(after), tuple(machine)


def test_the_queue_puts_disputed_then_near_ties_then_the_least_confident_first():
    def scores(**values):
        return {g: values.get(g, 0.1) for g in ("participation", "sgbv", "rights", "humanitarian", "peace_ops")}

    people = [
        {"lang": "en", "texts": [("story", "sure", ["sgbv"], None, {"scores": scores(sgbv=0.95), "confidence": 0.8})]},
        {"lang": "en", "texts": [("story", "tie", ["sgbv"], None,
                                  {"scores": scores(sgbv=0.62, rights=0.57), "confidence": 0.14})]},
        {"lang": "en", "texts": [("story", "unsure", ["sgbv"], None, {"scores": scores(sgbv=0.52), "confidence": 0.04})]},
        {"lang": "en", "texts": [("story", "disputed", ["sgbv"], None, {"scores": scores(sgbv=0.9), "confidence": 0.7})]},
        {"lang": "en", "texts": [("story", "settled", ["sgbv"], None, {"scores": scores(sgbv=0.9), "confidence": 0.7})]},
    ]
    dataset = make_dataset(people, k=5)
    reviews = [_Review("r0003", 1, 1, ["sgbv"]), _Review("r0003", 1, 2, ["rights"]), _Review("r0004", 1, 1, ["sgbv"])]
    order = [item.text.text for item in review_queue(dataset, reviews)]
    assert order == ["disputed", "tie", "unsure", "sure"]
    assert [item.text.text for item in review_queue(dataset, reviews, show="reviewed")] == ["disputed", "settled"]


def test_quotes_span_languages_and_respondents_and_put_the_amplified_first():
    people = []
    for i in range(30):
        lang = "en" if i < 24 else "fr" if i < 28 else "ar"
        people.append({"lang": lang, "region": "canada" if i < 20 else "west_africa",
                       "texts": [("story", f"Survivors of violence need shelters and courts, said person {i}.",
                                  ["sgbv"], None, {"approved": i % 3 == 0}),
                                 ("message", f"Courts and shelters again from person {i}.", ["sgbv"], None)]})
    dataset = make_dataset(people, k=5)
    quotes = representative_quotes(dataset, "sgbv", 3)
    assert len({q.response_id for q in quotes}) == 3
    assert len({q.lang for q in quotes}) == 3  # not three English quotes, though English dominates
    first = representative_quotes(dataset, "sgbv", 2, first={"r0029"})
    assert first[0].response_id == "r0029" and first[0].amplified
    approved = representative_quotes(dataset, "sgbv", 10, approved_only=True)
    assert approved and all(q.approved for q in approved)
    # Two Arabic-speaking respondents: a quote never names that small language group.
    arabic = [q for q in quotes if q.lang == "ar"]
    assert arabic and arabic[0].attribution.language is None


def test_charts_are_accessible_svg_without_inline_style_and_mirror_for_rtl():
    svg = str(bar_chart("c1", "Goals <&>", "A description", [Bar("Rights", 0.5), Bar("SGBV", None)],
                        hidden="suppressed"))
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Goals &lt;&amp;&gt;</title>' in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg.count("<rect") == 1 and ">suppressed<" in svg
    ltr_x = float(re.search(r'<rect x="([\d.]+)"', svg).group(1))
    rtl = str(bar_chart("c1", "t", "d", [Bar("Rights", 0.5)], rtl=True))
    rtl_x, width = map(float, re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', rtl).groups())
    assert ltr_x == 210 and rtl_x + width == pytest.approx(640 - 210)
    stacked = str(stacked_chart("c2", "t", "d", [("A", [("negative", 0.5), ("positive", 0.5)]),
                                                 ("B", [("negative", None), ("positive", 0.2)])]))
    assert stacked.count("<rect") == 2  # the row with a withheld share draws no bar at all
