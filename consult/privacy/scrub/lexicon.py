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


def trie_pattern(words: list[str]) -> str:
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


@cache
def phrase_regex(langs: tuple[str, ...], *keys: str) -> str:
    """Pattern (no groups) matching any phrase of the lexicon lists `keys` as whole words,
    for a LOWER-CASED text (see `lower`): one trie over every language, so that applying
    all six languages costs about as much as one.

    Arabic phrases also match with a conjunction (و, ف) glued to their front.
    Returns a pattern that never matches when the lists are empty.
    """
    words: set[str] = set()
    for lang in langs:
        lex = language(lang)
        prefixes = lex.get("word_prefixes", [])
        for key in keys:
            for w in lex.get(key, []):
                w = w.lower()
                words.add(w)
                words.update(p + w for p in prefixes)
    word_end = sorted(w for w in words if w[-1].isalnum())
    other_end = sorted(w for w in words if not w[-1].isalnum())
    parts = []
    if word_end:
        parts.append(r"(?<!\w)(?:" + trie_pattern(word_end) + r")(?!\w)")
    if other_end:
        parts.append(r"(?<!\w)(?:" + trie_pattern(other_end) + ")")
    return "(?:" + "|".join(parts) + ")" if parts else "(?!x)x"


def lower(text: str) -> str:
    """Lower-cased copy of `text` with the same length, so offsets carry over."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
