"""Staff accounts: roles, sign-in and sessions, the admin pages and the audit log.

For every package::

    from consult.accounts import current_staff, login_required, role_required, record

    @bp.route("/designer/")
    @role_required("designer")          # or several: role_required("designer", "analyst")
    def consultations(): ...

    record(db.session(), current_staff(), "consultation.publish", f"consultation:{slug}",
           {"before": "draft", "after": "open"})

Roles add up and none implies another: an admin manages accounts, retention and the
audit log; an admin who also designs or analyses holds those roles as well.
"""

from __future__ import annotations

import json

from flask import Flask
from flask_babel import lazy_gettext as _l

from consult.accounts.access import current_staff, login_required, may_see, role_required
from consult.accounts.models import ROLES, Role
from consult.accounts.services import record

__all__ = ["ROLES", "Role", "current_staff", "init_app", "login_required", "record", "role_required"]


def init_app(app: Flask) -> None:
    """Register the blueprint, its commands, the role check and the staff navigation.

    :raises RuntimeError: ``PASSWORD_HASHING`` names no known Argon2id profile.
    """
    from consult.accounts import cli  # noqa: F401 (registers `consult user ...` on the blueprint)
    from consult.accounts.forms import ROLE_HINTS, ROLE_LABELS, STATUS_LABELS
    from consult.accounts.passwords import DEFAULT_PROFILE, PROFILES
    from consult.accounts.routes import bp
    from consult.security import csrf
    from consult.templating import register_staff_nav

    profile = app.config.setdefault("PASSWORD_HASHING", DEFAULT_PROFILE)
    if profile not in PROFILES:
        raise RuntimeError(f"PASSWORD_HASHING must be one of {sorted(PROFILES)}, not {profile!r}")
    app.register_blueprint(bp)
    csrf.exempt(bp)  # each form checks its own token (see consult.accounts.routes)
    app.extensions["consult.role_check"] = may_see
    app.jinja_env.globals.update(
        current_staff=current_staff,
        role_label=ROLE_LABELS.get,
        role_hint=ROLE_HINTS.get,
        status_label=STATUS_LABELS.get,
    )
    app.jinja_env.filters.update(utc=_utc, compact_json=_compact_json)
    register_staff_nav(app, "accounts.manage_users", _l("Users"), Role.ADMIN.value)
    register_staff_nav(app, "accounts.audit_log", _l("Audit log"), Role.ADMIN.value)
    register_staff_nav(app, "accounts.account", _l("Your account"))
    register_staff_nav(app, "accounts.logout", _l("Sign out"))


def _utc(moment) -> str:
    """A stored UTC time as shown to staff: 2026-03-08 14:05:09 UTC."""
    return moment.strftime("%Y-%m-%d %H:%M:%S") + " UTC" if moment else ""


def _compact_json(value) -> str:
    """Audit details on one line, keys sorted, non-ASCII kept readable."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
