"""Languages in XLSForm column headers: ``label::English (en)``, ``label::French``, ``label``.

The code in parentheses wins whatever the name says; a name alone is looked up in
Babel's locale data, English names first ("French", "Portuguese (Brazil)"), then the
languages' own names ("Français", "العربية") for :data:`AUTONYM_LANGUAGES`. Codes are written the way the rest of
consult writes them: ``en``, ``pt-BR``.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError

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
    """The code of a language given by name, English or its own."""
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
    """English language names -> codes Babel has locale data for."""
    names: dict[str, str] = {}
    for code, name in Locale("en").languages.items():
        if normalise_code(code) == code:
            names.setdefault(name.casefold(), code)
    return names


@cache
def _territories() -> dict[str, str]:
    """English territory names -> codes ("Brazil" -> "BR")."""
    return {name.casefold(): code for code, name in Locale("en").territories.items() if code.isalpha()}


#: Languages whose own name ("Français", "العربية", "Kiswahili") is recognised without a
#: code: consult's platform languages and those most used in peacebuilding and
#: humanitarian work. Any other language needs its English name or its code.
AUTONYM_LANGUAGES = (
    "en", "fr", "es", "ar", "pt", "sw", "ru", "zh", "fa", "ps", "ur", "hi", "bn", "ne", "si", "ta", "my", "th",
    "vi", "id", "ms", "fil", "tr", "ku", "ckb", "uk", "ka", "hy", "az", "uz", "kk", "ky", "tg", "am", "ti", "om",
    "so", "ha", "yo", "ig", "ff", "wo", "bm", "ln", "rw", "rn", "lg", "mg", "sn", "zu", "xh", "af", "de", "it",
    "nl", "pl", "ro", "sr", "bs", "hr", "sq", "mk", "he", "ja", "ko", "km", "lo", "mn", "dz", "bo",
)


@cache
def _autonyms() -> dict[str, str]:
    # Each language's own name needs that language's locale data, so only a short list
    # is loaded (once), not the whole of Babel.
    names: dict[str, str] = {}
    for code in AUTONYM_LANGUAGES:
        try:
            name = Locale.parse(code).get_display_name()
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            names.setdefault(name.casefold(), code)
    return names
