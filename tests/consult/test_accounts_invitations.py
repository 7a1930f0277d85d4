"""Invitations and password links end to end, and the password policy as staff meet it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import gettext
from sqlalchemy import text as sql
from sqlmodel import select

from consult.accounts.models import PasswordLink, utcnow
from tests.conftest import STAFF_PASSWORD
from tests.consult._staff import sign_in, submit, text, user_by_email

NEW_PASSWORD = "Lantern-moss-river-1984"
LINK = re.compile(r'id="link" value="http://localhost(/staff/password/[^"]+)"')


def invite(client, email="amal@example.org", roles=("analyst",)):
    response = submit(client, "/staff/admin/users/invite", {"email": email, "roles": list(roles)})
    assert response.status_code == 200, text(response)
    return LINK.search(text(response)).group(1)


def choose_password(client, link, password, again=None):
    return submit(client, link, {"password": password, "password_again": again or password})


def test_invitation_end_to_end(app, client, session, login):
    login(client, role="admin")
    link = invite(client, "Amal@Example.org", ("analyst", "designer"))
    invited = user_by_email(session, "amal@example.org")
    assert invited.status == "invited" and invited.password_hash is None
    assert invited.roles == {"analyst", "designer"}
    assert "Invited" in text(client.get("/staff/admin/users"))

    # The token is nowhere in the database: only its hash is kept.
    token = link.rsplit("/", 1)[1]
    for table in ("staff_password_link", "audit_entry", "staff_user"):
        dump = str(session.exec(sql(f"SELECT * FROM {table}")).all())
        assert token not in dump, table

    # An invited account cannot sign in before choosing a password.
    invitee = app.test_client()
    assert sign_in(invitee, "amal@example.org", NEW_PASSWORD).status_code == 401

    page = invitee.get(link)
    assert page.status_code == 200
    assert "For the staff account amal@example.org." in text(page)
    response = choose_password(invitee, link, NEW_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    assert "Your password is set. You can sign in now." in text(invitee.get("/staff/login"))
    assert sign_in(invitee, "amal@example.org", NEW_PASSWORD).status_code == 302
    assert user_by_email(session, "amal@example.org").status == "active"

    # Single use.
    other = app.test_client()
    response = other.get(link)
    assert response.status_code == 410
    assert "This link cannot be used" in text(response)
    response = other.post(link, data={"password": "Some-other-passphrase-2", "password_again": "Some-other-passphrase-2"})
    assert response.status_code == 410


def test_expired_invitation_is_refused(app, client, session, login):
    login(client, role="admin")
    link = invite(client)
    for row in session.exec(select(PasswordLink)).all():
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    session.commit()
    invitee = app.test_client()
    assert invitee.get(link).status_code == 410
    assert "it has expired or has been used already" in text(invitee.get(link))


def test_a_new_link_replaces_the_old_one(app, client, session, login):
    login(client, role="admin")
    first = invite(client)
    user = user_by_email(session, "amal@example.org")
    response = submit(client, f"/staff/admin/users/{user.id}/link", page=f"/staff/admin/users/{user.id}")
    second = LINK.search(text(response)).group(1)
    assert second != first
    invitee = app.test_client()
    assert invitee.get(first).status_code == 410
    assert invitee.get(second).status_code == 200


def test_invitations_need_a_valid_new_address_and_a_role(client, make_user, login):
    login(client, role="admin")
    make_user(email="taken@example.org")
    cases = [
        ({"email": "not-an-address", "roles": "analyst"}, "Enter an e-mail address like name@example.org."),
        ({"email": "Taken@example.org", "roles": "analyst"}, "There is already an account with this e-mail address."),
        ({"email": "amal@example.org"}, "Choose at least one role."),
        ({"email": "amal@example.org", "roles": "owner"}, "Unknown role: owner."),
    ]
    for data, message in cases:
        response = submit(client, "/staff/admin/users/invite", data)
        assert response.status_code == 400, data
        page = text(response)
        assert message in page
        assert f'value="{data["email"]}"' in page  # nothing typed is lost


def test_reset_link_keeps_the_old_password_until_used_then_signs_out_everywhere(app, client, session, login):
    login(client, role="admin")
    staff = app.test_client()
    analyst = login(staff, role="analyst")
    response = submit(client, f"/staff/admin/users/{analyst.id}/link", page=f"/staff/admin/users/{analyst.id}")
    link = LINK.search(text(response)).group(1)
    assert staff.get("/staff/").status_code == 200  # still signed in with the old password

    response = choose_password(app.test_client(), link, NEW_PASSWORD)
    assert response.status_code == 302
    assert staff.get("/staff/").status_code == 302  # the reset ended the old sessions
    assert sign_in(app.test_client(), analyst.email, STAFF_PASSWORD).status_code == 401
    assert sign_in(app.test_client(), analyst.email, NEW_PASSWORD).status_code == 302


def test_changing_ones_password_needs_the_current_one_and_signs_out_other_sessions(app, client, login):
    user = login(client, role="designer")
    elsewhere = app.test_client()
    login(elsewhere, role="designer")
    response = submit(client, "/staff/account", {
        "current_password": "Not-my-password-at-all", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
    })
    assert response.status_code == 400
    assert "Your current password is not right." in text(response)

    response = submit(client, "/staff/account", {
        "current_password": STAFF_PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert "1 other session was signed out." in text(client.get("/staff/account"))
    assert client.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").status_code == 302
    assert sign_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


# -- the password policy, as the person choosing a password meets it ---------------------------


POLICY = [
    ("short", "Tiny-pass-1", "Use at least %(min)s characters.", {"min": 12}),
    ("long", "x7-" * 43, "Use at most %(max)s characters (this one has %(count)s).", {"max": 128, "count": 129}),
    ("common", "Password2024!", "This password is too common or too easy to guess. "
     "Please choose another, for example several unrelated words.", {}),
    ("leet", "P@ssw0rd-2024", "This password is too common or too easy to guess. "
     "Please choose another, for example several unrelated words.", {}),
    ("sequence", "qwertyuiop123", "This password is too common or too easy to guess. "
     "Please choose another, for example several unrelated words.", {}),
]


@pytest.fixture
def invitation(client, login):
    login(client, role="admin")
    return invite(client)


@pytest.mark.parametrize("case, password, message, values", POLICY, ids=[c[0] for c in POLICY])
def test_weak_passwords_are_refused_with_a_reason(app, invitation, case, password, message, values):
    invitee = app.test_client()
    response = choose_password(invitee, invitation, password)
    assert response.status_code == 400
    page = text(response)
    assert message % values in page
    assert 'aria-invalid="true"' in page and '<a href="#password">' in page
    assert password not in page
    assert invitee.get(invitation).status_code == 200  # the link is not spent by a refusal


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
@pytest.mark.parametrize("case, password, message, values", POLICY[:3], ids=[c[0] for c in POLICY[:3]])
def test_password_refusals_are_translated(app, invitation, language, case, password, message, values):
    invitee = app.test_client()
    response = submit(invitee, f"{invitation}?lang={language}",
                      {"password": password, "password_again": password}, page=f"{invitation}?lang={language}")
    page = text(response)
    assert f'<html lang="{language}"' in page
    with app.test_request_context(f"/?lang={language}"):
        expected = gettext(message, **values)
    assert str(expected) in page.replace("&#39;", "'")


def test_mismatched_confirmation_is_refused(app, invitation):
    response = choose_password(app.test_client(), invitation, NEW_PASSWORD, "Lantern-moss-river-1985")
    assert response.status_code == 400
    assert "The two passwords are not the same." in text(response)


def test_long_unicode_passphrases_are_accepted_exactly_as_typed(app, session, invitation):
    passphrase = "قمر على النهر والنخيل في الصباح الباكر " * 3
    assert len(passphrase) <= 128
    invitee = app.test_client()
    assert choose_password(invitee, invitation, passphrase).status_code == 302
    assert sign_in(invitee, "amal@example.org", passphrase.strip()).status_code == 401  # no trimming
    assert sign_in(invitee, "amal@example.org", passphrase).status_code == 302
