"""The analyst workspace over HTTP, on the demo with synthetic responses: access by role,
numbers that match the database, no small cell anywhere, filters, the review with its
audit and agreement figures, retraining."""

from __future__ import annotations

from collections import Counter

import pytest
from markupsafe import escape
from sqlmodel import func, select

from analysis.models import AnswerTheming, QuoteApproval, ThemeReview
from consult.accounts.models import AuditEntry
from surveys.models import Answer, Consultation, Question, Response
from tests.analysis._workspace import Tables, demo_app, post, small_counts, themed_demo_schema, themed_demo_template  # noqa: F401 (fixtures)

K = 10  # the demo's k


@pytest.fixture
def app(request, database_url, tmp_path):
    from tests.conftest import make_app

    app = demo_app(request, database_url, tmp_path, make_app)
    yield app
    app.extensions["consult.engine"].dispose()


def expected_counts(session, slug):
    """Counts straight from the tables: respondents per language, per region, per goal."""
    consultation = session.exec(select(Consultation).where(Consultation.slug == slug)).one()
    languages = dict(
        session.exec(
            select(Response.language, func.count()).where(Response.consultation_id == consultation.id)
            .group_by(Response.language)
        ).all()
    )
    region = session.exec(select(Question).where(Question.key == "region")).one()
    regions = Counter(
        value for value in session.exec(select(Answer.value).where(Answer.question_id == region.id)).all()
    )
    goals: dict[str, set[str]] = {}
    for response_id, themed_goals in session.exec(
        select(AnswerTheming.response_id, AnswerTheming.goals).where(AnswerTheming.consultation_id == consultation.id)
    ).all():
        for goal in themed_goals:
            goals.setdefault(goal, set()).add(response_id)
    return consultation, languages, regions, {goal: len(ids) for goal, ids in goals.items()}


def test_only_analysts_see_the_workspace_and_analysts_cannot_edit_consultations(client, login, demo):
    assert client.get(f"/analysis/{demo}/").status_code == 302  # not signed in: to the sign-in page
    login(client, role="designer")
    for url in ("/analysis/", f"/analysis/{demo}/", f"/analysis/{demo}/review", f"/analysis/{demo}/amplify"):
        assert client.get(url).status_code == 403, url
    assert client.get("/design/").status_code == 200
    login(client, role="analyst")
    assert client.get("/analysis/").status_code == 200
    assert client.get("/design/").status_code == 403
    assert client.post("/design/new", data={}).status_code in (400, 403)
    nav = client.get("/analysis/").get_data(as_text=True)
    assert 'href="/analysis/"' in nav and 'href="/design/"' not in nav


def test_the_overview_shows_the_database_numbers_and_no_small_cell(client, session, login, demo):
    login(client, role="analyst")
    consultation, languages, regions, goals = expected_counts(session, demo)
    html = client.get(f"/analysis/{demo}/").get_data(as_text=True)
    tables = Tables(html)
    assert small_counts(tables.cells, K) == []
    assert tables.count("table-languages", "_total") == sum(languages.values())
    for language, count in languages.items():
        assert tables.count("table-languages", language) in (count, None)
        if count < K:
            assert tables.count("table-languages", language) is None
    hidden = 0
    for region, count in regions.items():
        shown = tables.count("table-group-region", region)
        assert shown in (count, None)
        if count < K:
            assert shown is None
        hidden += shown is None
    assert hidden != 1  # a lone hidden cell would be worked out from the total
    for goal, count in goals.items():
        assert tables.count("table-goals", goal) in (count, None)
    assert 'id="chart-goals"' in html and "<title id=\"chart-goals-title\">" in html
    assert "style=" not in html.split("<main", 1)[1]


def test_each_page_renders_without_small_cells_and_a_narrow_filter_shows_nothing(client, login, demo):
    login(client, role="analyst")
    pages = [
        f"/analysis/{demo}/",
        f"/analysis/{demo}/?question=message&language=fr",
        f"/analysis/{demo}/goals/sgbv",
        f"/analysis/{demo}/breakdown?by=region",
        f"/analysis/{demo}/breakdown?by=identity&sentiment=negative",
        f"/analysis/{demo}/amplify",
        f"/analysis/{demo}/review",
        f"/analysis/{demo}/brief",
        f"/analysis/{demo}/?lang=ar",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert small_counts(Tables(response.get_data(as_text=True)).cells, K) == [], url
    # (The Arabic page above made Arabic this browser's language: ask for English again.)
    narrow = client.get(f"/analysis/{demo}/?language=ar&group=region:southern_africa&lang=en").get_data(as_text=True)
    assert "Fewer than 10 respondents match this view" in narrow
    assert 'id="table-goals"' not in narrow and "<blockquote" not in narrow
    # An unknown filter value is named, not silently applied.
    assert "was ignored" in client.get(f"/analysis/{demo}/?goal=nonsense&lang=en").get_data(as_text=True)
    assert client.get(f"/analysis/{demo}/goals/nonsense").status_code == 404
    assert client.get("/analysis/no-such-consultation/").status_code == 404


def test_the_breakdown_columns_are_the_regions_of_the_database(client, session, login, demo):
    from surveys.demo import REGIONS

    login(client, role="analyst")
    _consultation, languages, regions, _goals = expected_counts(session, demo)
    tables = Tables(client.get(f"/analysis/{demo}/breakdown?by=region").get_data(as_text=True))
    header = tables.row("table-breakdown", "_group_total")[1:]
    keys = [choice["key"] for choice in REGIONS] + ["_none"]
    expected = {key: regions.get(key, 0) for key in keys}
    expected["_none"] = sum(languages.values()) - sum(regions.values())
    for key, (css, text) in zip(keys, header, strict=True):
        if "suppressed" in css:
            assert expected[key] >= 0
        else:
            assert int(text) == expected[key], key
    assert all("suppressed" in css for key, (css, _t) in zip(keys, header, strict=True) if 0 < expected[key] < K)
    assert small_counts(tables.cells, K) == []


def test_arabic_pages_are_right_to_left_with_mirrored_charts(client, login, demo):
    login(client, role="analyst")
    html = client.get(f"/analysis/{demo}/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert 'direction="rtl"' in html


def _first_open_item(client, slug):
    import re

    html = client.get(f"/analysis/{slug}/review").get_data(as_text=True)
    match = re.search(rf'action="/analysis/{slug}/review/([0-9a-f]+)/(\d+)"', html)
    assert match, "the queue is empty"
    return match.group(1), int(match.group(2)), html


def test_a_correction_is_audited_and_changes_the_agreement_figures(client, session, login, demo):
    analyst = login(client, role="analyst")
    response_id, question_id, html = _first_open_item(client, demo)
    assert "No answer has been reviewed yet" in html
    theming = session.get(AnswerTheming, (response_id, question_id))
    before = list(theming.goals)
    machine = sorted(g for g, s in theming.scores.items() if s >= 0.5)
    # The analyst removes every machine goal and ticks one the machine did not give.
    new_goal = next(g for g in ("peace_ops", "rights", "sgbv") if g not in before)
    response = post(client, f"/analysis/{demo}/review/{response_id}/{question_id}",
                    {"goals": [new_goal], "approve": "y", "back": f"/analysis/{demo}/review?show=all"},
                    page=f"/analysis/{demo}/review")
    assert response.status_code == 302 and response.headers["Location"].endswith("/review?show=all")
    session.expire_all()
    review = session.exec(select(ThemeReview)).one()
    assert (review.analyst_id, review.goals_before, review.goals_after) == (analyst.id, before, [new_goal])
    assert review.machine_goals == machine
    assert session.get(AnswerTheming, (response_id, question_id)).source == "analyst"
    assert session.get(QuoteApproval, (response_id, question_id)) is not None
    audit = {a.action: a for a in session.exec(select(AuditEntry)).all()}
    correct = audit["theme.correct"]
    assert correct.actor_id == analyst.id and correct.target == f"response:{response_id}"
    assert correct.details["before"] == before and correct.details["after"] == [new_goal]
    assert audit["quote.approve"].actor_id == analyst.id
    assert "text" not in correct.details  # ids and goals, never what she wrote

    tables = Tables(client.get(f"/analysis/{demo}/review").get_data(as_text=True))
    row = dict(tables.tables["table-agreement"])
    assert row[new_goal][2][1] == "0.00"  # recall: the machine missed the analyst's goal
    assert row[new_goal][1][1] == "–"  # precision: the machine never gave it
    if machine:
        assert row[machine[0]][1][1] == "0.00"  # precision: the analyst removed the machine's goal

    # Accepting the next one as it is counts as agreement.
    response_id2, question_id2, _ = _first_open_item(client, demo)
    kept = session.get(AnswerTheming, (response_id2, question_id2)).goals
    post(client, f"/analysis/{demo}/review/{response_id2}/{question_id2}", {"goals": kept},
         page=f"/analysis/{demo}/review")
    session.expire_all()
    assert session.exec(select(func.count()).select_from(ThemeReview)).one() == 2
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "theme.accept")).one().actor_id == analyst.id
    html = client.get(f"/analysis/{demo}/review").get_data(as_text=True)
    assert "On the 2 answers reviewed so far" in html


def test_a_review_with_an_unknown_goal_is_refused_and_keeps_the_ticks(client, session, login, demo):
    login(client, role="analyst")
    response_id, question_id, _ = _first_open_item(client, demo)
    response = post(client, f"/analysis/{demo}/review/{response_id}/{question_id}",
                    {"goals": ["sgbv", "not_a_goal"]}, page=f"/analysis/{demo}/review")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Tick only goals of the codebook" in html and 'value="sgbv" checked' in html
    assert session.exec(select(ThemeReview)).all() == []
    assert post(client, f"/analysis/{demo}/review/{'0' * 32}/{question_id}", {"goals": []},
                page=f"/analysis/{demo}/review").status_code == 404


def test_retraining_calls_the_services_and_is_audited(client, session, login, demo, monkeypatch):
    from analysis import services
    from analysis.models import ThemeModel

    calls = []

    def fake_retrain(db):
        calls.append("retrain")
        model = ThemeModel(version="nap-2017/test", codebook="nap-2017", created_at=services.now(),
                           corrections=3, training_size=10, blob=b"x")
        db.add(model)
        db.flush()
        return model

    def fake_analyse(db, consultation, everything=False, **kwargs):
        calls.append(("analyse", everything))
        return services.AnalyseReport(themed=7, already=0, model_version="nap-2017/test")

    monkeypatch.setattr(services, "retrain", fake_retrain)
    monkeypatch.setattr(services, "analyse_consultation", fake_analyse)
    analyst = login(client, role="analyst")
    # Nothing decided yet: nothing to learn, and no minutes spent training.
    response = post(client, f"/analysis/{demo}/retrain", page=f"/analysis/{demo}/review")
    assert response.status_code == 302 and calls == []
    assert "Nothing new to learn" in client.get(response.headers["Location"]).get_data(as_text=True)
    response_id, question_id, _html = _first_open_item(client, demo)
    post(client, f"/analysis/{demo}/review/{response_id}/{question_id}", {"goals": ["rights"]},
         page=f"/analysis/{demo}/review")
    response = post(client, f"/analysis/{demo}/retrain", page=f"/analysis/{demo}/review")
    assert response.status_code == 302
    assert calls == ["retrain", ("analyse", True)]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "model.retrain")).one()
    assert entry.actor_id == analyst.id and entry.details == {"model": "nap-2017/test", "corrections": 3,
                                                              "rethemed": 7}
    assert "3 corrections" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_filters_travel_with_the_links_so_a_view_can_be_shared(client, login, demo):
    login(client, role="analyst")
    html = client.get(f"/analysis/{demo}/?goal=sgbv&question=message&sentiment=none").get_data(as_text=True)
    amplify_link = next(part for part in html.split('href="')[1:] if part.startswith(f"/analysis/{demo}/amplify"))
    link = amplify_link.split('"', 1)[0].replace("&amp;", "&")
    assert "goal=sgbv" in link and "question=message" in link and "sentiment=none" in link
    assert 'option value="sgbv" selected' in html and "Filters (on)" in html


def test_theming_new_answers_from_the_overview_is_audited(client, session, login, demo, monkeypatch):
    from analysis import services

    # One answer without theming, so that the overview offers the button.
    theming = session.exec(select(AnswerTheming)).first()
    session.delete(theming)
    session.commit()
    calls = []

    def fake_analyse(db, consultation, everything=False, **kwargs):
        calls.append((consultation.slug, everything))
        return services.AnalyseReport(themed=1, already=0, model_version="nap-2017/test")

    monkeypatch.setattr(services, "analyse_consultation", fake_analyse)
    analyst = login(client, role="analyst")
    html = client.get(f"/analysis/{demo}/").get_data(as_text=True)
    assert "1 answer has not been themed yet" in html
    response = post(client, f"/analysis/{demo}/analyse", page=f"/analysis/{demo}/")
    assert response.status_code == 302 and calls == [(demo, False)]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "theme.analyse")).one()
    assert entry.actor_id == analyst.id and entry.details["themed"] == 1


def test_the_review_queue_shows_the_words_behind_each_machine_goal(client, session, login, demo):
    login(client, role="analyst")
    response_id, question_id, html = _first_open_item(client, demo)
    theming = session.get(AnswerTheming, (response_id, question_id))
    words = [w for terms in theming.explanation.values() for w in terms]
    assert words, "the first answer in the queue has an explanation"
    form_at = html.index(f'action="/analysis/{demo}/review/{response_id}/{question_id}"')
    item = html[html.rindex('<article class="review-item"', 0, form_at):form_at]  # this answer's block
    assert "Words behind it" in item
    assert all(str(escape(w)) in item for w in words)
