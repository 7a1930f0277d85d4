"""Survey commands: `consult demo`, `consult import-xlsform`, `consult export-xlsform`."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from consult import db
from surveys.routes import bp


@bp.cli.command("demo")
@click.option("--responses", "count", default=0, show_default=True, type=click.IntRange(0, 1_000_000),
              help="Also add this many synthetic responses.")
@click.option("--seed", type=int, default=None, help="Seed for reproducible synthetic responses.")
def demo_command(count: int, seed: int | None) -> None:
    """Create the published demo consultation `wps-2026` (idempotent)."""
    from surveys.demo import load_demo
    from surveys.synthetic import add_synthetic_responses

    db.upgrade(current_app._get_current_object())
    with db.unit_of_work() as session:
        consultation = load_demo(session)
        slug = consultation.slug
    if count:
        with db.unit_of_work() as session:
            consultation = load_demo(session)
            with click.progressbar(length=count, label="Submitting synthetic responses", file=None) as bar:
                for _receipt in add_synthetic_responses(
                    session, consultation, count, current_app.secret_key, seed
                ):
                    bar.update(1)
    click.echo(f"Demo consultation ready: /c/{slug}" + (f" ({count} synthetic responses added)" if count else ""))


class BadInput(click.ClickException):
    """A user's mistake: the message on stderr, exit code 2, no traceback."""

    exit_code = 2


#: Problems listed in full on the terminal; a hostile file may hold thousands.
MAX_LISTED = 50


def _use_terminal_language() -> None:
    """Translate messages into the terminal's language (LANG), English if the platform lacks it.

    consult.i18n chooses a locale from the request, and a command has none.
    """
    from flask import g
    from flask_babel import refresh

    from consult.i18n import platform_locale

    setting = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or "en"
    g.locale = platform_locale(setting.split(".")[0].replace("_", "-"))
    refresh()


def _listing(problems: list, indent: str = "  ") -> list[str]:
    """Problems as indented lines, the first MAX_LISTED of them."""
    lines = [f"{indent}{problem}" for problem in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(indent + _("… and %(count)s more.", count=len(problems) - MAX_LISTED))
    return lines


@bp.cli.command("import-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", default=None, help="Slug of the new consultation (default: the form_id of the settings sheet).")
@click.option("--skip-unsupported", is_flag=True,
              help="Import what consult supports and leave out the rest (repeats, calculations, metadata...).")
def import_xlsform_command(file: Path, slug: str | None, skip_unsupported: bool) -> None:
    """Create a draft consultation from an XLSForm (.xlsx) made with ODK or KoboToolbox."""
    from surveys.xlsform import ImportRefused, import_xlsform
    from surveys.xlsform.workbook import MAX_FILE_BYTES

    _use_terminal_language()
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise BadInput(_("%(file)s is too large for an XLSForm (at most %(limit)s MB).", file=file,
                             limit=MAX_FILE_BYTES // 1_048_576))
        data = file.read_bytes()
    except OSError as error:
        raise BadInput(_("Cannot read %(file)s: %(reason)s", file=file, reason=error.strerror)) from None
    db.upgrade(current_app._get_current_object())
    try:
        with db.unit_of_work() as session:
            report = import_xlsform(session, data, slug=slug, skip_unsupported=skip_unsupported)
            title = report.consultation.text("title", report.consultation.default_language)
    except ImportRefused as refused:
        lines = [_("%(file)s was not imported:", file=file), *_listing(refused.blocking)]
        if refused.only_unsupported:
            lines.append(_("Run again with --skip-unsupported to import the rest and leave these out."))
        raise BadInput("\n".join(lines)) from None

    click.echo(_("Imported “%(title)s” as a draft consultation.", title=title or report.slug))
    click.echo("  " + ngettext("%(num)s section", "%(num)s sections", report.section_count)
               + ", " + ngettext("%(num)s question", "%(num)s questions", report.question_count)
               + "; " + _("languages: %(languages)s", languages=", ".join(report.languages)))
    if report.left_out:
        click.echo(_("Left out:"))
        for line in _listing(report.left_out):
            click.echo(line)
    if report.notes:
        click.echo(_("Notes:"))
        for line in _listing(report.notes):
            click.echo(line)
    click.echo(_("Slug: %(slug)s", slug=report.slug))


@bp.cli.command("export-xlsform")
@click.argument("slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .xlsx file to write.")
def export_xlsform_command(slug: str, output: Path) -> None:
    """Write a consultation (drafts included) as an XLSForm for ODK and KoboToolbox."""
    from surveys.xlsform import UnknownConsultation, XLSFormWriteError, export_xlsform_by_slug

    _use_terminal_language()
    db.upgrade(current_app._get_current_object())
    with db.unit_of_work() as session:
        try:
            data = export_xlsform_by_slug(session, slug)
        except UnknownConsultation:
            raise BadInput(_("No consultation has the slug “%(slug)s”.", slug=slug)) from None
        except XLSFormWriteError as error:
            raise BadInput(_("%(slug)s cannot be written as an XLSForm: %(reason)s", slug=slug,
                             reason=str(error))) from None
    try:
        output.write_bytes(data)
    except OSError as error:
        raise BadInput(_("Cannot write %(file)s: %(reason)s", file=output, reason=error.strerror)) from None
    click.echo(_("Wrote %(file)s.", file=output))
