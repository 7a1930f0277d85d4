"""The staff accounts blueprint: sign in and out, set a password, one's own account,
and the admin pages (users, audit log). HTTP only: parse, call a service, render.

The blueprint is exempt from the app-wide CSRF check because every form here is a
Flask-WTF form that checks its token itself: an expired token then re-renders the
form with what was typed and a message, instead of a bare error page.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from consult import db
from consult.accounts import queries, services
from consult.accounts.access import (
    CARRY_PREFIX,
    current_staff,
    login_required,
    role_required,
    safe_next,
    session_token,
    sign_in,
    sign_out,
)
from consult.accounts.forms import (
    ActionForm,
    ChangePasswordForm,
    InviteForm,
    LoginForm,
    NewPasswordForm,
    RolesForm,
)
from consult.accounts.models import Role
from consult.accounts.passwords import DEFAULT_PROFILE, MAX_LENGTH, MIN_LENGTH, PasswordRejected

bp = Blueprint("accounts", __name__, url_prefix="/staff", cli_group=None)


@bp.before_request
def _choose_language() -> None:
    """Settle the page's language before rendering: base.html reads it before any gettext call."""
    get_locale()


def _profile() -> str:
    return current_app.config.get("PASSWORD_HASHING", DEFAULT_PROFILE)


def _checked(form) -> bool:
    """Whether a submitted form is valid; an expired CSRF token becomes a message, values kept."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    if form.csrf_token.errors:
        form.csrf_token.errors = []
        form.form_errors.append(
            _("This form had expired, so nothing was changed. Please check it and send it again.")
        )
    return valid


def _refuse(form, error: services.AccountError | PasswordRejected, field: str = "password") -> None:
    """Show a service's refusal next to the field it is about."""
    name = getattr(error, "field", None) or field
    target = getattr(form, name, None)
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _render(template: str, status: int = 200, **context):
    return render_template(f"consult/accounts/{template}", **context), status


def _password_rules() -> dict[str, int]:
    return {"min_length": MIN_LENGTH, "max_length": MAX_LENGTH}


# -- signing in and out -----------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; then back to the page that asked, or on to the staff home page."""
    form = LoginForm()
    next_url = safe_next(form.next.data or request.args.get("next"))
    form.next.data = next_url or ""
    carry = [
        (name[len(CARRY_PREFIX):], value)
        for name, value in request.form.items(multi=True)
        if name.startswith(CARRY_PREFIX)
    ]
    if request.method == "GET" and current_staff() is not None:
        return redirect(next_url or url_for("accounts.home"))
    if not _checked(form):
        return _render("login.html", 400 if form.is_submitted() else 200, form=form, carry=carry)
    result = services.authenticate(
        db.session(),
        form.email.data,
        form.password.data,
        secret_key=current_app.secret_key,
        profile=_profile(),
    )
    if result.user is None:
        if result.locked_until is not None:
            message = _(
                "Too many failed attempts to sign in with this e-mail address. "
                "Sign-in is paused until %(time)s UTC.",
                time=result.locked_until.strftime("%H:%M"),
            )
        else:
            message = _("The e-mail address or password is not right.")
        form.form_errors.append(message)
        # The failed attempt must be counted even though the answer is an error
        # (the app commits only answers below 400).
        db.commit_request()
        return _render("login.html", 401, form=form, carry=carry)
    sign_in(result.user)
    if carry and next_url:
        return _render("resume.html", action=next_url, carry=carry)
    return redirect(next_url or url_for("accounts.home"))


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """Sign out (POST); GET shows the button."""
    form = ActionForm()
    if request.method == "GET":
        if current_staff() is None:
            return redirect(url_for("accounts.login"))
        return _render("logout.html", form=form)
    if not _checked(form):
        return _render("logout.html", 400, form=form)
    sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Set a password through an invitation or reset link."""
    try:
        user = services.check_password_link(db.session(), token)
    except services.LinkInvalid as error:
        return _render("link_invalid.html", 410, message=error.message)
    form = NewPasswordForm()
    if _checked(form):
        try:
            services.set_password_with_link(db.session(), token, form.password.data, profile=_profile())
        except PasswordRejected as error:
            _refuse(form, error)
        else:
            if current_staff() is not None:
                sign_out()
            flash(_("Your password is set. You can sign in now."), "info")
            return redirect(url_for("accounts.login"))
    status = 400 if form.is_submitted() else 200
    return _render("set_password.html", status, form=form, user=user, **_password_rules())


# -- one's own account --------------------------------------------------------------------


@bp.route("/")
@login_required
def home():
    """The staff home page: who is signed in, with which roles, and where to go."""
    return _render("home.html", user=current_staff())


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """One's own account: roles, and changing the password."""
    user = current_staff()
    form = ChangePasswordForm()
    if _checked(form):
        try:
            ended = services.change_password(
                db.session(),
                user,
                form.current_password.data,
                form.password.data,
                keep_token=session_token(),
                profile=_profile(),
            )
        except (services.AccountError, PasswordRejected) as error:
            _refuse(form, error)
        else:
            flash(
                ngettext(
                    "Your password is changed. %(num)s other session was signed out.",
                    "Your password is changed. %(num)s other sessions were signed out.",
                    ended,
                )
                if ended
                else _("Your password is changed."),
                "info",
            )
            return redirect(url_for("accounts.account"))
    status = 400 if form.is_submitted() else 200
    return _render("account.html", status, user=user, form=form, **_password_rules())


# -- admin: users ---------------------------------------------------------------------------


@bp.route("/admin/users")
@role_required(Role.ADMIN)
def manage_users():
    """Every staff account, with a link to manage each and one to invite."""
    return _render("users.html", users=services.list_users(db.session()))


@bp.route("/admin/users/invite", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def invite_user():
    """Invite someone: an invited account and a set-password link shown once."""
    form = InviteForm()
    if _checked(form):
        try:
            user, issued = services.invite_user(db.session(), current_staff(), form.email.data, form.roles.data)
        except services.AccountError as error:
            _refuse(form, error, "email")
        else:
            return _link_page(user, issued)
    status = 400 if form.is_submitted() else 200
    return _render("invite.html", status, form=form)


def _link_page(user, issued: services.IssuedLink):
    link = url_for("accounts.set_password", token=issued.token, _external=True)
    return _render("link.html", user=user, link=link, expires_at=issued.expires_at)


def _user_or_404(user_id: int):
    user = services.get_user(db.session(), user_id)
    if user is None:
        abort(404)
    return user


def _manage_page(user, status: int = 200, roles_form: RolesForm | None = None, problem: str | None = None):
    if roles_form is None:
        roles_form = RolesForm(formdata=None, roles=sorted(user.roles))
    return _render(
        "user.html",
        status,
        user=user,
        roles_form=roles_form,
        action_form=ActionForm(formdata=None),
        sessions=services.session_count(db.session(), user),
        problem=problem,
    )


def _act(user_id: int, action):
    """Run a one-button action on an account: (the account, what the service returned).

    An expired form or a refusal answers with the account's page and the reason.
    """
    user = _user_or_404(user_id)
    if not _checked(ActionForm()):
        problem = _("This form had expired, so nothing was changed. Please try again.")
        abort(make_response(_manage_page(user, 400, problem=problem)))
    try:
        return user, action(db.session(), current_staff(), user)
    except services.AccountError as error:
        abort(make_response(_manage_page(user, 400, problem=error.message)))


@bp.route("/admin/users/<int:user_id>")
@role_required(Role.ADMIN)
def manage_user(user_id: int):
    """One account: roles, status, set-password link, sessions."""
    return _manage_page(_user_or_404(user_id))


@bp.route("/admin/users/<int:user_id>/roles", methods=["POST"])
@role_required(Role.ADMIN)
def change_roles(user_id: int):
    """Give an account exactly the chosen roles."""
    user = _user_or_404(user_id)
    form = RolesForm()
    if not _checked(form):
        return _manage_page(user, 400, form)
    try:
        changed = services.change_roles(db.session(), current_staff(), user, form.roles.data)
    except services.AccountError as error:
        _refuse(form, error, "roles")
        return _manage_page(user, 400, form)
    flash(_("Roles saved.") if changed else _("The roles were already these; nothing changed."), "info")
    return redirect(url_for("accounts.manage_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["POST"])
@role_required(Role.ADMIN)
def deactivate_user(user_id: int):
    """Deactivate an account; its sessions end at once."""
    user, _ended = _act(user_id, services.deactivate_user)
    flash(_("%(email)s is deactivated and signed out everywhere.", email=user.email), "info")
    return redirect(url_for("accounts.manage_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/reactivate", methods=["POST"])
@role_required(Role.ADMIN)
def reactivate_user(user_id: int):
    """Let a deactivated account sign in again."""
    user, _result = _act(user_id, services.reactivate_user)
    flash(_("%(email)s is reactivated.", email=user.email), "info")
    return redirect(url_for("accounts.manage_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/sign-out", methods=["POST"])
@role_required(Role.ADMIN)
def end_sessions(user_id: int):
    """Sign an account out everywhere."""
    user, ended = _act(user_id, services.sign_out_everywhere)
    flash(
        ngettext("%(num)s session ended.", "%(num)s sessions ended.", ended) if ended else _("No session was open."),
        "info",
    )
    return redirect(url_for("accounts.manage_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/link", methods=["POST"])
@role_required(Role.ADMIN)
def issue_link(user_id: int):
    """Make a new set-password link (a fresh invitation, or a password reset)."""
    user, issued = _act(user_id, services.issue_password_link)
    return _link_page(user, issued)


# -- admin: the audit log ------------------------------------------------------------------------


@bp.route("/admin/audit")
@role_required(Role.ADMIN)
def audit_log():
    """The audit log, newest first, filtered by actor and action."""
    actor_id = request.args.get("actor", type=int)
    action = request.args.get("action", "").strip() or None
    page = queries.audit_page(
        db.session(), page=request.args.get("page", 1, type=int), actor_id=actor_id, action=action
    )
    return _render(
        "audit.html",
        page=page,
        actors=queries.audit_actors(db.session()),
        actions=queries.audit_actions(db.session()),
        actor_id=actor_id,
        action=action,
    )
