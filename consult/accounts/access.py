"""Who is signed in, and the decorators every package uses to protect staff pages.

Sessions: Flask's signed cookie holds only a random token; the session itself is a
row in ``staff_session``, so signing out, deactivation and time-outs take effect in
every worker at once. The user is loaded lazily, the first time a view, decorator
or template asks: respondent pages never look at staff sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from consult import db
from consult.accounts import services
from consult.accounts.models import ROLES, StaffUser

#: The key of the session token in Flask's cookie session.
SESSION_KEY = "staff_session"
#: Longest a session lasts, active or not (ASVS 5.0 V7.3.2); STAFF_SESSION_HOURS overrides.
DEFAULT_SESSION_HOURS = 12
#: Prefix of the fields a timed-out form carries through the sign-in page.
CARRY_PREFIX = "carry:"

View = TypeVar("View", bound=Callable[..., Any])


def current_staff() -> StaffUser | None:
    """The signed-in staff member of this request, or None (also outside requests).

    Ends the session, and returns None, when it has been idle longer than
    ``STAFF_IDLE_MINUTES``, is older than ``STAFF_SESSION_HOURS`` or the account was
    deactivated. The account is attached to the request's database session, so it
    can be passed to services as the actor.
    """
    if not has_request_context():
        return None
    if "staff" not in g:
        g.staff = _load_staff()
    return g.staff


def _load_staff() -> StaffUser | None:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        return None
    check = services.resume_session(db.session(), token, **_limits())
    if check.user is None:
        session.pop(SESSION_KEY, None)
        g.staff_session_expired = check.expired
    return check.user


def _limits() -> dict[str, timedelta]:
    config = current_app.config
    return {
        "idle": timedelta(minutes=config["STAFF_IDLE_MINUTES"]),
        "lifetime": timedelta(hours=config.get("STAFF_SESSION_HOURS", DEFAULT_SESSION_HOURS)),
    }


def sign_in(user: StaffUser) -> None:
    """Start a new session for `user`: a fresh token in a cleared cookie (no fixation);
    a session this browser had before ends (ASVS 5.0 V7.2.4)."""
    previous = session.get(SESSION_KEY)
    if isinstance(previous, str) and previous:
        services.end_session(db.session(), previous)
    token = services.start_session(db.session(), user, **_limits())
    session.clear()
    # Flask-WTF caches this request's CSRF token on g; it belonged to the cleared session.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    session[SESSION_KEY] = token
    g.staff = user


def sign_out() -> None:
    """End this browser's session, here and in the database."""
    token = session.get(SESSION_KEY)
    if isinstance(token, str) and token:
        services.end_session(db.session(), token, current_staff())
    session.clear()
    g.staff = None


def session_token() -> str | None:
    """This browser's session token (to keep it when ending the account's other sessions)."""
    token = session.get(SESSION_KEY)
    return token if isinstance(token, str) else None


def login_required(view: View) -> View:
    """Let only signed-in staff in; others go to the sign-in page and come back after."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_staff() is None:
            return to_login()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def role_required(*roles: str) -> Callable[[View], View]:
    """Let in staff holding any of `roles`: others get 403, visitors not signed in go
    to the sign-in page (and come back after).

    :raises ValueError: at import time, for a role that does not exist.
    """
    unknown = set(roles).difference(ROLES)
    if not roles or unknown:
        raise ValueError(f"role_required needs roles among {ROLES}, got {roles!r}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_staff()
            if user is None:
                return to_login()
            if not user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def may_see(role: str | None) -> bool:
    """Whether the current staff member may open pages for `role` (None: any staff)."""
    user = current_staff()
    return user is not None and (role is None or user.has_role(role))


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def to_login():
    """The answer to a request that needs a signed-in staff member.

    GET: a redirect to the sign-in page with ``next``. A form sent after the session
    timed out: the sign-in page itself, carrying the form's fields (but passwords) so
    that nothing typed is lost; they are sent again only when the staff member
    confirms after signing in. Forms with a bad CSRF token are not carried.
    """
    expired = g.get("staff_session_expired", False)
    minutes = current_app.config["STAFF_IDLE_MINUTES"]
    here = request.full_path if request.query_string else request.path
    if request.method in ("GET", "HEAD") or not expired or not _csrf_valid():
        if expired:
            flash(
                _(
                    "You were signed out after %(minutes)s minutes without activity. "
                    "Sign in again to go back to the page you were on.",
                    minutes=minutes,
                ),
                "info",
            )
        return redirect(url_for("accounts.login", next=here))
    from consult.accounts.forms import LoginForm

    flash(
        _(
            "You were signed out after %(minutes)s minutes without activity. What you were "
            "sending has been kept: sign in again, then confirm to send it.",
            minutes=minutes,
        ),
        "info",
    )
    form = LoginForm(formdata=None, next=here)
    carry = [(name, value) for name, value in request.form.items(multi=True) if carried(name)]
    return render_template("consult/accounts/login.html", form=form, carry=carry), 401


def carried(name: str) -> bool:
    """Whether a timed-out form's field is carried through sign-in (never passwords or tokens)."""
    lowered = name.lower()
    return lowered != "csrf_token" and "password" not in lowered and not lowered.startswith(CARRY_PREFIX)


def _csrf_valid() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return False
    return True
