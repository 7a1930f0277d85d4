"""`consult user create|list|deactivate`: exit codes, messages on stderr, no tracebacks."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from sqlmodel import select

from consult.accounts.models import AuditEntry, StaffUser
from tests.conftest import STAFF_PASSWORD
from tests.consult._staff import sign_in, user_by_email


@pytest.fixture
def fast_hashing(app):
    app.config["PASSWORD_HASHING"] = "owasp-minimum"


def test_create_with_password_from_stdin(runner, session, fast_hashing):
    result = runner.invoke(args=["user", "create", "Amal@Example.org", "--role", "designer", "--role", "analyst",
                                 "--password-stdin"], input=STAFF_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Created staff account amal@example.org (analyst, designer)." in result.stdout
    user = user_by_email(session, "amal@example.org")
    assert user.status == "active" and user.roles == {"analyst", "designer"}
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.create")).one()
    assert entry.actor_id is None and entry.details == {"email": "amal@example.org", "roles": ["analyst", "designer"]}


def test_create_asks_for_the_password_twice_without_echo(runner, client, session, fast_hashing):
    result = runner.invoke(args=["user", "create", "amal@example.org", "--role", "admin"],
                           input=f"{STAFF_PASSWORD}\nsomething else\n{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert STAFF_PASSWORD not in result.output
    assert sign_in(client, "amal@example.org", STAFF_PASSWORD).status_code == 302


def test_created_passwords_use_the_default_argon2id_parameters(runner, session):
    result = runner.invoke(args=["user", "create", "amal@example.org", "--role", "admin", "--password-stdin"],
                           input=STAFF_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    stored = user_by_email(session, "amal@example.org").password_hash
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    params = extract_parameters(stored)
    assert (params.memory_cost, params.time_cost, params.parallelism, params.hash_len, params.salt_len) == (
        65536, 3, 4, 32, 16)


@pytest.mark.parametrize("args, stdin, where, message", [
    (["not-an-email", "--role", "admin"], STAFF_PASSWORD, "EMAIL 'not-an-email'", "Enter an e-mail address"),
    (["amal@example.org", "--role", "owner"], STAFF_PASSWORD, "'--role'", "'owner' is not one of"),
    (["amal@example.org"], STAFF_PASSWORD, "'--role'", "Missing option"),
    (["amal@example.org", "--role", "admin"], "short-pw", "password:", "Use at least 12 characters."),
    (["amal@example.org", "--role", "admin"], "x" * 129, "password:", "Use at most 128 characters"),
    (["amal@example.org", "--role", "admin"], "Password2024!", "password:", "too common"),
    (["amal@example.org", "--role", "admin"], "", "--password-stdin", "no password"),
])
def test_bad_input_exits_2_with_a_message_on_stderr(runner, session, fast_hashing, args, stdin, where, message):
    result = runner.invoke(args=["user", "create", *args, "--password-stdin"], input=stdin + "\n")
    assert result.exit_code == 2, result.output
    assert where in result.stderr and message in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert session.exec(select(StaffUser)).all() == []


def test_an_existing_address_exits_2(runner, make_user, session):
    make_user(email="amal@example.org")
    result = runner.invoke(args=["user", "create", "AMAL@example.org", "--role", "admin", "--password-stdin"],
                           input=STAFF_PASSWORD + "\n")
    assert result.exit_code == 2
    assert "There is already an account with this e-mail address." in result.stderr
    assert len(session.exec(select(StaffUser)).all()) == 1


def test_list_and_deactivate(runner, app, client, make_user, login):
    make_user(email="ana@example.org", roles=("admin",))
    designer = login(client, role="designer")
    result = runner.invoke(args=["user", "list"])
    assert result.exit_code == 0
    assert "ana@example.org\tactive\tadmin" in result.stdout
    assert f"{designer.email}\tactive\tdesigner" in result.stdout

    result = runner.invoke(args=["user", "deactivate", designer.email])
    assert result.exit_code == 0, result.output
    assert "1 session(s) ended" in result.stdout
    assert client.get("/staff/").status_code == 302

    result = runner.invoke(args=["user", "deactivate", "nobody@example.org"])
    assert result.exit_code == 2 and "no staff account has this address" in result.stderr
