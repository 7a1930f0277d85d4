"""The staff account forms (Flask-WTF: every one carries and checks a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired

from consult.accounts.models import ROLES, AccountStatus, Role

ROLE_LABELS = {
    Role.ADMIN.value: _l("Admin"),
    Role.DESIGNER.value: _l("Designer"),
    Role.ANALYST.value: _l("Analyst"),
}
ROLE_HINTS = {
    Role.ADMIN.value: _l("manages staff accounts, retention and the audit log"),
    Role.DESIGNER.value: _l("creates, translates and publishes consultations"),
    Role.ANALYST.value: _l("reads, themes and exports responses"),
}
STATUS_LABELS = {
    AccountStatus.INVITED.value: _l("Invited"),
    AccountStatus.ACTIVE.value: _l("Active"),
    AccountStatus.DEACTIVATED.value: _l("Deactivated"),
}


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[InputRequired(_l("Enter your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))])
    next = HiddenField()


class NewPasswordForm(FlaskForm):
    # Field names contain "password" so a timed-out form never carries them (access.carried).
    password = PasswordField(_l("New password"), validators=[InputRequired(_l("Enter a new password."))])
    password_again = PasswordField(
        _l("New password again"),
        validators=[
            InputRequired(_l("Enter the new password a second time.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )


class RolesField(Field):
    """Role checkboxes (templates/consult/accounts/_forms.html: roles_field); the service
    checks the values (consult.accounts.services.normalise_roles)."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, **kwargs)
        self.choices = [(r, ROLE_LABELS[r]) for r in ROLES]

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = list(valuelist)

    def _value(self) -> str:
        return ""


class InviteForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[InputRequired(_l("Enter the e-mail address to invite."))])
    roles = RolesField(_l("Roles"))


class RolesForm(FlaskForm):
    roles = RolesField(_l("Roles"))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
