"""One pass over the lower-cased answer that finds every cue phrase of every kind.

Each recogniser then reads the cues of the kinds it needs (a birth cue, a street word, a
relation...) instead of scanning the text again: applying all six languages costs one
trie-shaped regex pass, not dozens.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from . import lexicon

# Lexicon lists that are cues (phrases looked for in the text), as opposed to lists that
# are only looked up (stop words, particles, quantity words...).
CUE_KEYS: tuple[str, ...] = (
    "name_cues",
    "self_cues",
    "relation_cues",
    "titles",
    "role_nouns",
    "naming_verbs",
    "phone_cues",
    "id_cues",
    "birth_cues",
    "age_self_cues",
    "age_prep_cues",
    "plate_cues",
    "street_before",
    "street_after",
    "po_box",
    "landmark_preps",
    "settlements",
    "location_cues",
    "org_role_cues",
    "org_our_cues",
    "email_at",
    "handle_cues",
    "handle_name_cues",
)


class Cue(NamedTuple):
    """A cue phrase found at `text[start:end]`, with the lexicon lists it belongs to."""

    start: int
    end: int
    keys: frozenset[str]


def normalise(phrase: str) -> str:
    """Form of a phrase used to look up its kinds: lower case, single spaces, ' apostrophe."""
    return re.sub(r"\s+", " ", phrase.lower()).replace("’", "'")


@cache
def _index(langs: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    kinds: dict[str, set[str]] = {}
    for lang in langs:
        lex = lexicon.language(lang)
        prefixes = lex.get("word_prefixes", [])
        for key in CUE_KEYS:
            for phrase in lex.get(key, []):
                p = normalise(phrase)
                for variant in [p] + [pre + p for pre in prefixes]:
                    kinds.setdefault(variant, set()).add(key)
    # Word boundaries apply only on the sides where a phrase has a letter: "(arroba)" may
    # be glued to the words around it ("luz(arroba)gmail.com").
    groups: dict[tuple[bool, bool], list[str]] = {}
    for p in kinds:
        groups.setdefault((p[0].isalnum(), p[-1].isalnum()), []).append(p)
    alternatives = [
        (r"(?<!\w)" if word_start else "")
        + "(?:"
        + lexicon.trie_pattern(sorted(phrases))
        + ")"
        + (r"(?!\w)" if word_end else "")
        # phrases that end in punctuation first, so that "mrs." wins over "mrs" and "s.l.p."
        # over "s.l.p"
        for (word_start, word_end), phrases in sorted(groups.items(), key=lambda g: g[0][1])
    ]
    # a zero-width match at every start, so that overlapping cues are all found: "eu sou"
    # and "sou coordenadora da" in "eu sou coordenadora da ..."
    pattern = "(?=(" + "|".join(alternatives) + "))"
    return re.compile(pattern), {p: frozenset(k) for p, k in kinds.items()}


def find_cues(low: str, langs: tuple[str, ...]) -> list[Cue]:
    """Every cue in the lower-cased text `low`, left to right, the longest at each start."""
    regex, kinds = _index(langs)
    out = []
    for m in regex.finditer(low):
        phrase = m.group(1)
        keys = kinds.get(phrase) or kinds.get(normalise(phrase))
        if keys:
            out.append(Cue(m.start(1), m.end(1), keys))
    return out
