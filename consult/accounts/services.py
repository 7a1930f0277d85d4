"""What staff accounts do, without HTTP: create and invite, set passwords, sign in
with throttling, keep server-side sessions, change roles, deactivate, and record
staff actions in the audit log.

Services only ``flush()``; the caller's unit of work commits (consult.db). Times are
UTC to the second (:func:`consult.accounts.models.utcnow`); every function that
depends on the clock takes ``now`` so that callers and tests can pin it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from consult.accounts.models import (
    ROLES,
    AccountStatus,
    AuditEntry,
    LoginThrottle,
    PasswordLink,
    Role,
    StaffRole,
    StaffSession,
    StaffUser,
    utcnow,
)
from consult.accounts.passwords import (
    DEFAULT_PROFILE,
    PasswordRejected,
    check_policy,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)

__all__ = [
    "AccountError",
    "PasswordRejected",
    "LinkInvalid",
    "IssuedLink",
    "SignIn",
    "SessionCheck",
    "record",
]

#: Consecutive failed sign-ins (per account name) before sign-in pauses.
MAX_FAILED_LOGINS = 5
#: The first pause; each further failure after a pause doubles it, up to a day.
FIRST_LOCKOUT = timedelta(minutes=15)
LONGEST_LOCKOUT = timedelta(hours=24)
#: Failures older than this are forgotten (one typo a week never adds up to a pause).
FAILURE_MEMORY = timedelta(hours=24)
#: How long set-password links stay valid (ASVS 5.0 V6.4.1: short-lived, single use).
INVITATION_LIFETIME = timedelta(hours=72)
RESET_LIFETIME = timedelta(hours=24)
#: Sessions' last activity is written at most this often (saves a write per page).
TOUCH_INTERVAL = timedelta(seconds=60)
#: Largest audit details accepted, as JSON (ids and settings, never free text).
MAX_DETAILS_BYTES = 16 * 1024

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_ACTION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


class AccountError(ValueError):
    """A refused account operation.

    :ivar message: translated text for the user.
    :ivar field: the form field it is about, or None.
    """

    def __init__(self, message: Any, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class LinkInvalid(AccountError):
    """A set-password link that is unknown, used, expired or for a deactivated account."""


# -- names and roles --------------------------------------------------------------------


def normalise_email(raw: str) -> str:
    """The canonical form of an e-mail address: trimmed, NFC, lower-cased.

    Addresses are compared case-insensitively so that one person cannot get two accounts.

    :raises AccountError: (field ``email``) not an address of the form name@domain.tld.
    """
    email = unicodedata.normalize("NFC", (raw or "").strip()).lower()
    if len(email) > 254 or not _EMAIL.match(email) or any(unicodedata.category(c)[0] == "C" for c in email):
        raise AccountError(_l("Enter an e-mail address like name@example.org."), "email")
    return email


def normalise_roles(roles: Iterable[str]) -> frozenset[str]:
    """The roles as a set of known role names.

    :raises AccountError: (field ``roles``) no role, or a role that does not exist.
    """
    chosen = frozenset(r.strip().lower() for r in roles)
    unknown = sorted(chosen.difference(ROLES))
    if unknown:
        raise AccountError(
            _l("Unknown role: %(role)s. Roles are %(roles)s.", role=", ".join(unknown), roles=", ".join(ROLES)),
            "roles",
        )
    if not chosen:
        raise AccountError(_l("Choose at least one role."), "roles")
    return chosen


def find_user(db: Session, email: str) -> StaffUser | None:
    """The account with this address (any case), or None; invalid addresses find nothing."""
    try:
        email = normalise_email(email)
    except AccountError:
        return None
    return db.exec(select(StaffUser).where(StaffUser.email == email)).first()


def get_user(db: Session, user_id: int) -> StaffUser | None:
    """The account with this id, or None."""
    return db.get(StaffUser, user_id)


def list_users(db: Session) -> list[StaffUser]:
    """Every staff account, by e-mail address."""
    return list(db.exec(select(StaffUser).order_by(StaffUser.email)).all())


def _set_roles(user: StaffUser, roles: frozenset[str]) -> None:
    keep = [r for r in user.role_rows if r.role in roles]
    user.role_rows = keep + [StaffRole(role=r) for r in sorted(roles - {r.role for r in keep})]


@dataclass(frozen=True)
class IssuedLink:
    """A set-password link's token, shown once, and when the link stops working."""

    token: str
    expires_at: datetime


def _target(user: StaffUser) -> str:
    return f"user:{user.id}"


# -- creating accounts -------------------------------------------------------------------


def create_user(
    db: Session,
    email: str,
    roles: Iterable[str],
    password: str,
    *,
    actor: StaffUser | None = None,
    profile: str = DEFAULT_PROFILE,
) -> StaffUser:
    """Create an active account with a password (the ``consult user create`` path).

    :param actor: who did it, for the audit log (None: the command line).
    :param profile: the Argon2id profile (consult.accounts.passwords.PROFILES).
    :raises AccountError: bad address (``email``), no or unknown role (``roles``), or an
        account with this address exists already (``email``).
    :raises PasswordRejected: the password does not meet the policy.
    """
    email = normalise_email(email)
    chosen = normalise_roles(roles)
    check_policy(password, email)
    _refuse_existing(db, email)
    now = utcnow()
    user = StaffUser(
        email=email,
        password_hash=hash_password(password, profile),
        status=AccountStatus.ACTIVE.value,
        created_at=now,
        password_changed_at=now,
    )
    _set_roles(user, chosen)
    db.add(user)
    _flush_new_user(db, user)
    record(db, actor, "user.create", _target(user), {"email": email, "roles": sorted(chosen)})
    return user


def invite_user(
    db: Session, actor: StaffUser | None, email: str, roles: Iterable[str], *, now: datetime | None = None
) -> tuple[StaffUser, IssuedLink]:
    """Create an invited account (no password, cannot sign in) and its set-password link.

    :returns: the account and the link (its token is to be shown once to the admin, who
        sends it by their own channel; only a hash of the token is stored).
    :raises AccountError: bad address, no or unknown role, or the address has an account.
    """
    email = normalise_email(email)
    chosen = normalise_roles(roles)
    _refuse_existing(db, email)
    now = now or utcnow()
    user = StaffUser(email=email, status=AccountStatus.INVITED.value, created_at=now)
    _set_roles(user, chosen)
    db.add(user)
    _flush_new_user(db, user)
    issued = _new_link(db, actor, user, now, INVITATION_LIFETIME)
    record(
        db, actor, "user.invite", _target(user),
        {"email": email, "roles": sorted(chosen), "expires_at": issued.expires_at},
    )
    return user, issued


def issue_password_link(
    db: Session, actor: StaffUser | None, user: StaffUser, *, now: datetime | None = None
) -> IssuedLink:
    """A new set-password link for an invited or active account; earlier unused links stop working.

    The admin never learns or chooses the password (ASVS 5.0 V6.4.6). An invited
    account gets a fresh invitation (72 hours); an active one a reset link (24 hours),
    its current password working until the link is used.

    :returns: the link (its token is shown once).
    :raises AccountError: the account is deactivated (reactivate it first).
    """
    if user.status == AccountStatus.DEACTIVATED:
        raise AccountError(_l("This account is deactivated. Reactivate it first."))
    now = now or utcnow()
    lifetime = INVITATION_LIFETIME if user.status == AccountStatus.INVITED else RESET_LIFETIME
    issued = _new_link(db, actor, user, now, lifetime)
    record(db, actor, "user.password_link", _target(user), {"expires_at": issued.expires_at})
    return issued


def _refuse_existing(db: Session, email: str) -> None:
    if db.exec(select(StaffUser.id).where(StaffUser.email == email)).first() is not None:
        raise AccountError(_l("There is already an account with this e-mail address."), "email")


def _flush_new_user(db: Session, user: StaffUser) -> None:
    """Flush a new account; a concurrent twin is reported like an existing one."""
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        if user in db:
            db.expunge(user)
        raise AccountError(_l("There is already an account with this e-mail address."), "email") from None


def _new_link(
    db: Session, actor: StaffUser | None, user: StaffUser, now: datetime, lifetime: timedelta
) -> IssuedLink:
    db.exec(delete(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None)))
    token = secrets.token_urlsafe(32)  # 256 bits (ASVS 5.0 V11.5.1 asks for 128 at least)
    link = PasswordLink(
        token_hash=_digest(token),
        user_id=user.id,
        created_by_id=actor.id if actor else None,
        created_at=now,
        expires_at=now + lifetime,
    )
    db.add(link)
    db.flush()
    return IssuedLink(token, link.expires_at)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- set-password links -------------------------------------------------------------------


def check_password_link(db: Session, token: str, *, now: datetime | None = None) -> StaffUser:
    """The account a set-password link is for, if the link can still be used.

    :raises LinkInvalid: unknown, already used, expired, or the account is deactivated
        (one message for all: the page cannot tell which, nor needs to).
    """
    return _usable_link(db, token, now or utcnow())[1]


def set_password_with_link(
    db: Session, token: str, password: str, *, profile: str = DEFAULT_PROFILE, now: datetime | None = None
) -> StaffUser:
    """Use a set-password link: set the password, activate an invited account, end the
    account's sessions (a reset means the old password may be known to someone else),
    and spend the link.

    :raises LinkInvalid: the link cannot be used (see :func:`check_password_link`).
    :raises PasswordRejected: the password does not meet the policy (the link stays usable).
    """
    now = now or utcnow()
    link, user = _usable_link(db, token, now)
    check_policy(password, user.email)
    invited = user.status == AccountStatus.INVITED
    user.password_hash = hash_password(password, profile)
    user.password_changed_at = now
    user.status = AccountStatus.ACTIVE.value
    link.used_at = now
    db.add_all([user, link])
    end_sessions(db, user)
    record(db, user, "user.accept_invitation" if invited else "user.reset_password", _target(user))
    db.flush()
    return user


def _usable_link(db: Session, token: str, now: datetime) -> tuple[PasswordLink, StaffUser]:
    link = db.get(PasswordLink, _digest(token or ""))
    user = db.get(StaffUser, link.user_id) if link else None
    if (
        link is None
        or user is None
        or link.used_at is not None
        or link.expires_at <= now
        or user.status == AccountStatus.DEACTIVATED
    ):
        raise LinkInvalid(
            _l("This link cannot be used: it has expired or has been used already. Please ask an admin for a new one.")
        )
    return link, user


# -- signing in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt."""

    #: The signed-in account, or None.
    user: StaffUser | None
    #: Set when sign-in for this account name is paused (the password was not even checked).
    locked_until: datetime | None = None


def authenticate(
    db: Session,
    email: str,
    password: str,
    *,
    secret_key: str | bytes,
    profile: str = DEFAULT_PROFILE,
    now: datetime | None = None,
) -> SignIn:
    """Check an e-mail address and password, with throttling per account name.

    Unknown addresses, wrong passwords, invited and deactivated accounts all fail the
    same way and take the same time (a dummy hash is verified when there is no
    account). Failures are counted in the database for an HMAC of the address typed,
    existing or not; after :data:`MAX_FAILED_LOGINS` in a row sign-in pauses for
    :data:`FIRST_LOCKOUT`, doubling with each further failure, and a correct password
    is refused meanwhile. No network address is used or kept. A success clears the
    count, re-hashes the password if the hashing profile changed, and is audited;
    failures on an existing account are audited too.

    :param secret_key: the app's secret, the HMAC key of the throttle.
    :param profile: the Argon2id profile in force (passwords.PROFILES).
    """
    now = now or utcnow()
    key = hmac.new(_bytes(secret_key), b"sign-in:" + email.strip().lower().encode("utf-8"), "sha256").hexdigest()
    throttle = db.get(LoginThrottle, key)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        return SignIn(None, throttle.locked_until)
    user = find_user(db, email)
    usable = user if user is not None and user.is_active else None
    matches = verify_password(usable.password_hash if usable else dummy_hash(profile), password, profile)
    if usable is None or not matches:
        locked_until = _count_failure(db, key, throttle, now)
        if user is not None:
            record(db, None, "user.sign_in_failed", _target(user), {"paused": locked_until is not None})
        return SignIn(None, locked_until)
    if throttle is not None:
        db.delete(throttle)
    if needs_rehash(usable.password_hash, profile):
        usable.password_hash = hash_password(password, profile)
    usable.last_login_at = now
    db.add(usable)
    record(db, usable, "user.sign_in", _target(usable))
    return SignIn(usable, None)


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def _count_failure(db: Session, key: str, throttle: LoginThrottle | None, now: datetime) -> datetime | None:
    """Count one failure atomically (several workers may count at once); the pause, if any."""
    if throttle is None:
        try:
            with db.begin_nested():
                db.add(LoginThrottle(key_hash=key, failures=0, last_failure_at=now))
        except IntegrityError:  # another worker counted a failure for this name just now
            pass
        throttle = db.get(LoginThrottle, key, populate_existing=True)
    if throttle.last_failure_at < now - FAILURE_MEMORY:
        throttle.failures = 1
    else:
        # An SQL increment, not read-modify-write: concurrent failures all count.
        throttle.failures = LoginThrottle.failures + 1
    throttle.last_failure_at = now
    db.add(throttle)
    db.flush()
    db.refresh(throttle)
    if throttle.failures < MAX_FAILED_LOGINS:
        return None
    pause = min(FIRST_LOCKOUT * 2 ** (throttle.failures - MAX_FAILED_LOGINS), LONGEST_LOCKOUT)
    throttle.locked_until = now + pause
    db.add(throttle)
    db.flush()
    return throttle.locked_until


# -- sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionCheck:
    """What a session token is worth now."""

    user: StaffUser | None
    #: The session existed but ended for inactivity or age (say so; keep the work).
    expired: bool = False


def start_session(
    db: Session,
    user: StaffUser,
    *,
    idle: timedelta | None = None,
    lifetime: timedelta | None = None,
    now: datetime | None = None,
) -> str:
    """Open a server-side session for a signed-in user; the token goes in the cookie.

    A fresh random token every time (ASVS 5.0 V7.2.4); only its SHA-256 is stored.
    On the way, sessions anyone left to time out (by `idle` or `lifetime`, when given)
    and throttle counts nobody needs any more are deleted.
    """
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.add(StaffSession(token_hash=_digest(token), user_id=user.id, created_at=now, last_seen_at=now))
    if idle is not None and lifetime is not None:
        db.exec(delete(StaffSession).where(
            or_(StaffSession.last_seen_at < now - idle, StaffSession.created_at < now - lifetime)
        ))
    db.exec(delete(LoginThrottle).where(
        LoginThrottle.last_failure_at < now - FAILURE_MEMORY,
        or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
    ))
    db.flush()
    return token


def resume_session(
    db: Session, token: str, *, idle: timedelta, lifetime: timedelta, now: datetime | None = None
) -> SessionCheck:
    """The user a session token belongs to, if the session is still valid.

    A session ends when it has been idle longer than `idle` (ASVS 5.0 V7.3.1), is older
    than `lifetime` (V7.3.2), or its account is no longer active (V7.4.2); the row is
    deleted then. Activity is recorded at most every :data:`TOUCH_INTERVAL`.
    """
    now = now or utcnow()
    row = db.get(StaffSession, _digest(token))
    if row is None:
        return SessionCheck(None)
    user = db.get(StaffUser, row.user_id)
    if user is None or not user.is_active:
        db.delete(row)
        db.flush()
        return SessionCheck(None)
    if now - row.last_seen_at > idle or now - row.created_at > lifetime:
        db.delete(row)
        db.flush()
        return SessionCheck(None, expired=True)
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
        db.add(row)
        db.flush()
    return SessionCheck(user)


def end_session(db: Session, token: str, user: StaffUser | None = None) -> None:
    """End one session (sign out), audited when `user` is given; unknown tokens are ignored."""
    db.exec(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))
    if user is not None:
        record(db, user, "user.sign_out", _target(user))
    db.flush()


def end_sessions(db: Session, user: StaffUser, *, keep_token: str | None = None) -> int:
    """End every session of `user` (but `keep_token`'s); how many ended."""
    query = delete(StaffSession).where(StaffSession.user_id == user.id)
    if keep_token:
        query = query.where(StaffSession.token_hash != _digest(keep_token))
    result = db.exec(query)
    db.flush()
    return result.rowcount or 0


def session_count(db: Session, user: StaffUser) -> int:
    """How many sessions of `user` are open (some may have timed out unseen)."""
    return db.exec(select(func.count()).select_from(StaffSession).where(StaffSession.user_id == user.id)).one()


# -- managing accounts ------------------------------------------------------------------------------


def change_roles(db: Session, actor: StaffUser | None, user: StaffUser, roles: Iterable[str]) -> bool:
    """Give `user` exactly `roles`; effective at their next request. Whether anything changed.

    :raises AccountError: no or unknown role, or this would leave no active admin.
    """
    chosen = normalise_roles(roles)
    before = user.roles
    if chosen == before:
        return False
    if Role.ADMIN in before and Role.ADMIN not in chosen:
        _keep_an_admin(db, user)
    _set_roles(user, chosen)
    db.add(user)
    db.flush()
    record(db, actor, "user.roles", _target(user), {"before": sorted(before), "after": sorted(chosen)})
    return True


def deactivate_user(db: Session, actor: StaffUser | None, user: StaffUser) -> int:
    """Deactivate an account: it cannot sign in, its sessions end now everywhere
    (ASVS 5.0 V7.4.2) and its unused set-password links stop working.

    :returns: how many sessions were ended.
    :raises AccountError: it is the actor's own account, or the last active admin.
    """
    if actor is not None and actor.id == user.id:
        raise AccountError(_l("You cannot deactivate your own account."))
    if user.status == AccountStatus.DEACTIVATED:
        return 0
    if Role.ADMIN in user.roles:
        _keep_an_admin(db, user)
    before = user.status
    user.status = AccountStatus.DEACTIVATED.value
    db.add(user)
    ended = end_sessions(db, user)
    db.exec(delete(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None)))
    record(db, actor, "user.deactivate", _target(user), {"before": before, "sessions_ended": ended})
    return ended


def reactivate_user(db: Session, actor: StaffUser | None, user: StaffUser) -> None:
    """Let a deactivated account sign in again (as invited if it never set a password)."""
    if user.status != AccountStatus.DEACTIVATED:
        return
    user.status = (AccountStatus.ACTIVE if user.password_hash else AccountStatus.INVITED).value
    db.add(user)
    db.flush()
    record(db, actor, "user.reactivate", _target(user), {"after": user.status})


def sign_out_everywhere(db: Session, actor: StaffUser | None, user: StaffUser) -> int:
    """End every session of `user` (an admin's action, ASVS 5.0 V7.4.5); how many ended."""
    ended = end_sessions(db, user)
    record(db, actor, "user.end_sessions", _target(user), {"sessions_ended": ended})
    return ended


def change_password(
    db: Session,
    user: StaffUser,
    current: str,
    new: str,
    *,
    keep_token: str | None = None,
    profile: str = DEFAULT_PROFILE,
) -> int:
    """Change one's own password, given the current one (ASVS 5.0 V6.2.3); the
    account's other sessions end (V7.4.3).

    :returns: how many other sessions were ended.
    :raises AccountError: (field ``current_password``) the current password is wrong.
    :raises PasswordRejected: the new password does not meet the policy.
    """
    if not user.password_hash or not verify_password(user.password_hash, current, profile):
        raise AccountError(_l("Your current password is not right."), "current_password")
    check_policy(new, user.email)
    user.password_hash = hash_password(new, profile)
    user.password_changed_at = utcnow()
    db.add(user)
    ended = end_sessions(db, user, keep_token=keep_token)
    record(db, user, "user.change_password", _target(user), {"other_sessions_ended": ended})
    return ended


def _keep_an_admin(db: Session, leaving: StaffUser) -> None:
    others = db.exec(
        select(func.count())
        .select_from(StaffUser)
        .join(StaffRole, StaffRole.user_id == StaffUser.id)
        .where(
            StaffRole.role == Role.ADMIN.value,
            StaffUser.status == AccountStatus.ACTIVE.value,
            StaffUser.id != leaving.id,
        )
    ).one()
    if not others:
        raise AccountError(
            _l("At least one active admin must remain. Give another account the admin role first.")
        )


# -- the audit log -------------------------------------------------------------------------------------


def record(
    db: Session, actor: StaffUser | None, action: str, target: str, details: dict[str, Any] | None = None
) -> AuditEntry:
    """Add an entry to the audit log of staff actions.

    For every package: designer edits, analyst corrections, exports. Staff are
    accountable, respondents stay anonymous: put ids, goals, settings and before/after
    values of staff-written content in `details`, never what a respondent wrote or
    anything that could identify her (an analyst correction records the response id
    and the goals, not the answer text).

    :param actor: the staff member (the request's :func:`consult.accounts.current_staff`),
        or None for the command line and scheduled jobs.
    :param action: a dotted lower-case name, ``<object>.<verb>``: ``user.invite``,
        ``consultation.publish``, ``theme.correct``, ``export.create``.
    :param target: what was acted on, ``<kind>:<id>``: ``user:12``, ``consultation:wps-2026``,
        ``response:9f2c...``; at most 200 characters.
    :param details: JSON-serialisable data (dates and times become ISO strings); at
        most 16 KiB once serialised.
    :raises ValueError: a malformed action, an over-long target, or details that are
        not JSON-serialisable or too large. This is a programming error, raised
        before anything is written.
    """
    if not isinstance(action, str) or len(action) > 64 or not _ACTION.match(action):
        raise ValueError(f"audit action must be a dotted lower-case name of at most 64 characters: {action!r}")
    if not isinstance(target, str) or len(target) > 200:
        raise ValueError("audit target must be a string of at most 200 characters")
    plain = None
    if details is not None:
        if not isinstance(details, dict):
            raise ValueError("audit details must be a dict")
        try:
            serialised = json.dumps(details, default=_json_default, ensure_ascii=False, sort_keys=True)
        except (TypeError, ValueError) as error:
            raise ValueError(f"audit details must be JSON-serialisable: {error}") from None
        if len(serialised.encode("utf-8")) > MAX_DETAILS_BYTES:
            raise ValueError(f"audit details are larger than {MAX_DETAILS_BYTES} bytes; record ids, not content")
        plain = json.loads(serialised)
    entry = AuditEntry(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else None,
        action=action,
        target=target,
        details=plain,
    )
    db.add(entry)
    db.flush()
    return entry


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")
