"""An analyst works through the themed demo in Chromium: overview, a goal, the groups,
Amplify and the review queue; she corrects one answer's goals and approves another
for quotation, and the agreement figures move; she downloads the brief as DOCX and the
responses as CSV with the page's buttons, and both hold what the database holds. Every
workspace page passes axe-core's WCAG 2.1 A/AA in English and in Arabic.

With CONSULT_SCREENSHOTS set, the overview and Amplify (English, 1280 px wide) are saved
to docs/ for the README."""

from __future__ import annotations

import csv
import io
import os
import re

import pytest
from docx import Document
from sqlmodel import func, select

from analysis.models import AnswerTheming, QuoteApproval, ThemeReview
from surveys.models import Consultation, Response
from tests.analysis._workspace import demo_app, themed_demo_schema, themed_demo_template  # noqa: F401 (fixtures)
from tests.conftest import STAFF_PASSWORD
from tests.e2e.conftest import DOCS, axe_violations

ANALYST = "analyst@example.org"
SOUTH = ("latin_america", "west_africa", "central_africa", "east_africa", "southern_africa", "mena", "south_asia",
         "southeast_asia")
NORTH = ("canada", "europe_central_asia", "other_region")


@pytest.fixture
def app(request, database_url, tmp_path):
    """The demo with synthetic responses themed by the oracle (tests/analysis/_workspace.py)."""
    from tests.conftest import make_app

    app = demo_app(request, database_url, tmp_path, make_app)
    yield app
    app.extensions["consult.engine"].dispose()


def follow(locator) -> None:
    """Click a link or button and wait for the page it leads to."""
    with locator.page.expect_navigation():
        locator.click()


def agreement_line(page) -> str:
    return page.locator("section[aria-labelledby=agreement] > p").first.inner_text()


def listed(page) -> int:
    """How many answers the review queue's current tab lists."""
    text = page.locator("section[aria-labelledby=queue] > p.help").first.inner_text()
    return int(re.search(r"(\d+) answers? in this list", text).group(1))


def checked_goals(item) -> list[str]:
    boxes = item.locator("input[name=goals]")
    return [boxes.nth(i).get_attribute("value") for i in range(boxes.count()) if boxes.nth(i).is_checked()]


def test_an_analyst_reviews_and_exports_the_themed_demo(live_server, page_for, make_user, session, demo, tmp_path):
    make_user(email=ANALYST, roles=("analyst",))
    base = live_server
    workspace = f"{base}/analysis/{demo}"
    screenshots = bool(os.environ.get("CONSULT_SCREENSHOTS"))
    found: dict[str, list[str]] = {}
    page = page_for()  # 1280 x 720, JavaScript on (axe needs it; the workspace has no script of its own)

    page.goto(f"{base}/staff/login?next=/analysis/")
    page.fill("input[name=email]", ANALYST)
    page.fill("input[name=password]", STAFF_PASSWORD)
    follow(page.locator("button.primary"))
    assert page.url == f"{base}/analysis/"

    # The overview, from the list of consultations.
    follow(page.locator(f"main a[href='/analysis/{demo}/']"))
    assert page.url == f"{workspace}/"
    total = session.exec(select(func.count()).select_from(Response)).one()
    assert page.locator("tr[data-key=respondents] td").inner_text() == str(total)
    goal_titles = page.locator("article.goal h3").all_inner_texts()
    assert len(goal_titles) == 5
    if screenshots:
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "analysis-overview.png"), full_page=True)
    found["overview (en)"] = axe_violations(page)

    # A goal, the groups, Amplify.
    follow(page.locator("article.goal h3 a").first)
    assert page.locator("main h2").first.inner_text() == goal_titles[0]
    goal_url = page.url.split("?")[0]
    found["goal (en)"] = axe_violations(page)
    follow(page.locator("nav.subnav a", has_text="Groups"))
    assert page.locator("#table-breakdown").is_visible()
    found["breakdown (en)"] = axe_violations(page)
    follow(page.locator("nav.subnav a", has_text="Amplify"))
    assert page.locator("main h2").first.inner_text() == "Amplify: whose voices are in the data"
    assert page.locator("#table-rep-region").count() == 0  # no reference group yet
    # She sets the regions' reference groups: the Global South should be 80 % of a fair sample.
    for label, regions, share in (("Global South", SOUTH, "80"), ("Global North", NORTH, "20")):
        form = page.locator("form#group-region")
        form.locator("input[name=label]").fill(label)
        for region in regions:
            form.locator(f"input[name=choices][value={region}]").check()
        form.locator("input[name=share]").fill(share)
        follow(form.locator("button", has_text="Add the group"))
        assert page.locator("p.flash", has_text=f"Reference group “{label}” added.").is_visible()
    page.goto(f"{workspace}/amplify")  # (without the message, for the screenshot)
    representation = page.locator("#table-rep-region tbody th").all_inner_texts()
    assert representation[:2] == ["Global South", "Global North"], representation
    south = page.locator("#table-rep-region tbody tr").first
    assert "gap" in south.get_attribute("class") and "Under-represented" in south.inner_text()
    if screenshots:
        page.screenshot(path=str(DOCS / "analysis-amplify.png"), full_page=True)
    found["amplify (en)"] = axe_violations(page)

    # The review queue: nothing decided yet.
    follow(page.locator("nav.subnav a", has_text="Review"))
    assert page.url == f"{workspace}/review"
    assert agreement_line(page).startswith("No answer has been reviewed yet")
    assert page.locator("#table-agreement").count() == 0
    found["review (en)"] = axe_violations(page)
    open_before = listed(page)

    # She corrects the first answer: the machine's goals out, one it did not give in.
    item = page.locator("article.review-item").first
    corrected = item.locator("form").get_attribute("action")
    machine = checked_goals(item)
    new_goal = next(g for g in ("peace_ops", "rights", "sgbv", "humanitarian") if g not in machine)
    for goal in machine:
        item.locator(f"input[name=goals][value={goal}]").uncheck()
    item.locator(f"input[name=goals][value={new_goal}]").check()
    follow(item.locator("button.primary"))
    assert page.locator("p.flash", has_text="Decision saved.").is_visible()
    assert agreement_line(page).startswith("On the 1 answer reviewed so far:")
    assert "exactly the analyst's in 0%" in agreement_line(page)
    recall = page.locator(f"#table-agreement tr[data-key={new_goal}] td").nth(1).inner_text()
    assert recall == "0.00"  # the machine missed the analyst's goal
    assert listed(page) == open_before - 1
    assert page.locator(f"form[action='{corrected}']").count() == 0  # decided: out of the list to review

    # She approves for quotation the next answer carrying exactly one goal, keeping the goal.
    items = page.locator("article.review-item")
    item = next(items.nth(i) for i in range(items.count())
                if items.nth(i).locator("input[name=goals]:checked").count() == 1)
    quote = item.locator("blockquote").inner_text().strip()
    approved = item.locator("form").get_attribute("action")
    kept = checked_goals(item)
    item.locator("input[name=approve]").check()
    follow(item.locator("button.primary"))
    assert agreement_line(page).startswith("On the 2 answers reviewed so far:")
    assert "exactly the analyst's in 50%" in agreement_line(page)
    assert listed(page) == open_before - 2
    found["review after decisions (en)"] = axe_violations(page)
    follow(page.locator("nav.tabs a", has_text="Decided"))
    assert listed(page) == 2
    decided = page.locator("article.review-item", has=page.locator(f"form[action='{approved}']"))
    assert page.locator("article.review-item", has=page.locator(f"form[action='{corrected}']")).count() == 1
    assert decided.locator("input[name=approve]").is_checked()
    assert checked_goals(decided) == kept

    session.expire_all()
    reviews = session.exec(select(ThemeReview).order_by(ThemeReview.id)).all()
    assert len(reviews) == 2 and reviews[0].goals_after == [new_goal]
    approvals = session.exec(select(QuoteApproval)).all()
    assert [(a.response_id, a.question_id) for a in approvals] == [(reviews[1].response_id, reviews[1].question_id)]

    # The brief: the page, then its Word version through the button.
    follow(page.locator("nav.subnav a", has_text="Brief"))
    assert page.url == f"{workspace}/brief"
    shown = page.locator(".brief blockquote").all_inner_texts()
    assert shown and set(shown) == {f"“{quote}”"}  # the approved answer, and nothing else
    found["brief (en)"] = axe_violations(page)
    with page.expect_download() as info:
        page.locator("ul.exports button", has_text="Brief (Word)").click()
    download = info.value
    assert re.fullmatch(rf"{demo}-brief-\d{{4}}-\d\d-\d\d\.docx", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = Document(str(path))
    headings = {}
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            headings.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert headings["Heading 1"] == ["Key figures", "What respondents said, goal by goal",
                                     "Amplify: whose voices are in the data", "Methodology and limits"]
    assert headings["Heading 2"] == goal_titles  # a finding per goal, in the overview's order
    texts = [p.text for p in document.paragraphs]
    quoted = [i for i, p in enumerate(document.paragraphs) if p.style.name == "Quote"]
    assert quoted and all(texts[i].startswith(f"“{quote}”") for i in quoted)
    # The first time it is quoted, it is under the finding of the goal she kept.
    finding = next(t for t in reversed(texts[: quoted[0]]) if t in goal_titles)
    assert finding == page.locator(f"#brief-goal-{kept[0]}").inner_text()

    # The responses as CSV, through the button: one row per response in the database.
    with page.expect_download() as info:
        page.locator("ul.exports button", has_text="Responses (CSV)").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    session.expire_all()
    consultation = session.exec(select(Consultation).where(Consultation.slug == demo)).one()
    responses = session.exec(
        select(func.count()).select_from(Response).where(Response.consultation_id == consultation.id)
    ).one()
    assert len(rows) == responses == total
    raised: dict[str, set[str]] = {}
    for response_id, goals in session.exec(select(AnswerTheming.response_id, AnswerTheming.goals)).all():
        for goal in goals:
            raised.setdefault(goal, set()).add(response_id)
    assert {g: sum(int(r[f"goal_{g}"]) for r in rows) for g in raised} == {g: len(ids) for g, ids in raised.items()}

    # The six pages again in Arabic, right to left; then English again for this browser.
    urls = {"overview": f"{workspace}/", "goal": goal_url, "breakdown": f"{workspace}/breakdown",
            "amplify": f"{workspace}/amplify", "review": f"{workspace}/review", "brief": f"{workspace}/brief"}
    for name, url in urls.items():
        page.goto(f"{url}?lang=ar")
        assert page.locator("html").get_attribute("dir") == "rtl", name
        found[f"{name} (ar)"] = axe_violations(page)
    page.goto(f"{workspace}/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"

    problems = [f"{where}: {line}" for where, lines in found.items() for line in lines]
    assert not problems, "\n".join(problems)
