"""Password hashing parameters, re-hashing, and the policy's judgement of guessable passwords."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters

from consult.accounts import passwords
from consult.accounts.passwords import PasswordRejected, check_policy, hash_password, is_guessable, verify_password
from tests.conftest import STAFF_PASSWORD
from tests.consult._staff import sign_in, user_by_email


def test_default_profile_is_rfc9106_low_memory_argon2id_above_the_owasp_floor():
    stored = hash_password(STAFF_PASSWORD)
    params = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert (params.memory_cost, params.time_cost, params.parallelism) == (64 * 1024, 3, 4)
    floor = passwords.PROFILES["owasp-minimum"]
    assert (floor.memory_cost, floor.time_cost, floor.parallelism) == (19 * 1024, 2, 1)
    for profile in passwords.PROFILES.values():
        assert profile.memory_cost >= floor.memory_cost and profile.time_cost >= floor.time_cost


def test_sign_in_rehashes_when_the_parameters_change(app, client, session, make_user):
    user = make_user(email="amal@example.org")  # hashed with the small profile
    assert extract_parameters(user.password_hash).memory_cost == 19 * 1024
    app.config["PASSWORD_HASHING"] = "rfc9106-low-memory"
    assert sign_in(client, "amal@example.org", STAFF_PASSWORD).status_code == 302
    rehashed = user_by_email(session, "amal@example.org").password_hash
    assert rehashed != user.password_hash
    assert extract_parameters(rehashed).memory_cost == 64 * 1024
    assert verify_password(rehashed, STAFF_PASSWORD)


def test_unknown_hashing_profile_stops_the_app():
    from consult import create_app

    with pytest.raises(RuntimeError, match="PASSWORD_HASHING"):
        create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "PASSWORD_HASHING": "fast"})


def test_over_long_passwords_are_refused_before_any_hashing(monkeypatch):
    def no_hashing(*_args, **_kwargs):
        raise AssertionError("hashed an over-long password")

    monkeypatch.setattr(passwords, "hasher", no_hashing)
    with pytest.raises(PasswordRejected, match="at most 128"):
        hash_password("a" * 129)
    with pytest.raises(PasswordRejected, match="at most 128"):
        check_policy("a" * 100_000)
    assert verify_password("$argon2id$whatever", "a" * 100_000) is False


def test_verification_is_exact():
    stored = hash_password(STAFF_PASSWORD, "owasp-minimum")
    assert verify_password(stored, STAFF_PASSWORD, "owasp-minimum")
    for variant in (STAFF_PASSWORD.upper(), STAFF_PASSWORD + " ", STAFF_PASSWORD[:-1]):
        assert not verify_password(stored, variant, "owasp-minimum")
    assert not verify_password("not a hash", STAFF_PASSWORD)


@pytest.mark.parametrize("password", [
    "password1234", "Password2024!", "P@ssw0rd-2024", "iloveyou1234", "Welcome2Consult", "qwertyuiop12",
    "1qaz2wsx3edc", "123456789012", "abcdefghijkl", "aaaaaaaaaaaa", "abcabcabcabc", "!!!!!!!!!!!!",
    "abc123456789", "monkeydragon99", "Admin-Admin-2026", "WomenPeaceSecurity", "correct horse battery staple",
    "Bismillah12345", "Peacebuilding2026", "Sunshine#Sunshine",
])
def test_guessable_passwords(password):
    assert is_guessable(password), password
    with pytest.raises(PasswordRejected, match="too common"):
        check_policy(password)


@pytest.mark.parametrize("password", [
    STAFF_PASSWORD, "Lantern-moss-river-1984", "8#kQ2@9x!Lp4zT", "Jan2024!!2024", "zebra cloud teapot marble",
    "قمر على النهر والنخيل", "tres gatos bajo la lluvia", "mti mrefu wa mwembe kijijini",
])
def test_reasonable_passwords(password):
    assert not is_guessable(password), password
    check_policy(password)


def test_the_accounts_own_name_is_refused():
    with pytest.raises(PasswordRejected, match="too common"):
        check_policy("mariana.lopez-2026!", email="Mariana.Lopez@example.org")
    check_policy("mariana.lopez-2026!", email="someone.else@example.org")


def test_length_limits_are_characters_not_bytes():
    check_policy("ü" * 6 + "ß" * 6 + "kQ")  # 14 characters, 26 bytes
    check_policy("ضصثقفغعهخحجدشسيبلاتنمكطئءؤرلاىةوزظ" * 3 + "ذ" * 20)
