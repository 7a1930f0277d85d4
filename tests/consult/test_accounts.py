"""Staff sign-in, sessions, idle time-out, throttling, deactivation and roles, through the test client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Blueprint
from sqlmodel import select

from consult.accounts import role_required
from consult.accounts.models import LoginThrottle, StaffSession, utcnow
from consult.accounts.services import MAX_FAILED_LOGINS
from tests.conftest import STAFF_PASSWORD
from tests.consult._staff import TOKEN, age_sessions, csrf_token, sign_in, submit, text, user_by_email

GENERIC = "The e-mail address or password is not right."
PAUSED = "Too many failed attempts to sign in with this e-mail address."


def session_token(client) -> str | None:
    with client.session_transaction() as s:
        return s.get("staff_session")


# -- signing in -------------------------------------------------------------------------


def test_sign_in_opens_the_staff_home_page(client, make_user):
    make_user(email="nadia@example.org", roles=("designer", "analyst"))
    response = sign_in(client, "Nadia@Example.org ", STAFF_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    page = text(client.get("/staff/"))
    assert "You are signed in as nadia@example.org." in page
    assert "Designer" in page and "Analyst" in page


@pytest.mark.parametrize("email, password", [
    ("nadia@example.org", "Wrong-password-but-long"),
    ("nobody@example.org", STAFF_PASSWORD),
    ("not an address", STAFF_PASSWORD),
])
def test_failed_sign_in_gets_one_generic_message_and_keeps_the_address(client, make_user, email, password):
    make_user(email="nadia@example.org")
    response = sign_in(client, email, password)
    page = text(response)
    assert response.status_code == 401
    assert GENERIC in page
    assert f'value="{email}"' in page  # what was typed is kept (not the password)
    assert password not in page
    assert session_token(client) is None


def test_empty_fields_are_named(client):
    response = sign_in(client, "", "")
    assert response.status_code == 400
    page = text(response)
    assert '<a href="#email">Enter your e-mail address.</a>' in page
    assert '<a href="#password">Enter your password.</a>' in page
    assert 'aria-invalid="true"' in page


def test_sign_in_without_a_form_token_is_refused_but_keeps_the_address(client, make_user):
    make_user(email="nadia@example.org")
    response = client.post("/staff/login", data={"email": "nadia@example.org", "password": STAFF_PASSWORD})
    assert response.status_code == 400
    assert "This form had expired" in text(response)
    assert 'value="nadia@example.org"' in text(response)
    assert session_token(client) is None


def test_session_identifier_is_new_at_each_sign_in(client, app, session, make_user):
    make_user(email="nadia@example.org")
    csrf_token(client)  # an anonymous session exists before signing in
    planted = client.get_cookie("session").value
    sign_in(client, "nadia@example.org", STAFF_PASSWORD)
    first = session_token(client)
    assert first and client.get_cookie("session").value != planted

    sign_in(client, "nadia@example.org", STAFF_PASSWORD)
    second = session_token(client)
    assert second and second != first
    assert len(session.exec(select(StaffSession)).all()) == 1  # the first one ended

    # The cookie from before sign-in does not carry the session (no fixation).
    other = app.test_client()
    other.set_cookie("session", planted)
    assert other.get("/staff/").status_code == 302


def test_staff_pages_send_visitors_to_sign_in_and_back(client, make_user):
    make_user(email="ana@example.org", roles=("admin",))
    response = client.get("/staff/admin/audit?action=user.create")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/login?next=/staff/admin/audit?action%3Duser.create"
    login_page = client.get(response.headers["Location"])
    assert 'name="next" value="/staff/admin/audit?action=user.create"' in text(login_page)
    response = sign_in(client, "ana@example.org", STAFF_PASSWORD, next="/staff/admin/audit?action=user.create")
    assert response.headers["Location"] == "/staff/admin/audit?action=user.create"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(client, make_user, target):
    make_user(email="nadia@example.org")
    response = sign_in(client, "nadia@example.org", STAFF_PASSWORD, next=target)
    assert response.headers["Location"] == "/staff/"


# -- signing out ----------------------------------------------------------------------------


def test_sign_out_is_a_post_that_ends_the_session_everywhere(client, app, login):
    login(client, role="designer")
    stolen = app.test_client()
    stolen.set_cookie("session", client.get_cookie("session").value)
    assert stolen.get("/staff/").status_code == 200

    page = client.get("/staff/logout")  # GET only shows the button
    assert page.status_code == 200
    assert client.get("/staff/").status_code == 200

    response = submit(client, "/staff/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    assert "You are signed out." in text(client.get("/staff/login"))
    assert client.get("/staff/").status_code == 302
    assert stolen.get("/staff/").status_code == 302  # the copied cookie is worthless now


def test_sign_out_without_the_form_token_changes_nothing(client, login):
    login(client, role="designer")
    response = client.post("/staff/logout")
    assert response.status_code == 400
    assert client.get("/staff/").status_code == 200


# -- idle time-out ----------------------------------------------------------------------------


def test_idle_session_goes_to_sign_in_with_a_notice_then_back_to_the_page(client, session, login):
    user = login(client, role="admin")
    age_sessions(session, user.id, idle=timedelta(minutes=31))
    response = client.get("/staff/admin/users?sort=email")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=/staff/admin/users")
    page = text(client.get(response.headers["Location"]))
    assert "You were signed out after 30 minutes without activity." in page
    assert session.exec(select(StaffSession).where(StaffSession.user_id == user.id)).first() is None

    response = sign_in(client, user.email, STAFF_PASSWORD, next="/staff/admin/users?sort=email")
    assert response.headers["Location"] == "/staff/admin/users?sort=email"
    assert client.get("/staff/admin/users?sort=email").status_code == 200


def test_activity_keeps_the_session_open(client, session, login):
    user = login(client, role="admin")
    age_sessions(session, user.id, idle=timedelta(minutes=29))
    assert client.get("/staff/admin/users").status_code == 200
    session.expire_all()
    row = session.exec(select(StaffSession).where(StaffSession.user_id == user.id)).one()
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)


def test_idle_minutes_follow_the_setting(app, client, session, login):
    app.config["STAFF_IDLE_MINUTES"] = 5
    user = login(client, role="designer")
    age_sessions(session, user.id, idle=timedelta(minutes=6))
    assert client.get("/staff/").status_code == 302
    assert "after 5 minutes" in text(client.get("/staff/login"))


def test_sessions_end_after_the_longest_lifetime_even_when_active(client, session, login):
    user = login(client, role="designer")
    age_sessions(session, user.id, idle=timedelta(minutes=1), age=timedelta(hours=13))
    assert client.get("/staff/").status_code == 302


def test_a_form_sent_after_the_time_out_is_kept_through_sign_in(client, session, login):
    admin = login(client, role="admin")
    token = csrf_token(client, "/staff/admin/users/invite")
    age_sessions(session, admin.id, idle=timedelta(hours=1))
    response = client.post("/staff/admin/users/invite", data={
        "csrf_token": token, "email": "new.colleague@example.org", "roles": ["designer", "analyst"],
    })
    assert response.status_code == 401
    page = text(response)
    assert "What you were sending has been kept" in page
    assert 'name="carry:email" value="new.colleague@example.org"' in page
    assert 'name="carry:roles" value="analyst"' in page
    assert "carry:csrf_token" not in page
    assert user_by_email(session, admin.email) and "new.colleague" not in str(
        session.exec(select(LoginThrottle)).all())

    login_token = csrf_token(client)
    response = client.post("/staff/login", data={
        "csrf_token": login_token, "email": admin.email, "password": STAFF_PASSWORD,
        "next": "/staff/admin/users/invite",
        "carry:email": "new.colleague@example.org", "carry:roles": ["designer", "analyst"],
    })
    assert response.status_code == 200
    resume = text(response)
    assert "Send what you were sending?" in resume
    assert 'action="/staff/admin/users/invite"' in resume
    assert 'name="email" value="new.colleague@example.org"' in resume

    # "Send it": the browser posts the resume form as it is, with the new session's token.
    token = TOKEN.search(resume).group(1)
    response = client.post("/staff/admin/users/invite", data={
        "csrf_token": token, "email": "new.colleague@example.org", "roles": ["designer", "analyst"],
    })
    assert response.status_code == 200
    assert "Link to set a password" in text(response)
    invited = user_by_email(session, "new.colleague@example.org")
    assert invited.roles == {"designer", "analyst"}


def test_a_forged_form_after_the_time_out_is_not_carried(client, session, login):
    admin = login(client, role="admin")
    age_sessions(session, admin.id, idle=timedelta(hours=1))
    response = client.post("/staff/admin/users/invite", data={"email": "attacker@example.org", "roles": "admin"})
    assert response.status_code == 302
    assert "attacker" not in text(client.get(response.headers["Location"]))


def test_password_fields_are_never_carried(client, session, login):
    user = login(client, role="designer")
    token = csrf_token(client, "/staff/account")
    age_sessions(session, user.id, idle=timedelta(hours=1))
    response = client.post("/staff/account", data={
        "csrf_token": token, "current_password": STAFF_PASSWORD,
        "password": "Another-long-passphrase-9", "password_again": "Another-long-passphrase-9",
    })
    assert response.status_code == 401
    page = text(response)
    assert STAFF_PASSWORD not in page and "Another-long-passphrase-9" not in page


# -- throttling --------------------------------------------------------------------------------


def test_sign_in_pauses_after_repeated_failures_even_for_the_right_password(client, session, make_user):
    make_user(email="nadia@example.org")
    for attempt in range(1, MAX_FAILED_LOGINS):
        response = sign_in(client, "nadia@example.org", f"Wrong-password-{attempt:04d}")
        assert GENERIC in text(response) and PAUSED not in text(response)
    response = sign_in(client, "nadia@example.org", "Wrong-password-last")
    assert PAUSED in text(response)

    response = sign_in(client, "nadia@example.org", STAFF_PASSWORD)
    assert response.status_code == 401
    assert PAUSED in text(response)
    assert session_token(client) is None

    # The count lives in the database, keyed without the address or any network address.
    rows = session.exec(select(LoginThrottle)).all()
    assert len(rows) == 1 and rows[0].failures == MAX_FAILED_LOGINS
    assert "nadia" not in rows[0].key_hash
    assert timedelta(minutes=14) < rows[0].locked_until - utcnow() <= timedelta(minutes=15)

    # When the pause is over, the right password works and the count is cleared.
    rows[0].locked_until = utcnow() - timedelta(seconds=1)
    session.add(rows[0])
    session.commit()
    assert sign_in(client, "nadia@example.org", STAFF_PASSWORD).status_code == 302
    session.expire_all()
    assert session.exec(select(LoginThrottle)).all() == []


def test_throttling_looks_the_same_for_an_address_without_account(client, make_user):
    for attempt in range(MAX_FAILED_LOGINS):
        response = sign_in(client, "nobody@example.org", f"Wrong-password-{attempt:04d}")
    assert PAUSED in text(response)


def test_each_further_failure_after_a_pause_doubles_it(client, session, make_user):
    make_user(email="nadia@example.org")
    for attempt in range(MAX_FAILED_LOGINS):
        sign_in(client, "nadia@example.org", f"Wrong-password-{attempt:04d}")
    row = session.exec(select(LoginThrottle)).one()
    row.locked_until = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    sign_in(client, "nadia@example.org", "Wrong-password-again")
    session.expire_all()
    row = session.exec(select(LoginThrottle)).one()
    assert timedelta(minutes=29) < row.locked_until - utcnow() <= timedelta(minutes=30)


def test_other_accounts_are_not_paused(client, make_user):
    make_user(email="nadia@example.org")
    make_user(email="ana@example.org")
    for attempt in range(MAX_FAILED_LOGINS):
        sign_in(client, "nadia@example.org", f"Wrong-password-{attempt:04d}")
    assert sign_in(client, "ana@example.org", STAFF_PASSWORD).status_code == 302


# -- deactivation ---------------------------------------------------------------------------------


def test_deactivated_staff_are_signed_out_and_cannot_sign_in(app, client, session, login):
    admin_client, staff_client = client, app.test_client()
    login(admin_client, role="admin")
    designer = login(staff_client, role="designer")
    assert staff_client.get("/staff/").status_code == 200

    response = submit(admin_client, f"/staff/admin/users/{designer.id}/deactivate",
                      page=f"/staff/admin/users/{designer.id}")
    assert response.status_code == 302
    assert "is deactivated and signed out everywhere" in text(admin_client.get(response.headers["Location"]))

    assert staff_client.get("/staff/").status_code == 302
    response = sign_in(staff_client, designer.email, STAFF_PASSWORD)
    assert response.status_code == 401 and GENERIC in text(response)
    assert session.exec(select(StaffSession).where(StaffSession.user_id == designer.id)).all() == []

    submit(admin_client, f"/staff/admin/users/{designer.id}/reactivate", page=f"/staff/admin/users/{designer.id}")
    assert sign_in(staff_client, designer.email, STAFF_PASSWORD).status_code == 302


def test_admins_cannot_lock_themselves_or_everyone_out(client, session, login):
    admin = login(client, role="admin")
    page = f"/staff/admin/users/{admin.id}"
    response = submit(client, f"/staff/admin/users/{admin.id}/deactivate", page=page)
    assert response.status_code == 400
    assert "You cannot deactivate your own account." in text(response)

    response = submit(client, f"/staff/admin/users/{admin.id}/roles", {"roles": "designer"}, page=page)
    assert response.status_code == 400
    assert "At least one active admin must remain." in text(response)
    assert 'value="designer" checked' in text(response)  # the choice made is shown again
    assert user_by_email(session, admin.email).roles == {"admin"}


def test_admin_can_sign_someone_out_everywhere(app, client, login):
    other = app.test_client()
    login(client, role="admin")
    analyst = login(other, role="analyst")
    response = submit(client, f"/staff/admin/users/{analyst.id}/sign-out", page=f"/staff/admin/users/{analyst.id}")
    assert "1 session ended." in text(client.get(response.headers["Location"]))
    assert other.get("/staff/").status_code == 302


# -- roles -------------------------------------------------------------------------------------------


ADMIN_PAGES = ["/staff/admin/users", "/staff/admin/users/invite", "/staff/admin/audit"]


@pytest.mark.parametrize("roles", [("designer",), ("analyst",), ("designer", "analyst")])
def test_admin_pages_are_forbidden_without_the_admin_role(client, login, roles):
    login(client, roles=roles)
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Your account does not give access to this page." in text(response)
    response = submit(client, "/staff/admin/users/invite", {"email": "x@example.org", "roles": "admin"},
                      page="/staff/account")
    assert response.status_code == 403


def test_the_forbidden_page_is_translated(client, login):
    login(client, role="designer")
    response = client.get("/staff/admin/users?lang=fr")
    assert response.status_code == 403
    assert "Votre compte ne donne pas accès à cette page." in text(response)
    assert '<html lang="fr"' in text(response)


def test_admin_pages_open_for_admins(client, login):
    login(client, role="admin")
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url


def test_navigation_shows_only_what_the_role_may_open(client, login):
    login(client, role="designer")
    page = text(client.get("/staff/"))
    assert 'href="/staff/account"' in page and 'href="/staff/logout"' in page
    assert 'href="/staff/admin/users"' not in page and 'href="/staff/admin/audit"' not in page
    login(client, role="admin")
    page = text(client.get("/staff/"))
    assert 'href="/staff/admin/users"' in page and 'href="/staff/admin/audit"' in page


@pytest.fixture
def guarded(app):
    """Pages of a made-up package, guarded the way every package guards its own."""
    bp = Blueprint("guarded", __name__)

    @bp.route("/test/design")
    @role_required("designer")
    def design():
        return "design workspace"

    @bp.route("/test/analyse")
    @role_required("analyst")
    def analyse():
        return "analyst workspace"

    @bp.route("/test/either")
    @role_required("designer", "analyst")
    def either():
        return "either workspace"

    app.register_blueprint(bp)
    return app


@pytest.mark.parametrize("roles, allowed", [
    (("designer",), {"/test/design", "/test/either"}),
    (("analyst",), {"/test/analyse", "/test/either"}),
    (("admin",), set()),  # admin implies no other role
    (("admin", "analyst"), {"/test/analyse", "/test/either"}),
])
def test_role_required_lets_in_exactly_the_holders(guarded, client, login, roles, allowed):
    login(client, roles=roles)
    for url in ("/test/design", "/test/analyse", "/test/either"):
        assert client.get(url).status_code == (200 if url in allowed else 403), url


def test_role_required_sends_visitors_to_sign_in(guarded, client):
    response = client.get("/test/design")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/login?next=/test/design"


def test_role_required_refuses_unknown_roles():
    with pytest.raises(ValueError, match="role_required"):
        role_required("superuser")


def test_role_changes_apply_at_the_next_request(app, client, login):
    other = app.test_client()
    login(client, role="admin")
    designer = login(other, role="designer")
    assert other.get("/staff/admin/users").status_code == 403
    submit(client, f"/staff/admin/users/{designer.id}/roles", {"roles": ["designer", "admin"]},
           page=f"/staff/admin/users/{designer.id}")
    assert other.get("/staff/admin/users").status_code == 200


def test_respondent_pages_need_no_account(client, demo):
    assert client.get(f"/c/{demo}").status_code == 200


def test_abandoned_sessions_are_cleared_at_the_next_sign_in(app, client, session, login):
    first = login(client, role="designer")
    age_sessions(session, first.id, idle=timedelta(hours=2))
    login(app.test_client(), role="analyst")
    session.expire_all()
    assert session.exec(select(StaffSession).where(StaffSession.user_id == first.id)).all() == []


@pytest.mark.parametrize("language, direction", [("fr", "ltr"), ("es", "ltr"), ("ar", "rtl")])
def test_staff_pages_follow_the_chosen_language(client, login, language, direction):
    login(client, role="admin")
    for url in ("/staff/login", "/staff/admin/users", "/staff/admin/audit"):
        page = text(client.get(f"{url}?lang={language}", follow_redirects=True))
        assert f'<html lang="{language}" dir="{direction}">' in page, url
