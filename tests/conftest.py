"""Fixtures: an app per test on a fresh database (SQLite always, PostgreSQL when
TEST_DATABASE_URL is set), its client and CLI runner, and factories that return
real objects in that database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, SQLModel

from consult import create_app, db
from consult.settings import normalise_database_url

TEST_SECRET = "test-secret-key-not-for-production"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])

if os.environ.get("CI") and not POSTGRES_URL:
    raise pytest.UsageError("CI must run the suite against PostgreSQL: set TEST_DATABASE_URL.")


def make_app(url: str, **config):
    return create_app({"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "TESTING": True, **config})


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A migrated SQLite file, copied for every test (migrating each time is slower)."""
    path = tmp_path_factory.mktemp("template") / "consult.sqlite3"
    app = make_app(f"sqlite:///{path}")
    db.upgrade(app)
    app.extensions["consult.engine"].dispose()
    return str(path)


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    """A schema of this test worker's own in the PostgreSQL test database, migrated once."""
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    base = normalise_database_url(POSTGRES_URL)
    schema = f"consult_test_{worker_id}_{os.getpid()}"  # concurrent runs never share a schema
    engine = create_engine(base)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except Exception as error:  # noqa: BLE001 - a missing server must fail loudly in CI
        pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {type(error).__name__}")
    finally:
        engine.dispose()
    url = base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}"
    app = make_app(url)
    db.upgrade(app)
    app.extensions["consult.engine"].dispose()
    yield url
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    engine.dispose()


@pytest.fixture(scope="session")
def worker_id(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "consult.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()
    return url


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    yield app
    app.extensions["consult.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app) -> Iterator[Session]:
    """A database session for arranging and asserting, outside any request.

    No app context stays pushed: requests made meanwhile get their own, as in production.
    """
    with Session(app.extensions["consult.engine"], expire_on_commit=False) as s:
        yield s


@pytest.fixture
def demo(app):
    """The demo consultation, loaded through the same path as `consult demo`."""
    from surveys.demo import load_demo

    with app.app_context(), db.unit_of_work() as s:
        return load_demo(s).slug


@pytest.fixture
def make_consultation(app):
    """Create a consultation from a definition (surveys.services.create_consultation)."""
    from surveys.services import create_consultation

    def make(**overrides):
        definition = {
            "slug": "test-consultation",
            "state": "open",
            "default_language": "en",
            "languages": ["en", "fr"],
            "title": {"en": "Test consultation", "fr": "Consultation test"},
            "sections": [
                {
                    "title": {"en": "Questions", "fr": "Questions"},
                    "questions": [
                        {"key": "story", "type": "long_text", "label": {"en": "Your story", "fr": "Votre histoire"}},
                    ],
                }
            ],
        }
        definition.update(overrides)
        with app.app_context(), db.unit_of_work() as s:
            return create_consultation(s, definition).slug

    return make


# --- staff accounts (consult.accounts) ---------------------------------------------------

#: The password `make_user` and `login` give accounts unless told otherwise.
STAFF_PASSWORD = "Tamarind-kettle-47-orbit"


@pytest.fixture
def make_user(app):
    """Create an active staff account directly (no HTTP) and return it, detached.

    ``make_user(email="d@example.org", roles=("designer",), password=STAFF_PASSWORD)``;
    an existing address returns that account unchanged. To keep tests fast it switches
    the app to the "owasp-minimum" Argon2id profile (m=19 MiB, t=2, p=1: still at the
    OWASP/ASVS floor) for hashing and sign-in; tests of the default profile must not
    use this fixture.
    """
    from consult.accounts import services

    app.config["PASSWORD_HASHING"] = "owasp-minimum"

    def make(email: str = "staff@example.org", roles=("designer",), password: str = STAFF_PASSWORD):
        with app.app_context(), db.unit_of_work() as s:
            user = services.find_user(s, email) or services.create_user(
                s, email, roles, password, profile="owasp-minimum"
            )
            user.roles  # load the roles before the session closes  # noqa: B018
            return user

    return make


@pytest.fixture
def login(make_user):
    """Sign a test client in through the real sign-in form; returns the StaffUser.

    ``login(client, role="designer")``, ``login(client, roles=("designer", "analyst"))``,
    optionally ``email=`` (default: the roles joined, at example.org) and ``password=``.
    The account is created if it does not exist. Fails the test if sign-in fails.
    """
    import re

    def sign_in(client, role: str | None = None, roles=None, email: str | None = None,
                password: str = STAFF_PASSWORD):
        roles = tuple(roles or ((role,) if role else ()))
        if not roles:
            raise TypeError("login(client, role=...) needs a role or roles")
        email = email or "-".join(sorted(roles)) + "@example.org"
        user = make_user(email=email, roles=roles, password=password)
        page = client.get("/staff/login")
        if page.status_code == 302:  # signed in already: the sign-out page has a token too
            page = client.get("/staff/logout")
        page = page.get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post("/staff/login", data={"csrf_token": token, "email": email, "password": password})
        assert response.status_code == 302, f"sign-in as {email} failed ({response.status_code})"
        return user

    return sign_in
