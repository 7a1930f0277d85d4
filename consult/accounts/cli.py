"""Account commands: `consult user create`, `consult user list`, `consult user deactivate`."""

from __future__ import annotations

import sys

import click
from flask import current_app

from consult import db
from consult.accounts import services
from consult.accounts.models import ROLES
from consult.accounts.passwords import DEFAULT_PROFILE, PasswordRejected
from consult.accounts.routes import bp


class BadInput(click.ClickException):
    """A user's mistake: the message on stderr, exit code 2, no traceback."""

    exit_code = 2


@bp.cli.group("user")
def user_group() -> None:
    """Staff accounts."""


@user_group.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
              help="A role to give; repeat for several (--role designer --role analyst).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def create_command(email: str, roles: tuple[str, ...], password_stdin: bool) -> None:
    """Create an active staff account EMAIL with a password."""
    from flask_babel import force_locale

    with force_locale("en"):
        try:
            email = services.normalise_email(email)
        except services.AccountError as error:
            raise BadInput(f"EMAIL {email!r}: {error.message}") from None
        password = _read_password(password_stdin)
        db.upgrade(current_app._get_current_object())
        try:
            with db.unit_of_work() as session:
                user = services.create_user(
                    session, email, roles, password,
                    profile=current_app.config.get("PASSWORD_HASHING", DEFAULT_PROFILE),
                )
                summary = f"{user.email} ({', '.join(sorted(user.roles))})"
        except PasswordRejected as error:
            raise BadInput(f"password: {error.message}") from None
        except services.AccountError as error:
            raise BadInput(f"{error.field or 'EMAIL'} {email!r}: {error.message}") from None
    click.echo(f"Created staff account {summary}.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise BadInput("--password-stdin: no password on the first line of stdin")
        return password
    # hide_input: nothing echoed; confirmation_prompt: asked twice.
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_group.command("list")
def list_command() -> None:
    """List staff accounts: e-mail address, status, roles."""
    db.upgrade(current_app._get_current_object())
    with db.unit_of_work() as session:
        for user in services.list_users(session):
            click.echo(f"{user.email}\t{user.status}\t{','.join(sorted(user.roles))}")


@user_group.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Deactivate the staff account EMAIL and end its sessions."""
    from flask_babel import force_locale

    db.upgrade(current_app._get_current_object())
    with force_locale("en"), db.unit_of_work() as session:
        user = services.find_user(session, email)
        if user is None:
            raise BadInput(f"EMAIL {email!r}: no staff account has this address")
        try:
            ended = services.deactivate_user(session, None, user)
        except services.AccountError as error:
            raise BadInput(f"EMAIL {email!r}: {error.message}") from None
    click.echo(f"Deactivated {user.email}; {ended} session(s) ended.")
