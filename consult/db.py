"""The database: engine per app, one session per request on `g`, migrations.

One commit per request: services only `flush()`; `commit_request()` runs after the
view has produced its response, so a failed commit turns into an error page instead
of a confirmation for something that was never stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """Create an engine with the settings this product relies on.

    SQLite: WAL so readers do not block the writer, ``synchronous=FULL`` so an
    acknowledged response survives power loss (see README, durability),
    ``secure_delete`` so withdrawn or purged text is overwritten, foreign keys on.
    Parameters are hidden from error messages so no answer text reaches a log.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 15},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, hide_parameters=True, pool_pre_ping=True, pool_size=5)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        "secure_delete=ON",
        "busy_timeout=15000",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def init_app(app: Flask) -> None:
    """Attach the engine and the per-request session lifecycle to the app."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    app.extensions["consult.engine"] = make_engine(url)
    app.teardown_appcontext(close_session)


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["consult.engine"]


def session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def commit_request() -> None:
    """Commit the request's unit of work, if one was opened, then run after-commit work."""
    db = g.get("db_session")
    if db is not None:
        db.commit()
    for callback in g.pop("after_commit", []):
        callback()


def after_commit(callback) -> None:
    """Run `callback` once the request's unit of work has been committed."""
    g.setdefault("after_commit", []).append(callback)


def close_session(exc: BaseException | None = None) -> None:
    db = g.pop("db_session", None)
    if db is not None:
        if exc is not None:
            db.rollback()
        db.close()


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """A session for CLI commands and jobs: commit on success, roll back on error."""
    with Session(engine(), expire_on_commit=False) as db:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


def upgrade(app: Flask, revision: str = "heads") -> None:
    """Bring the schema to `revision` with Alembic (never `create_all`).

    "heads": packages may add migration branches from a common base; all are applied.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with app.app_context(), engine().begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
