"""Languages in XLSForm column headers: ``label::English (en)``, ``label::French``, ``label``.

The code in parentheses wins whatever the name says; a name alone is looked up in
Babel's locale data, English names first ("French", "Portuguese (Brazil)"), then the
languages' own names ("Français", "العربية"). Codes are written the way the rest of
consult writes them: ``en``, ``pt-BR``.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError, localedata

#: Written in place of a language for XLSForm's "default" language.
DEFAULT = "default"

_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_NAME_AND_CODE = re.compile(r"^(.*)\(([^()]*)\)\s*$")


def normalise_code(code: str) -> str | None:
    """`code` as consult writes it ("pt_br" -> "pt-BR"), or None if Babel does not know it."""
    code = code.strip()
    if not _CODE.match(code):
        return None
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return str(locale).replace("_", "-")


def header_name(code: str) -> str:
    """The language part of a column header for `code`: "English (en)", "Arabic (ar)"."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        name = code
    return f"{name} ({code})"


def resolve(text: str) -> str | None:
    """The language code a header's language part names, :data:`DEFAULT`, or None if unknown.

    "English (en)" -> "en"; "Français (fr)" -> "fr"; "French" -> "fr"; "fr" -> "fr";
    "Portuguese (Brazil)" -> "pt-BR"; "default" -> DEFAULT; "Klingon" -> None.
    """
    text = text.strip()
    if not text:
        return None
    if text.casefold() == DEFAULT:
        return DEFAULT
    match = _NAME_AND_CODE.match(text)
    if match:
        code = normalise_code(match.group(2))
        if code:
            return code
    code = normalise_code(text) if len(text) <= 12 and " " not in text else None
    if code:
        return code
    return _by_name(text)


def _by_name(text: str) -> str | None:
    key = text.casefold()
    english = _english_names()
    if key in english:
        return english[key]
    match = _NAME_AND_CODE.match(text)
    if match:  # "Portuguese (Brazil)": a language and a territory
        language = english.get(match.group(1).strip().casefold())
        territory = _territories().get(match.group(2).strip().casefold())
        if language and territory:
            return normalise_code(f"{language}_{territory}")
    return _autonyms().get(key)


@cache
def _english_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in Locale("en").languages.items():
        if normalise_code(code) == code:
            names.setdefault(name.casefold(), code)
    return names


@cache
def _territories() -> dict[str, str]:
    return {name.casefold(): code for code, name in Locale("en").territories.items() if code.isalpha()}


@cache
def _autonyms() -> dict[str, str]:
    # Loads every language's locale data (a few seconds): only reached for a header
    # that names its language in that language and gives no code, e.g. "label::Français".
    names: dict[str, str] = {}
    for identifier in localedata.locale_identifiers():
        if "_" in identifier:
            continue
        try:
            name = Locale.parse(identifier).get_display_name()
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            names.setdefault(name.casefold(), identifier)
    return names
