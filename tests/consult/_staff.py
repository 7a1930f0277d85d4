"""Helpers for the staff account tests: CSRF tokens, form posts, and the clock in the database."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from consult.accounts.models import StaffSession, StaffUser, utcnow

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/staff/login") -> str:
    """The CSRF token of the client's session, read from a page's form as a browser would."""
    response = client.get(url)
    if response.status_code == 302:
        response = client.get("/staff/logout")
    match = TOKEN.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def submit(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """POST `data` to `url` with the token a browser would send (read from `page`)."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client, page or url))
    return client.post(url, data=data, **kwargs)


def sign_in(client, email: str, password: str, **kwargs):
    return submit(client, "/staff/login", {"email": email, "password": password, **kwargs}, page="/staff/login")


def text(response) -> str:
    return response.get_data(as_text=True)


def age_sessions(session, user_id: int, idle: timedelta = timedelta(0), age: timedelta = timedelta(0)) -> None:
    """Make a user's sessions look idle for `idle` and `age` old (instead of waiting)."""
    now = utcnow()
    for row in session.exec(select(StaffSession).where(StaffSession.user_id == user_id)).all():
        row.last_seen_at = now - idle
        row.created_at = now - max(age, idle)
        session.add(row)
    session.commit()


def user_by_email(session, email: str) -> StaffUser:
    session.expire_all()
    return session.exec(select(StaffUser).where(StaffUser.email == email)).one()
