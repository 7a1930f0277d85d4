"""The audit log: what is recorded, what is refused, and who may read it."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from consult import db
from consult.accounts import record
from consult.accounts.models import AuditEntry
from tests.conftest import STAFF_PASSWORD
from tests.consult._staff import sign_in, submit, text, user_by_email


def entries(session, action=None):
    session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return session.exec(query).all()


def test_record_keeps_who_what_when_target_and_details(app, session, make_user):
    analyst = make_user(email="ana@example.org", roles=("analyst",))
    with app.test_request_context(), db.unit_of_work() as s:
        record(s, analyst, "theme.correct", "response:9f2c0a", {"before": ["sgbv"], "after": ["sgbv", "rights"]})
    entry = entries(session, "theme.correct")[0]
    assert entry.actor_id == analyst.id and entry.actor_email == "ana@example.org"
    assert entry.target == "response:9f2c0a"
    assert entry.details == {"before": ["sgbv"], "after": ["sgbv", "rights"]}
    assert entry.at.microsecond == 0 and entry.at.tzinfo is None  # UTC, to the second


@pytest.mark.parametrize("action, target, details", [
    ("Theme Correct", "response:1", None),
    ("theme.", "response:1", None),
    ("theme.correct", "x" * 201, None),
    ("theme.correct", "response:1", {"when": object()}),
    ("theme.correct", "response:1", {"text": "x" * 20_000}),
    ("theme.correct", "response:1", ["not", "a", "dict"]),
])
def test_record_refuses_malformed_entries_and_writes_nothing(app, session, action, target, details):
    with app.test_request_context(), db.unit_of_work() as s, pytest.raises(ValueError):
        record(s, None, action, target, details)
    assert entries(session) == []


def test_account_actions_are_recorded_without_secrets(app, client, session, login):
    admin = login(client, role="admin")
    response = submit(client, "/staff/admin/users/invite", {"email": "amal@example.org", "roles": "analyst"})
    link = re.search(r'/staff/password/([^"]+)"', text(response)).group(1)
    amal = user_by_email(session, "amal@example.org")
    page = f"/staff/admin/users/{amal.id}"
    submit(client, f"/staff/admin/users/{amal.id}/roles", {"roles": ["analyst", "designer"]}, page=page)
    submit(client, f"/staff/admin/users/{amal.id}/deactivate", page=page)
    sign_in(app.test_client(), admin.email, "Wrong-password-for-sure")
    submit(client, "/staff/logout")

    log = entries(session)
    actions = [(e.action, e.actor_email, e.target) for e in log]
    assert ("user.sign_in", admin.email, f"user:{admin.id}") in actions
    assert ("user.invite", admin.email, f"user:{amal.id}") in actions
    assert ("user.roles", admin.email, f"user:{amal.id}") in actions
    assert ("user.deactivate", admin.email, f"user:{amal.id}") in actions
    assert ("user.sign_in_failed", None, f"user:{admin.id}") in actions
    assert ("user.sign_out", admin.email, f"user:{admin.id}") in actions
    roles = next(e for e in log if e.action == "user.roles")
    assert roles.details == {"before": ["analyst"], "after": ["analyst", "designer"]}
    dump = repr([(e.target, e.details) for e in log])
    assert link not in dump and STAFF_PASSWORD not in dump and "Wrong-password" not in dump


def test_admins_read_the_log_newest_first_with_filters_and_pages(app, client, session, login, make_user):
    admin = login(client, role="admin")
    other = make_user(email="ana@example.org", roles=("analyst",))
    with app.test_request_context(), db.unit_of_work() as s:
        for n in range(60):
            record(s, other if n % 2 else None, "export.create", f"consultation:c{n:02d}", {"format": "csv"})
    page = text(client.get("/staff/admin/audit"))
    assert "63 entries" in page  # and the two accounts' creation and the admin's sign-in
    assert "Page 1 of 2" in page
    rows = page.split("<tbody>")[1]
    assert rows.count("<tr>") == 50
    assert rows.index("consultation:c59") < rows.index("consultation:c58") < rows.index("consultation:c10")
    assert "consultation:c09" not in rows and "user.sign_in" not in rows
    older = text(client.get("/staff/admin/audit?page=2")).split("<tbody>")[1]
    assert older.count("<tr>") == 13
    # then: ana's creation, the admin's sign-in, the admin's creation (the oldest)
    assert older.index("consultation:c00") < older.index("user.sign_in") < older.rindex("user.create")
    assert older.index("user.create") < older.index("user.sign_in")

    by_ana = text(client.get(f"/staff/admin/audit?actor={other.id}"))
    assert "30 entries" in by_ana
    assert "consultation:c59" in by_ana and "consultation:c58" not in by_ana
    signins = text(client.get("/staff/admin/audit?action=user.sign_in"))
    assert "1 entry" in signins and "consultation:" not in signins.split("<tbody>")[1]
    assert admin.email in signins
    assert client.get("/staff/admin/audit?page=banana&actor=x").status_code == 200


@pytest.mark.parametrize("roles", [("designer",), ("analyst",)])
def test_only_admins_read_the_log(client, login, roles):
    login(client, roles=roles)
    assert client.get("/staff/admin/audit").status_code == 403


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/staff/admin/audit")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


def test_respondents_leave_no_trace_in_the_audit_log(client, session, demo):
    assert client.get(f"/c/{demo}").status_code == 200
    assert entries(session) == []
