"""``consult classify``: theme JSON Lines from stdin, one result line per input on stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

import click
from flask.cli import with_appcontext

DEFAULT_BATCH = 64


def _parse(raw: bytes, number: int) -> tuple[dict | None, str | None, str | None]:
    """Return ``(item, error, warning)`` for one input line; messages never quote the text."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, f"line {number}: not valid UTF-8", None
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return None, f"line {number}: not valid JSON", None
    if not isinstance(row, dict):
        return None, f"line {number}: expected a JSON object", None
    if "text" not in row:
        return None, f'line {number}: missing "text"', None
    if not isinstance(row["text"], str):
        return None, f'line {number}: "text" must be a string', None
    lang = row.get("lang")
    if lang is not None and not isinstance(lang, str):
        return None, f'line {number}: "lang" must be a string', None
    warning = None
    if lang is not None:
        from analysis.theming import normalise_lang

        if normalise_lang(lang) is None:
            warning = f"line {number}: unsupported language hint, identified from the text instead"
    return {"id": row.get("id"), "text": row["text"], "lang": lang}, None, warning


def _write_batch(themer, batch: list[dict], out: IO[str], explain: bool) -> None:
    results = themer.classify([item["text"] for item in batch], [item["lang"] for item in batch], explain=explain)
    for item, result in zip(batch, results, strict=True):
        record = {
            "id": item["id"],
            "goals": result.goals,
            "scores": result.scores,
            "lang": result.lang,
            "sentiment": result.sentiment,
        }
        if explain:
            record["explanation"] = result.explanation
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def _load_themer(model: Path | None):
    from analysis.theming import Themer, default_themer
    from analysis.theming.corpus import CorpusError

    if model is not None:
        try:
            return Themer.from_bytes(model.read_bytes())
        except (OSError, ValueError) as exc:
            raise click.BadParameter(str(exc), param_hint="--model") from exc
    try:
        return default_themer()
    except (CorpusError, ValueError) as exc:
        raise click.ClickException(f"cannot build the theming model: {exc}") from exc


@click.command("classify")
@click.option(
    "--model",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A saved themer (Themer.to_bytes); default: train from the shipped seed corpus.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 10_000),
    default=DEFAULT_BATCH,
    show_default=True,
    help="Texts themed together; output is flushed after each batch.",
)
@click.option("--explain", is_flag=True, help="Add the terms behind each goal.")
def classify_command(model: Path | None, batch_size: int, explain: bool) -> None:
    """Theme JSON Lines from stdin by NAP goal.

    Each input line is {"id": ..., "text": "...", "lang": "fr"} (lang optional).
    Each output line is {"id", "goals", "scores", "lang", "sentiment"}; sentiment
    is null where the language has no model. Bad lines are reported on stderr
    with their line number (never their text) and skipped; the exit code is then 2.
    """
    themer = _load_themer(model)
    # Bytes in, so that a line that is not UTF-8 is one bad line rather than a crash.
    stdin = sys.stdin.buffer
    stdout = sys.stdout
    stderr = sys.stderr
    show_progress = stderr.isatty()
    bad = 0
    done = 0
    batch: list[dict] = []
    for number, raw in enumerate(stdin, start=1):
        if not raw.strip():
            continue
        item, error, warning = _parse(raw, number)
        if warning:
            click.echo(f"warning: {warning}", err=True)
        if error:
            bad += 1
            click.echo(f"error: {error}", err=True)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            _write_batch(themer, batch, stdout, explain)
            done += len(batch)
            batch = []
            if show_progress:
                stderr.write(f"\rthemed {done} texts")
                stderr.flush()
    if batch:
        _write_batch(themer, batch, stdout, explain)
        done += len(batch)
    if show_progress:
        stderr.write(f"\rthemed {done} texts\n")
    if bad:
        click.echo(f"{bad} bad line(s) skipped", err=True)
        sys.exit(2)


class _BadInput(click.ClickException):
    exit_code = 2


@click.command("analyse")
@click.argument("slug")
@click.option("--all", "everything", is_flag=True,
              help="Also re-theme answers themed automatically before (after a retrain); analysts' decisions stay.")
@with_appcontext
def analyse_command(slug: str, everything: bool) -> None:
    """Theme the free-text answers of consultation SLUG that are not themed yet."""
    from sqlmodel import select

    from analysis.services import analyse_consultation
    from consult import db
    from surveys.models import Consultation

    with db.unit_of_work() as session:
        consultation = session.exec(select(Consultation).where(Consultation.slug == slug)).first()
        if consultation is None:
            raise _BadInput(f"SLUG: no consultation {slug!r}")
        show = sys.stderr.isatty()
        with click.progressbar(length=0, label="Theming", file=sys.stderr if show else None) as bar:
            report = analyse_consultation(session, consultation, everything=everything, progress=bar.update)
    click.echo(
        f"{slug}: {report.themed} answers themed with {report.model_version}; "
        f"{report.already} were themed before."
    )


@click.command("retrain")
@with_appcontext
def retrain_command() -> None:
    """Train a new model on the seed corpus and analysts' corrections; keep the previous ones."""
    from analysis.services import retrain
    from consult import db

    with db.unit_of_work() as session:
        model = retrain(session)
        click.echo(
            f"Model {model.version}: {model.training_size} examples, {model.corrections} analysts' corrections. "
            "Run `consult analyse SLUG --all` to re-theme automatic assignments with it."
        )
