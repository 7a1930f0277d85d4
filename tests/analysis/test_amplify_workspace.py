"""Amplify: representation against reference shares, post-stratification checked by hand,
under-heard themes, and the reference group form (audited, errors keep what was typed)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from analysis.amplify import REMAINDER, amplify, poststratify, representation, weighted_shares
from analysis.dataset import Reference
from analysis.models import ReferenceGroup
from consult.accounts.models import AuditEntry
from tests.analysis._workspace import (  # noqa: F401 (fixtures)
    Tables,
    demo_app,
    make_dataset,
    post,
    small_counts,
    themed_demo_schema,
    themed_demo_template,
)

SOUTH = Reference(1, "Global South", "region", ("west_africa",), 0.6)
NORTH = Reference(2, "North", "region", ("canada",), 0.4)


def _people(west=12, west_sgbv=6, canada=36, canada_sgbv=12, mena=0):
    people = []
    for i in range(west):
        people.append({"lang": "fr", "region": "west_africa",
                       "texts": [("story", f"west {i}", ["sgbv"] if i < west_sgbv else ["rights"], None)]})
    for i in range(canada):
        people.append({"lang": "en", "region": "canada",
                       "texts": [("story", f"canada {i}", ["sgbv"] if i < canada_sgbv else ["rights"], None)]})
    for i in range(mena):
        people.append({"lang": "ar", "region": "mena", "texts": [("story", f"mena {i}", ["rights"], None)]})
    return people


def test_reweighting_gives_the_hand_computed_shares():
    dataset = make_dataset(_people(), k=5)
    question = dataset.demographic("region")
    # Global South: 12 of 48 respondents (25 %) for a reference of 60 %: each counts 0.6 / 0.25 = 2.4.
    # The rest (Canada, 36 = 75 %) shares the remaining 40 %: each counts 0.4 / 0.75 = 0.5333.
    weighting = poststratify(dataset, question, [SOUTH])
    assert weighting.refused == ""
    assert weighting.weights[SOUTH.key] == pytest.approx(2.4)
    assert weighting.weights[REMAINDER] == pytest.approx(0.4 / 0.75)
    shares = weighted_shares(dataset, weighting)
    # sgbv: (6 x 2.4 + 12 x 0.5333) / 48 = 20.8 / 48; rights: (6 x 2.4 + 24 x 0.5333) / 48 = 27.2 / 48.
    assert shares["sgbv"] == pytest.approx(20.8 / 48)
    assert shares["rights"] == pytest.approx(27.2 / 48)
    view = amplify(dataset, [SOUTH])
    by_goal = {g.goal: g for g in view.goals}
    assert by_goal["sgbv"].raw == pytest.approx(18 / 48)
    # Published in whole percent (the rounding is part of the protection).
    assert by_goal["sgbv"].weighted == pytest.approx(0.43)
    assert by_goal["rights"].weighted == pytest.approx(0.57)


def test_respondents_outside_groups_that_claim_everything_keep_their_weight():
    dataset = make_dataset(_people(mena=12), k=5)
    weighting = poststratify(dataset, dataset.demographic("region"), [SOUTH, NORTH])
    # 60 answered; the groups share the 48 respondents inside them: 0.6 x 48 / 12 and 0.4 x 48 / 36.
    assert weighting.weights[SOUTH.key] == pytest.approx(2.4)
    assert weighting.weights[NORTH.key] == pytest.approx(0.4 * 48 / 36)
    assert weighting.weights[REMAINDER] == 1.0
    assert sum(weighting.by_respondent.values()) == pytest.approx(60)


def test_an_absent_group_is_named_and_its_share_spread_over_those_present():
    pacific = Reference(3, "Pacific", "region", ("pacific",), 0.2)
    dataset = make_dataset(_people(), k=5)
    weighting = poststratify(dataset, dataset.demographic("region"), [SOUTH, pacific])
    assert weighting.absent == ("Pacific",)
    # Present targets 0.6 (South) and 0.2 (the rest) are scaled to 0.75 and 0.25.
    assert weighting.weights[SOUTH.key] == pytest.approx(0.75 * 48 / 12)
    assert weighting.weights[REMAINDER] == pytest.approx(0.25 * 48 / 36)


def test_weighting_is_refused_for_small_groups_and_overlapping_or_multiple_choice_groups():
    small = make_dataset(_people(west=3, west_sgbv=1), k=5)
    assert poststratify(small, small.demographic("region"), [SOUTH]).refused == "small"
    dataset = make_dataset(_people(), k=5)
    overlap = Reference(4, "Overlap", "region", ("west_africa", "canada"), 0.3)
    assert poststratify(dataset, dataset.demographic("region"), [SOUTH, overlap]).refused == "overlap"
    youth = Reference(5, "Youth", "identity", ("youth",), 0.3)
    assert poststratify(dataset, dataset.demographic("identity"), [youth]).refused == "overlap"
    assert amplify(small, [SOUTH]).goals[1].weighted is None


def test_a_weighted_share_is_withheld_when_a_cell_it_is_made_of_is_small():
    # 3 of the 12 West African respondents raise sgbv: that cell must not be shown, nor a
    # weighted share from which, with the raw share, it could be worked out.
    dataset = make_dataset(_people(west_sgbv=3), k=5)
    by_goal = {g.goal: g for g in amplify(dataset, [SOUTH]).goals}
    assert by_goal["sgbv"].raw == pytest.approx(15 / 48)
    assert by_goal["sgbv"].weighted is None


def test_a_weighted_sum_must_leave_every_hidden_cell_two_possible_values():
    from analysis.protect import weighted_sum_safe

    # Two hidden cells, 3 (weight 2.4) and 12 (weight 0.53): their sum 15 is known, and a share
    # exact to 1 % of 48 respondents pins the split.
    mass = 3 * 2.4 + 12 * 0.5333
    assert weighted_sum_safe([(3, 2.4, 12), (12, 0.5333, 36)], mass - 0.24, mass + 0.24) is False
    # With equal weights the weighted sum says nothing more than the sum.
    assert weighted_sum_safe([(3, 1.0, 12), (12, 1.0, 36)], 14.9, 15.1) is True
    # Three hidden cells keep a degree of freedom.
    mass = 3 * 2.4 + 12 * 0.5333 + 8 * 1.0
    assert weighted_sum_safe([(3, 2.4, 12), (12, 0.5333, 36), (8, 1.0, 20)], mass - 0.24, mass + 0.24) is True
    assert weighted_sum_safe([], 0, 0) is True


def test_representation_flags_under_represented_groups_and_hides_small_ones():
    dataset = make_dataset(_people(west=40, canada=12, mena=4), k=5)
    south = Reference(1, "Global South", "region", ("west_africa",), 0.9)
    mena = Reference(6, "MENA", "region", ("mena",), 0.05)
    rep = representation(dataset, dataset.demographic("region"), [south, mena])
    rows = {row.key: row for row in rep.rows}
    assert rows[south.key].cell.value == 40 and rows[south.key].sample_share == pytest.approx(40 / 56)
    assert rows[south.key].status == "under"  # 71 % against 90 %
    # MENA (4) is hidden, and so is the smallest other category: the rest (Canada, 12).
    assert rows[mena.key].cell.suppressed and rows[mena.key].status == "hidden"
    assert rows[REMAINDER].cell.suppressed
    assert [r.label for r in rep.under] == ["Global South", "MENA"]


def test_themes_raised_mostly_by_an_under_represented_group_come_out_with_their_voices():
    people = []
    for i in range(40):
        people.append({"lang": "fr", "region": "west_africa",
                       "texts": [("story", f"west {i}", ["humanitarian"] if i < 30 else ["rights"], None)]})
    for i in range(120):
        people.append({"lang": "en", "region": "canada",
                       "texts": [("story", f"canada {i}", ["humanitarian"] if i < 24 else ["rights"], None)]})
    dataset = make_dataset(people, k=10)
    view = amplify(dataset, [SOUTH])
    top = view.underheard[0]
    assert (top.goal, top.reference.label, top.notable) == ("humanitarian", "Global South", True)
    assert top.cell.value == 30 and top.share == pytest.approx(0.75)
    assert top.overall == pytest.approx(54 / 160)
    assert top.lift == pytest.approx(0.75 / (54 / 160), rel=1e-3)
    assert all(dataset.respondent_map()[rid].groups["region"] == ("west_africa",) for rid in view.amplified)
    assert len(view.amplified) == 40


# -- the page and its form, on the demo ---------------------------------------------------------------


@pytest.fixture
def app(request, database_url, tmp_path):
    from tests.conftest import make_app

    app = demo_app(request, database_url, tmp_path, make_app)
    yield app
    app.extensions["consult.engine"].dispose()


SOUTH_REGIONS = ["latin_america", "west_africa", "central_africa", "east_africa", "southern_africa", "mena",
                 "south_asia", "southeast_asia"]


def test_an_analyst_defines_reference_groups_and_sees_representation_and_weights(client, session, login, demo):
    user = login(client, role="analyst")
    url = f"/analysis/{demo}/amplify"
    response = post(client, f"{url}/groups", {"question": "region", "label": "Global South", "share": "60",
                                              "choices": SOUTH_REGIONS}, page=url)
    assert response.status_code == 302
    post(client, f"{url}/groups", {"question": "region", "label": "Global North", "share": "40",
                                   "choices": ["canada", "europe_central_asia", "other_region"]}, page=url)
    groups = session.exec(select(ReferenceGroup).order_by(ReferenceGroup.id)).all()
    assert [(g.label, g.share, g.question_key) for g in groups] == [("Global South", 0.6, "region"),
                                                                     ("Global North", 0.4, "region")]
    assert set(groups[0].choice_keys) == set(SOUTH_REGIONS)
    audit = session.exec(select(AuditEntry).where(AuditEntry.action == "reference_group.create")).all()
    assert [(a.actor_id, a.details["label"]) for a in audit] == [(user.id, "Global South"), (user.id, "Global North")]

    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    tables = Tables(html)
    k = 10
    assert small_counts(tables.cells, k) == []
    # The representation counts are the database's.
    from analysis.queries import find_consultation, load_dataset

    dataset = load_dataset(session, find_consultation(session, demo))
    south = sum(1 for r in dataset.respondents if set(r.groups["region"]) & set(SOUTH_REGIONS))
    assert tables.count("table-rep-region", f"ref:{groups[0].id}") == south
    assert "cannot create voices that are absent" in html
    assert 'id="chart-rep-region"' in html and 'role="img"' in html


def test_a_wrong_reference_group_is_refused_with_a_message_and_nothing_lost(client, session, login, demo):
    login(client, role="analyst")
    url = f"/analysis/{demo}/amplify"
    response = post(client, f"{url}/groups", {"question": "region", "label": "Sahel and coast", "share": "150",
                                              "choices": ["west_africa"]}, page=url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "between 0 and 100" in html
    assert 'value="Sahel and coast"' in html and 'value="west_africa" checked' in html
    assert 'aria-invalid="true"' in html and 'class="error-summary"' in html

    response = post(client, f"{url}/groups", {"question": "region", "label": "Nobody", "share": "20"}, page=url)
    assert response.status_code == 400 and "Tick at least one answer" in response.get_data(as_text=True)

    post(client, f"{url}/groups", {"question": "region", "label": "Africa", "share": "30",
                                   "choices": ["west_africa", "east_africa"]}, page=url)
    response = post(client, f"{url}/groups", {"question": "region", "label": "West", "share": "10",
                                              "choices": ["west_africa"]}, page=url)
    assert response.status_code == 400 and "may not overlap" in response.get_data(as_text=True)
    response = post(client, f"{url}/groups", {"question": "region", "label": "africa", "share": "10",
                                              "choices": ["mena"]}, page=url)
    assert response.status_code == 400 and "already a group with this name" in response.get_data(as_text=True)
    assert [g.label for g in session.exec(select(ReferenceGroup)).all()] == ["Africa"]

    group = session.exec(select(ReferenceGroup)).one()
    response = post(client, f"{url}/groups/{group.id}/delete", page=url)
    assert response.status_code == 302
    session.expire_all()
    assert session.exec(select(ReferenceGroup)).all() == []
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "reference_group.delete")).one()
