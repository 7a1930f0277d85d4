"""Helpers for the analyst workspace tests: the demo with synthetic responses themed by an
oracle (fast, no model training), crafted consultations, HTML table parsing, CSRF posts.

The oracle knows which goal each synthetic sentence was written for (surveys.synthetic),
so the themes are right by construction and the tests are about the workspace, not
about the model; scores are drawn so that some answers are low-confidence or near ties.
"""

from __future__ import annotations

import random
import re
import shutil
from html.parser import HTMLParser

import pytest
from sqlmodel import Session, select

from analysis.models import AnswerTheming
from analysis.services import confidence
from consult import db
from surveys.models import Answer, Question, Response

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DEMO_RESPONSES = 160
ORACLE_MODEL = "test/oracle"


def oracle_goals(text: str, language: str) -> list[str]:
    """The goals whose synthetic sentences `text` contains."""
    from surveys.synthetic import SENTENCES

    found = []
    for goal, by_language in SENTENCES.items():
        if any(sentence.rstrip(".") in text for sentence in by_language.get(language, ())):
            found.append(goal)
    return found


def theme_with_oracle(session: Session, consultation_id: int, seed: int = 3) -> int:
    """Store an AnswerTheming for every free-text answer of a consultation; returns how many."""
    from analysis.theming import sentiment

    rng = random.Random(seed)
    rows = session.exec(
        select(Answer.response_id, Answer.question_id, Answer.value, Response.language)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Response.consultation_id == consultation_id, Question.type.in_(("short_text", "long_text")))
        .order_by(Answer.response_id, Answer.question_id)
    ).all()
    goal_ids = ("participation", "sgbv", "rights", "humanitarian", "peace_ops")
    done = set(session.exec(select(AnswerTheming.response_id, AnswerTheming.question_id)).all())
    rows = [row for row in rows if (row[0], row[1]) not in done]
    for response_id, question_id, value, language in rows:
        goals = oracle_goals(value, language)
        scores = {}
        for goal in goal_ids:
            if goal in goals:
                scores[goal] = round(rng.uniform(0.52, 0.97), 4)
            else:
                scores[goal] = round(rng.uniform(0.02, 0.49), 4)
        session.add(
            AnswerTheming(
                response_id=response_id,
                question_id=question_id,
                consultation_id=consultation_id,
                lang=language,
                goals=goals,
                scores=scores,
                explanation={g: ["oracle"] for g in goals},
                sentiment=sentiment(value, language),
                confidence=confidence(scores),
                model_version=ORACLE_MODEL,
                source="auto",
            )
        )
    session.flush()
    return len(rows)


def populate_demo(app, responses: int = DEMO_RESPONSES, seed: int = 11) -> None:
    """The demo consultation with synthetic responses, themed by the oracle."""
    from surveys.demo import load_demo
    from surveys.synthetic import add_synthetic_responses

    with app.app_context():
        with db.unit_of_work() as session:
            consultation = load_demo(session)
            for _receipt in add_synthetic_responses(session, consultation, responses, app.secret_key, seed):
                pass
        with db.unit_of_work() as session:
            consultation = load_demo(session)
            theme_with_oracle(session, consultation.id)


def demo_app(request, database_url: str, tmp_path, make_app):
    """An app on a database holding the themed demo, prepared once per test worker: a copy
    of a SQLite file, or (PostgreSQL) the rows of a schema of its own copied in."""
    if database_url.startswith("sqlite"):
        template = request.getfixturevalue("themed_demo_template")
        path = tmp_path / "workspace.sqlite3"
        shutil.copy(template, path)
        return make_app(f"sqlite:///{path}")
    source = request.getfixturevalue("themed_demo_schema")
    copy_schema(source, database_url)
    return make_app(database_url)


def copy_schema(source: str, database_url: str) -> None:
    """Copy every table's rows from schema `source` into the (empty) test schema."""
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            for table in SQLModel.metadata.sorted_tables:
                connection.exec_driver_sql(f"INSERT INTO {table.name} SELECT * FROM {source}.{table.name}")
                if "id" in table.c and table.c.id.type.python_type is int:
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false) "
                        f"WHERE pg_get_serial_sequence('{table.name}', 'id') IS NOT NULL"
                    )
    finally:
        engine.dispose()


class Tables(HTMLParser):
    """Every <table> of a page: id, and rows of (data-key, [(class, text)...])."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[tuple[str | None, list[tuple[str, str]]]]] = {}
        self.cells: list[tuple[str, str]] = []  # every td with class "n": (class, text)
        self._table: str | None = None
        self._row: list | None = None
        self._key: str | None = None
        self._cell: list | None = None
        self._class = ""
        self._count = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._count += 1
            self._table = attrs.get("id") or f"table-{self._count}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row, self._key = [], attrs.get("data-key")
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._class = [], attrs.get("class") or ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = " ".join("".join(self._cell).split())
            self._row.append((self._class, text))
            if "n" in self._class.split():
                self.cells.append((self._class, text))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append((self._key, self._row))
            self._row = None
        elif tag == "table":
            self._table = None

    def row(self, table: str, key: str) -> list[tuple[str, str]]:
        """The cells of the row with `data-key` = key."""
        for row_key, cells in self.tables[table]:
            if row_key == key:
                return cells
        raise KeyError(f"{table}: no row {key!r}")

    def count(self, table: str, key: str, column: int = 1) -> int | None:
        """The number in a row's cell (None when suppressed)."""
        css, text = self.row(table, key)[column]
        if "suppressed" in css:
            return None
        return int(text.split()[0])


def small_counts(cells, k: int) -> list[str]:
    """The published respondent counts between 1 and k-1 (there must be none)."""
    bad = []
    for css, text in cells:
        if "suppressed" in css:
            continue
        number = re.match(r"\d+", text)
        if number and 0 < int(number.group()) < k:
            bad.append(text)
    return bad


def post(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """POST with the CSRF token a browser would send, read from `page` (default: `url`'s page)."""
    from werkzeug.datastructures import MultiDict

    token = getattr(client, "_csrf_token", None)  # one per session: read it once
    if token is None:
        source = client.get(page or url)
        match = TOKEN.search(source.get_data(as_text=True))
        assert match, f"no CSRF token on {page or url}"
        token = client._csrf_token = match.group(1)
    form = MultiDict(data or {})
    form["csrf_token"] = token
    return client.post(url, data=form, **kwargs)


# -- fixtures (imported by the test modules that use them) ---------------------------------------


@pytest.fixture(scope="session")
def themed_demo_template(tmp_path_factory, sqlite_template) -> str:
    """A migrated SQLite file holding the themed demo, built once per test worker."""
    from tests.conftest import make_app

    path = tmp_path_factory.mktemp("workspace") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    populate_demo(app)
    app.extensions["consult.engine"].dispose()
    return str(path)


@pytest.fixture(scope="session")
def themed_demo_schema(worker_id) -> str:
    """A PostgreSQL schema holding the themed demo, built once per test worker."""
    from sqlalchemy import create_engine

    from consult.settings import normalise_database_url
    from tests.conftest import POSTGRES_URL, make_app

    base = normalise_database_url(POSTGRES_URL)
    schema = f"consult_ws_{worker_id}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    app = make_app(base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}")
    db.upgrade(app)
    populate_demo(app)
    app.extensions["consult.engine"].dispose()
    return schema


# -- crafted datasets for the pure functions ---------------------------------------------------------

GOALS = ("participation", "sgbv", "rights", "humanitarian", "peace_ops")


def make_dataset(people, k: int = 10, languages=("en", "fr", "es", "ar")):
    """A Dataset from plain descriptions: each person a dict with ``lang``, optional
    ``region`` (single choice), ``identity`` (list), ``texts``: [(question, text, goals,
    sentiment, extra)] where extra is a dict of Text fields (scores, approved...)."""
    from datetime import date

    from analysis.dataset import Dataset, Demographic, FreeTextQuestion, Respondent, Text

    regions = Demographic(
        "region", {"en": "Region"}, False,
        tuple((key, {"en": key.replace("_", " ").title()}) for key in ("canada", "west_africa", "mena", "pacific")),
    )
    identity = Demographic(
        "identity", {"en": "Identity"}, True,
        tuple((key, {"en": key.title()}) for key in ("youth", "rural", "disability")),
    )
    questions = (FreeTextQuestion(1, "story", {"en": "Story"}), FreeTextQuestion(2, "message", {"en": "Message"}))
    respondents, texts = [], []
    for number, person in enumerate(people):
        rid = f"r{number:04d}"
        groups = {
            "region": (person["region"],) if person.get("region") else (),
            "identity": tuple(person.get("identity", ())),
        }
        answered = set()
        for question, text, goals, sentiment, *extra in person.get("texts", ()):
            answered.add(question)
            fields = dict(extra[0]) if extra else {}
            scores = fields.pop("scores", {g: (0.8 if g in goals else 0.1) for g in GOALS})
            texts.append(
                Text(rid, 1 if question == "story" else 2, question, text, person["lang"], themed=True,
                     goals=tuple(goals), scores=scores, sentiment=sentiment,
                     confidence=fields.pop("confidence", 0.6), **fields)
            )
        respondents.append(
            Respondent(rid, person["lang"], date(2026, 3, 1), groups,
                       shown=frozenset(person.get("shown", {"story", "message"})), answered=frozenset(answered))
        )
    return Dataset(
        slug="crafted", title={"en": "Crafted"}, default_language="en", languages=tuple(languages), k=k,
        goal_ids=GOALS, demographics=(regions, identity), questions=questions,
        respondents=tuple(respondents), texts=tuple(texts),
    )
