"""Word lists for the scrubber, loaded once from the package's lexicons/ folder."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

LANGS: tuple[str, ...] = ("en", "fr", "es", "pt", "ar", "sw")

_APOSTROPHES = "'’"


@cache
def language(lang: str) -> dict:
    """Return the rule lexicon of one language (keys are documented in lexicons/en.json)."""
    if lang not in LANGS:
        raise ValueError(f"no scrubber lexicon for language {lang!r}")
    text = resources.files(__package__).joinpath("lexicons", f"{lang}.json").read_text("utf-8")
    return json.loads(text)


@cache
def common() -> dict:
    """Return the language-independent lexicon (public domains, TLDs, phone regions)."""
    text = resources.files(__package__).joinpath("lexicons", "common.json").read_text("utf-8")
    return json.loads(text)


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("lexicons", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@cache
def given_names() -> frozenset[str]:
    """Latin-script given names that anchor a PERSON when a surname follows."""
    return frozenset(_lines("given_names.txt"))


@cache
def ambiguous_names() -> frozenset[str]:
    """Given names that are also common words; only a cue makes them a PERSON."""
    return frozenset(_lines("ambiguous_names.txt"))


@cache
def arabic_given_names() -> tuple[frozenset[str], frozenset[str]]:
    """Arabic-script given names: (all names, the ones that are also common words)."""
    names, ambiguous = set(), set()
    for line in _lines("ar_given_names.txt"):
        if line.endswith("*"):
            line = line[:-1]
            ambiguous.add(line)
        names.add(line)
    return frozenset(names), frozenset(ambiguous)


def merged(langs: tuple[str, ...], key: str) -> list[str]:
    """Union of one lexicon list over several languages, longest first, without duplicates."""
    seen: dict[str, None] = {}
    for lang in langs:
        for item in language(lang).get(key, []):
            seen.setdefault(item.lower() if _is_cased(item) else item, None)
    return sorted(seen, key=len, reverse=True)


def _is_cased(s: str) -> bool:
    return s.lower() != s.upper()


def _trie_pattern(words: list[str]) -> str:
    """Regex alternation of `words` as a character trie, so matching cost does not grow
    with the number of words (Python's re tries alternatives one by one)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            if ch == " ":
                piece = r"\s+"
            elif ch in _APOSTROPHES:
                piece = "['’]"
            else:
                piece = re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if ends else body

    return emit(trie)


def phrase_regex(langs: tuple[str, ...], key: str) -> str:
    """Pattern (no groups) matching any phrase of lexicon list `key` as whole words.

    Arabic phrases also match with a leading conjunction (و, ف) glued to them.
    Returns a pattern that never matches when the lists are empty.
    """
    parts = []
    for lang in langs:
        words = language(lang).get(key, [])
        if not words:
            continue
        prefixes = language(lang).get("word_prefixes", [])
        head = "(?:" + "|".join(map(re.escape, prefixes)) + ")?" if prefixes else ""
        word_end = [w for w in words if w[-1].isalnum()]
        other_end = [w for w in words if not w[-1].isalnum()]
        if word_end:
            parts.append(r"(?<!\w)" + head + "(?:" + _trie_pattern(word_end) + r")(?!\w)")
        if other_end:
            parts.append(r"(?<!\w)" + head + "(?:" + _trie_pattern(other_end) + ")")
    return "(?:" + "|".join(parts) + ")" if parts else "(?!x)x"
