"""`consult scrub`: scrub PII from JSON Lines on stdin, one result line per input line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import click

from consult.privacy.scrub import scrub_pii


def _utf8_lines(stream) -> Iterator[str]:
    """Lines of `stream` decoded as UTF-8 whatever the locale, one at a time (streaming)."""
    raw = getattr(stream, "buffer", None)
    if raw is None:
        yield from stream
        return
    for line in raw:
        yield line.decode("utf-8", errors="replace")


def _write_utf8(stream, text: str) -> None:
    """Write `text` as UTF-8 whatever the locale, and flush: one result per input, now."""
    raw = getattr(stream, "buffer", None)
    if raw is None:
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    raw.write(text.encode("utf-8"))
    raw.flush()


def _problem(obj: object) -> str | None:
    """What is wrong with one decoded input line, or None when it can be scrubbed."""
    if not isinstance(obj, dict):
        return "expected a JSON object"
    if "text" not in obj:
        return 'missing "text"'
    if not isinstance(obj["text"], str):
        return '"text" must be a string'
    lang = obj.get("lang")
    if lang is not None and not isinstance(lang, str):
        return '"lang" must be a string when given'
    return None


@click.command("scrub")
@click.pass_context
def scrub_command(ctx: click.Context) -> None:
    """Scrub PII from JSON Lines on stdin: {"id", "text", "lang"?} in, {"id", "text", "spans"} out.

    Spans index the ORIGINAL text. A bad line is reported on stderr by its number (never
    its content, which may hold PII) and the stream goes on; the exit code is then 2.
    """
    bad = 0
    for number, line in enumerate(_utf8_lines(sys.stdin), start=1):
        if not line.strip():
            continue  # blank lines (a trailing newline) are not answers
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = f"invalid JSON ({exc.msg} at column {exc.colno})"
        else:
            problem = _problem(obj)
        if problem:
            bad += 1
            click.echo(f"consult scrub: line {number}: {problem}; skipped", err=True)
            continue
        result = scrub_pii(obj["text"], obj.get("lang"))
        out = {
            "id": obj.get("id"),
            "text": result.text,
            "spans": [span.as_dict() for span in result.spans],
        }
        _write_utf8(sys.stdout, json.dumps(out, ensure_ascii=False) + "\n")
    if bad:
        click.echo(f"consult scrub: {bad} bad line(s) skipped", err=True)
        ctx.exit(2)
