"""Retention: responses are deleted once their consultation's retention period is over.

A consultation's answers are kept for `retention_days` after it closes (its
`closes_on` date). Until a consultation has a closing date nothing of it expires.
Deleting a response deletes its answers and everything derived from them (themes,
reviews, approved quotes) by cascade; on SQLite, `secure_delete` overwrites the
freed bytes and a WAL checkpoint removes the old pages from the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select


def today() -> date:
    return datetime.now(UTC).date()


def retention_ends(consultation) -> date | None:
    """The first day on which the consultation's responses are deleted, or None."""
    if consultation.closes_on is None:
        return None
    return consultation.closes_on + timedelta(days=consultation.retention_days)


@dataclass(frozen=True)
class RetentionLine:
    slug: str
    state: str
    retention_days: int
    ends: date | None
    responses: int

    @property
    def due(self) -> bool:
        return self.ends is not None and self.ends <= today()


def retention_plan(db: Session) -> list[RetentionLine]:
    """Every consultation with its retention end and how many responses it holds."""
    from surveys.models import Consultation, Response

    counts = dict(
        db.exec(select(Response.consultation_id, func.count()).group_by(Response.consultation_id)).all()
    )
    lines = [
        RetentionLine(c.slug, c.state, c.retention_days, retention_ends(c), counts.get(c.id, 0))
        for c in db.exec(select(Consultation).order_by(Consultation.slug))
    ]
    return sorted(lines, key=lambda line: (line.ends is None, line.ends or date.max, line.slug))


def purge_expired(db: Session, on: date | None = None) -> dict[str, int]:
    """Delete the responses of every consultation whose retention has ended by `on`.

    :returns: slug -> number of responses deleted (only consultations with deletions).
    """
    from surveys.models import Consultation, Response

    on = on or today()
    deleted: dict[str, int] = {}
    for consultation in db.exec(select(Consultation).where(Consultation.closes_on.is_not(None))):
        ends = retention_ends(consultation)
        if ends is None or ends > on:
            continue
        result = db.exec(delete(Response).where(Response.consultation_id == consultation.id))
        if result.rowcount:
            deleted[consultation.slug] = result.rowcount
    db.flush()
    return deleted


def checkpoint(db_engine) -> None:
    """Move committed pages into the SQLite file and empty the WAL (no-op elsewhere).

    With `secure_delete` on, deleted text is overwritten in the file; the WAL would
    otherwise keep the old pages until the next automatic checkpoint.
    """
    if db_engine.dialect.name != "sqlite":
        return
    with db_engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
