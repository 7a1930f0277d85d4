"""Locale selection and language facts for templates.

Order (PRODUCT.md): ``?lang=``, then the language cookie, then Accept-Language,
then the default. The cookie lives for the browser session only: respondents get
no persistent cookie.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import Flask, g, request
from flask_babel import Babel, get_locale, refresh

from consult.settings import PLATFORM_LOCALES, RTL_LANGUAGES

LANG_COOKIE = "consult_lang"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

babel = Babel()


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        text_direction=text_direction, language_name=language_name, current_language=current_language
    )
    app.after_request(_remember_language)


def choose_language(offered: Sequence[str], default: str) -> str:
    """The best of `offered` for this request: query, cookie, Accept-Language, default."""
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in offered:
            return candidate
    return negotiate(request.accept_languages, offered) or default


def negotiate(accepted: Sequence[tuple[str, float]], offered: Sequence[str]) -> str | None:
    """The first accepted language (highest quality first) that is offered, exactly or
    by its primary subtag: "fr-CA, es;q=0.8" prefers "fr" to "es"."""
    by_tag = {code.lower(): code for code in offered}
    for tag, quality in sorted(accepted, key=lambda item: -item[1]):
        if quality <= 0:
            continue
        tag = tag.lower().replace("_", "-")
        if tag in by_tag:
            return by_tag[tag]
        if tag.split("-")[0] in by_tag:
            return by_tag[tag.split("-")[0]]
    return None


def platform_locale(language: str) -> str:
    """The locale of the platform's own text for a content language (English if untranslated)."""
    if language in PLATFORM_LOCALES:
        return language
    base = language.replace("-", "_").split("_")[0]
    return base if base in PLATFORM_LOCALES else "en"


def use_language(language: str) -> None:
    """Make `language` the language of this request (content and platform text)."""
    g.language = language
    g.locale = platform_locale(language)
    refresh()  # Flask-Babel caches the locale per request
    if request.args.get("lang") == language or request.form.get("_switch_lang") == language:
        g.remember_language = language


def select_locale() -> str:
    if "locale" in g:
        return g.locale
    language = choose_language(PLATFORM_LOCALES, "en")
    g.language = language
    if request.args.get("lang") == language:
        g.remember_language = language
    return language


def current_language() -> str:
    """The request's language; settles it (query, cookie, Accept-Language) if no view did."""
    if "language" not in g and "locale" not in g:
        get_locale()  # runs select_locale, which records g.language
    return g.get("language") or g.get("locale") or "en"


def _remember_language(response):
    language = g.get("remember_language")
    if language and request.cookies.get(LANG_COOKIE) != language:
        # No max_age/expires: a session cookie, gone when the browser closes.
        response.set_cookie(
            LANG_COOKIE,
            language,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


@lru_cache(maxsize=512)
def text_direction(language: str) -> str:
    """'rtl' or 'ltr' for a language tag, from Babel's locale data where it knows it (kept per process)."""
    try:
        return Locale.parse(language.replace("-", "_")).text_direction
    except (UnknownLocaleError, ValueError):
        return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


@lru_cache(maxsize=512)
def language_name(language: str) -> str:
    """The language's own name for itself ("français", "العربية"); kept per process."""
    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name() or language
    except (UnknownLocaleError, ValueError):
        return language
    return name[:1].upper() + name[1:]


def is_known_language(language: str) -> bool:
    try:
        Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True
