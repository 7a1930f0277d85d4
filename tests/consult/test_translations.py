"""The platform's own text is translated, complete and current in every shipped locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from consult.settings import PLATFORM_LOCALES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LOCALES = [code for code in PLATFORM_LOCALES if code != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Messages extracted afresh from the code and templates, as a developer would."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(TRANSLATIONS / "babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3",
         "-o", str(pot), str(ROOT)]
    )
    with pot.open("rb") as handle:
        return {(m.context, _key(m.id)) for m in read_po(handle) if m.id}


def _key(message_id):
    return tuple(message_id) if isinstance(message_id, list | tuple) else message_id


def catalog(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(extracted, locale):
    messages = {(m.context, _key(m.id)): m for m in catalog(locale) if m.id}
    missing = sorted(str(i) for i in extracted if i not in messages)
    assert not missing, f"{locale}: run the catalog update; not in the catalog: {missing[:5]}"
    untranslated = [
        str(m.id) for key, m in messages.items()
        if key in extracted and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)
    ]
    assert not untranslated, f"{locale}: untranslated or fuzzy: {untranslated[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match(locale):
    for message in catalog(locale):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        allowed = set().union(*(PLACEHOLDER.findall(s) for s in sources))
        for target in targets:
            found = set(PLACEHOLDER.findall(target))
            assert found <= allowed, f"{locale}: {message.id!r} has unknown placeholders {found - allowed}"
            if not isinstance(message.id, tuple):
                assert found == allowed, f"{locale}: {message.id!r} lost placeholders {allowed - found}"


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalog_is_current(locale):
    def key(message):
        return message.context, _key(message.id)

    def value(message):
        return tuple(message.string) if isinstance(message.string, list | tuple) else message.string

    source = {key(m): value(m) for m in catalog(locale) if m.id and not m.fuzzy}
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = {key(m): value(m) for m in read_mo(handle) if m.id}
    assert compiled == source, f"{locale}: run `pybabel compile -d translations`"
