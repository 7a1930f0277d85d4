"""The `consult` command: a Flask CLI group.

Exit codes: 0 success, 2 bad input (a message on stderr says what and where),
never a traceback for a user's mistake.
"""

from __future__ import annotations

import ipaddress

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext
from werkzeug.serving import WSGIRequestHandler, run_simple


def _create_app() -> Flask:
    from consult import create_app

    return create_app()


class ConsultGroup(FlaskGroup):
    def __init__(self, **kwargs):
        super().__init__(
            create_app=_create_app,
            add_default_commands=False,
            add_version_option=False,
            load_dotenv=False,
            set_debug_flag=False,
            **kwargs,
        )
        self.add_command(run_command)
        self.add_command(routes_command)
        self.add_command(shell_command)


def register_commands(app: Flask) -> None:
    """Attach the packages' commands that need no blueprint of their own."""
    from consult.privacy.cli import scrub_command

    app.cli.add_command(db_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(scrub_command)
    from analysis.cli import analyse_command, classify_command, retrain_command

    for command in (classify_command, analyse_command, retrain_command):
        app.cli.add_command(command)


class PrivateRequestHandler(WSGIRequestHandler):
    """The development server's access log without address, time or query string."""

    def address_string(self) -> str:
        return "-"

    def log_request(self, code="-", size="-") -> None:
        path = self.path.split("?", 1)[0]
        self.log("info", '"%s %s" %s', self.command, path, code)

    def log(self, type: str, message: str, *args) -> None:  # noqa: A002 (werkzeug's signature)
        click.echo(message % args, err=True)


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--demo/--no-demo", default=None, help="Load the demo consultation (default: LOAD_DEMO).")
@with_appcontext
def run_command(host: str, port: int, demo: bool | None) -> None:
    """Serve the app (SQLite in the instance folder unless DATABASE_URL says otherwise)."""
    from consult import db

    app = current_app._get_current_object()
    db.upgrade(app)
    _purge(dry_run=False)
    load = demo if demo is not None else app.config["LOAD_DEMO"]
    if load:
        from surveys.demo import load_demo

        with db.unit_of_work() as session:
            load_demo(session)
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        click.echo("Warning: listening beyond this machine; use gunicorn behind TLS in production.", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"consult is running: http://{shown}:{port}/  (Ctrl+C to stop)")
    if load:
        click.echo(f"Demo consultation: http://{shown}:{port}/c/wps-2026")
    if not _has_staff():
        click.echo("No staff account yet: `consult user create you@example.org --role admin --role designer "
                   f"--role analyst`, then sign in at http://{shown}:{port}/staff/login")
    run_simple(host, port, app, threaded=True, request_handler=PrivateRequestHandler)


def _has_staff() -> bool:
    from sqlmodel import select

    from consult import db
    from consult.accounts.models import StaffUser

    with db.unit_of_work() as session:
        return session.exec(select(StaffUser.id).limit(1)).first() is not None


@click.group("db")
def db_command() -> None:
    """Database schema commands."""


@db_command.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create or migrate the schema to the latest revision."""
    from consult import db

    db.upgrade(current_app._get_current_object())
    click.echo("Database is up to date.")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete responses whose consultation's retention period is over."""
    _purge(dry_run)


def _purge(dry_run: bool) -> None:
    from consult import db
    from consult.privacy.retention import checkpoint, purge_expired, retention_plan

    with db.unit_of_work() as session:
        if dry_run:
            due = [line for line in retention_plan(session) if line.due and line.responses]
            for line in due:
                click.echo(f"{line.slug}: {line.responses} responses (retention ended {line.ends})")
            if not due:
                click.echo("Nothing has passed its retention period.")
            return
        deleted = purge_expired(session)
    checkpoint(db.engine())
    for slug, count in deleted.items():
        click.echo(f"{slug}: {count} responses deleted (retention period over)")
    if not deleted:
        click.echo("Nothing has passed its retention period.")


def main() -> None:
    ConsultGroup(help="consult: survey and consultation platform for Women, Peace and Security.")()
