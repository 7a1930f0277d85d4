"""Retention: `consult purge` deletes responses whose retention period is over, and
leaves no trace of their text in the database file."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select
from werkzeug.datastructures import MultiDict

from consult import db
from surveys.models import Consultation, Response
from surveys.services import new_form_token, read_form, submit_response
from tests.conftest import TEST_SECRET
from tests.privacy.test_no_metadata import stored_bytes

CANARY = "Retention canary Xylofrond was here"


def submit(app, slug: str, text: str = CANARY) -> None:
    with app.test_request_context(), db.unit_of_work() as session:
        consultation = session.exec(select(Consultation).where(Consultation.slug == slug)).one()
        reading = read_form(consultation, MultiDict({"q-story": text}))
        submit_response(session, consultation, "en", reading.answers, new_form_token(), TEST_SECRET)


def set_closing(session, slug: str, closes_on: date | None, retention_days: int) -> None:
    consultation = session.exec(select(Consultation).where(Consultation.slug == slug)).one()
    consultation.closes_on, consultation.retention_days = closes_on, retention_days
    session.add(consultation)
    session.commit()


def responses(session, slug: str) -> int:
    consultation = session.exec(select(Consultation).where(Consultation.slug == slug)).one()
    return len(session.exec(select(Response).where(Response.consultation_id == consultation.id)).all())


def test_purge_deletes_expired_responses_and_their_text(app, runner, session, make_consultation):
    expired = make_consultation(slug="expired")
    kept = make_consultation(slug="kept")
    for slug in (expired, kept):
        submit(app, slug)
    set_closing(session, expired, date.today() - timedelta(days=40), 30)
    set_closing(session, kept, date.today() - timedelta(days=10), 30)

    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0
    assert "expired: 1 responses" in result.output
    assert responses(session, expired) == 1

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "expired: 1 responses deleted" in result.output
    session.expire_all()
    assert responses(session, expired) == 0
    assert responses(session, kept) == 1
    # The kept consultation still holds the canary once; the purged copy is gone from the file.
    assert stored_bytes(app).count(CANARY.encode()) <= 1 or not app.config["DATABASE_URL"].startswith("sqlite")


def test_open_consultation_without_closing_date_never_expires(app, runner, session, make_consultation):
    slug = make_consultation(slug="ongoing")
    submit(app, slug, "An answer that stays")
    set_closing(session, slug, None, 1)
    result = runner.invoke(args=["purge"])
    assert "Nothing has passed its retention period." in result.output
    session.expire_all()
    assert responses(session, slug) == 1


def test_purged_text_is_not_in_the_sqlite_file(app, runner, session, make_consultation):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        return  # PostgreSQL: see README (autovacuum reclaims dead tuples)
    slug = make_consultation(slug="gone")
    submit(app, slug)
    set_closing(session, slug, date.today() - timedelta(days=5), 1)
    assert CANARY.encode() in stored_bytes(app)
    session.close()
    assert runner.invoke(args=["purge"]).exit_code == 0
    assert CANARY.encode() not in stored_bytes(app)


def test_admin_sees_what_will_be_purged_when(app, client, session, login, make_consultation):
    slug = make_consultation(slug="dated")
    submit(app, slug)
    set_closing(session, slug, date(2026, 1, 31), 365)
    assert client.get("/staff/retention").status_code in (302, 401)  # anonymous: sign in first
    login(client, role="designer")
    assert client.get("/staff/retention").status_code == 403
    login(client, role="admin")
    page = client.get("/staff/retention?lang=en").get_data(as_text=True)
    assert "dated" in page
    assert "January 31, 2027" in page
    assert "365 days" in page
