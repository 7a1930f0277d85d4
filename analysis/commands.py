"""`consult export SLUG --format csv|xlsx|docx|html -o FILE`, on the workspace blueprint."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.downloads import CLI_KINDS, ExportRefused, build_download
from analysis.routes import bp
from consult.settings import PLATFORM_LOCALES


class BadInput(click.ClickException):
    """A user's mistake: exit code 2, message on stderr."""

    exit_code = 2


@bp.cli.command("export")
@click.argument("slug")
@click.option("--format", "kind", required=True, help="csv, xlsx, docx or html.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write.")
@click.option("--lang", "language", default="en", show_default=True,
              help="Language of headings, notes and the brief.")
def export_command(slug: str, kind: str, output: Path, language: str) -> None:
    """Export a consultation: anonymised responses (csv, xlsx with aggregate tables) or the brief
    (docx, html). Recorded in the audit log."""
    from analysis.queries import find_consultation
    from consult import db

    if kind not in CLI_KINDS:
        raise BadInput(f"--format: {kind!r} is not one of {', '.join(CLI_KINDS)}")
    if language not in PLATFORM_LOCALES:
        raise BadInput(f"--lang: {language!r} is not one of {', '.join(PLATFORM_LOCALES)}")
    if not output.parent.is_dir():
        raise BadInput(f"-o: the folder {str(output.parent)!r} does not exist")
    with db.unit_of_work() as session:
        consultation = find_consultation(session, slug)
        if consultation is None or consultation.state == "draft":
            raise BadInput(f"SLUG: no published consultation {slug!r}")
        try:
            download = build_download(session, consultation, kind, language, actor=None)
        except ExportRefused as error:
            raise BadInput(f"{slug}: {error}") from error
    try:
        output.write_bytes(download.content)
    except OSError as error:
        raise BadInput(f"-o: cannot write {str(output)!r} ({error.strerror})") from error
    click.echo(f"{output}: {kind} export of {slug} ({len(download.content)} bytes)")
