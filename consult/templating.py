"""Template helpers shared by every package: staff-written text, paragraphs, static URLs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, url_for
from markupsafe import Markup, escape


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy string, translated when shown
    #: Shown only to staff holding this role (None: any signed-in staff).
    role: str | None = None


def register_staff_nav(app: Flask, endpoint: str, label: Any, role: str | None = None) -> None:
    """Add a link to the staff navigation (each package registers its own pages)."""
    app.extensions.setdefault("consult.staff_nav", []).append(NavItem(endpoint, label, role))


def staff_nav() -> list[NavItem]:
    """The navigation links the current staff member may follow."""
    items = current_app.extensions.get("consult.staff_nav", [])
    allowed = current_app.extensions.get("consult.role_check")
    return [item for item in items if allowed is None or allowed(item.role)]


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.globals.update(tr=tr, static_url=static_url, staff_nav=staff_nav)
    # Static files are versioned by content hash, so they can be cached for a year.
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600


def tr(texts: dict[str, str] | None, block: bool = False) -> Markup:
    """Staff-written text in the request's language, falling back to the default language.

    Fallback text is wrapped in an element with its own ``lang`` so screen readers
    pronounce it right, and marked ``untranslated`` for the designer's preview.

    :param block: render paragraphs (blank lines) and line breaks.
    """
    if not texts:
        return Markup("")
    language = g.get("language", "en")
    render = paragraphs if block else escape
    if texts.get(language):
        return render(texts[language])
    fallback = g.get("fallback_language") or next(iter(texts))
    text = texts.get(fallback) or next((t for t in texts.values() if t), "")
    if not text:
        return Markup("")
    tag = "div" if block else "span"
    css = Markup(' class="untranslated"') if g.get("preview") else ""
    # `tag` is one of two literals; format() escapes the other arguments.
    return Markup("<{0} lang=\"{1}\"{2}>{3}</{0}>").format(Markup(tag), fallback, css, render(text))  # noqa: S704


def paragraphs(text: str | Markup) -> Markup:
    """Plain text with blank lines as paragraphs and single newlines as line breaks."""
    if not text:
        return Markup("")
    escaped = text if isinstance(text, Markup) else escape(text)
    blocks = [b.strip() for b in str(escaped).replace("\r\n", "\n").split("\n\n") if b.strip()]
    # Every block comes from escaped text.
    return Markup("".join(f"<p>{b.replace(chr(10), '<br>')}</p>" for b in blocks))  # noqa: S704


def static_url(filename: str) -> str:
    return url_for("static", filename=filename, v=_static_version(current_app.static_folder, filename))


@cache
def _static_version(folder: str, filename: str) -> str:
    return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:10]
