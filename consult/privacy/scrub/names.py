"""Person names.

Three sources, from most to least certain:

* a cue before a capitalised name: "my name is", "je m'appelle", "mi hermana", "dada
  yangu", "اسمي", titles (Mrs, Mme, Sra, Bi., السيدة), role nouns ("the landlord,") and
  naming verbs ("named", "s'appelle"). After the weak cues "I am" / "je suis" / "soy" /
  "mimi ni" a single word only counts when it is a known given name;
* a known given name followed by a capitalised surname ("Grace Okafor"), anywhere;
* in Arabic script: a known given name followed by a family name (ال..., عبد ...), and
  kunyas (أم علي, أبو حسن).

Titles are not part of the span. Names in the name of a law, prize or institution ("Lei
Maria da Penha", "Ley Micaela", "Marie Stopes International") are not persons.
"""

from __future__ import annotations

import re
from functools import cache

from . import lexicon
from .model import Candidate
from .textutil import ARABIC_WORD, NAME_TOKEN


@cache
def _particles(langs: tuple[str, ...]) -> str:
    words = [w for w in lexicon.merged(langs, "particles") if w.isalpha() or w.endswith("'")]
    return "(?:" + "|".join(re.escape(w) for w in words) + ")" if words else "(?!x)x"


@cache
def _name_seq(langs: tuple[str, ...]) -> str:
    # "Maria das Dores Santos", "Leila Ben Salah", "Nyibol Deng Garang"; case-sensitive
    return rf"(?-i:{NAME_TOKEN}(?:\s+(?:{_particles(langs)}\s+)*{NAME_TOKEN}){{0,4}})"


@cache
def _non_names(langs: tuple[str, ...]) -> frozenset[str]:
    words: set[str] = set()
    for key in ("stop_capitalised", "law_words", "org_words", "months", "settlements"):
        words.update(w.lower() for w in lexicon.merged(langs, key))
    return frozenset(words)


@cache
def _law_words(langs: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.merged(langs, "law_words"))


@cache
def _cue_regexes(langs: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    strong = "|".join(
        lexicon.phrase_regex(langs, key)
        for key in ("name_cues", "relation_cues", "titles", "role_nouns", "naming_verbs")
    )
    weak = lexicon.phrase_regex(langs, "self_cues")
    sep = r"[\s,:«“\"(]*"
    name = _name_seq(langs)
    return (
        re.compile(rf"(?:{strong}){sep}({name})", re.IGNORECASE),
        re.compile(rf"(?:{weak}){sep}({name})", re.IGNORECASE),
    )


@cache
def _anchor_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w\-'’])({_name_seq(langs)})")


@cache
def _arabic_cue_regexes(langs: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    if "ar" not in langs:
        never = re.compile("(?!x)x")
        return never, never
    strong = "|".join(
        lexicon.phrase_regex(("ar",), key) for key in ("name_cues", "titles", "naming_verbs")
    )
    related = "|".join(
        lexicon.phrase_regex(("ar",), key) for key in ("relation_cues", "role_nouns", "self_cues")
    )
    sep = r"[\s:،,(«\"]*"
    return (
        re.compile(rf"(?:{strong}){sep}(?=[\u0621-\u064A])"),
        re.compile(rf"(?:{related}){sep}(?=[\u0621-\u064A])"),
    )


_ARABIC_TOKEN = re.compile(ARABIC_WORD)
_KUNYA = re.compile(rf"(?<!\w)(?:أم|ام|أبو|ابو)\s+{ARABIC_WORD}")


def _trim_tokens(seq: str, non_names: frozenset[str]) -> tuple[int, int] | None:
    """Offsets within `seq` of its name part: drop leading and trailing non-name words."""
    tokens = list(re.finditer(r"\S+", seq))
    while tokens and tokens[0].group().lower().strip("'’") in non_names:
        tokens.pop(0)
    # stop at the first institution word ("Grace Foundation"): what follows is not a name
    for i, tok in enumerate(tokens):
        if tok.group().lower() in non_names and i > 0:
            tokens = tokens[:i]
            break
    while tokens and not tokens[-1].group()[0].isupper():
        tokens.pop()  # trailing particle
    if not tokens:
        return None
    return tokens[0].start(), tokens[-1].end()


def _law_before(text: str, start: int, law_words: frozenset[str]) -> bool:
    before = re.search(r"(\w+)\W*$", text[max(0, start - 30) : start])
    return bool(before and before.group(1).lower() in law_words)


def _law_after(text: str, end: int, law_words: frozenset[str]) -> bool:
    after = re.match(r"['’]?s?\s+(\w+)", text[end : end + 30])
    return bool(after and after.group(1).lower() in law_words and after.group(1)[0].isupper())


def find(text: str, langs: tuple[str, ...]) -> list[Candidate]:
    """PERSON candidates in `text`."""
    out: list[Candidate] = []
    non_names = _non_names(langs)
    law_words = _law_words(langs)
    given = lexicon.given_names()
    ambiguous = lexicon.ambiguous_names()
    strong, weak = _cue_regexes(langs)
    for m in strong.finditer(text):
        span = _trim_tokens(m.group(1), non_names)
        if span:
            out.append(Candidate(m.start(1) + span[0], m.start(1) + span[1], "PERSON", 62))
    for m in weak.finditer(text):
        span = _trim_tokens(m.group(1), non_names)
        if not span:
            continue
        name = m.group(1)[span[0] : span[1]]
        if " " in name or name in given or name in ambiguous:
            out.append(Candidate(m.start(1) + span[0], m.start(1) + span[1], "PERSON", 58))
    for m in _anchor_regex(langs).finditer(text):
        tokens = list(re.finditer(r"\S+", m.group(1)))
        for i, tok in enumerate(tokens[:-1]):
            if tok.group() not in given:
                continue
            rest = m.group(1)[tok.start() :]
            span = _trim_tokens(rest, non_names)
            start = m.start(1) + tok.start()
            if not span or " " not in rest[span[0] : span[1]]:
                break
            end = start + span[1]
            if _law_before(text, start, law_words) or _law_after(text, end, law_words):
                break
            out.append(Candidate(start, end, "PERSON", 55))
            break
    if "ar" in langs and re.search("[\u0621-\u064A]", text):
        out.extend(_arabic(text, langs))
    return out


def _arabic(text: str, langs: tuple[str, ...]) -> list[Candidate]:
    names, ambiguous = lexicon.arabic_given_names()
    stop = frozenset(lexicon.language("ar")["ar_stop"])
    out: list[Candidate] = []

    def extend(pos: int, first_needs_name: bool, allow_free_second: bool) -> tuple[int, int] | None:
        tokens = []
        for tok in _ARABIC_TOKEN.finditer(text, pos):
            gap = text[(tokens[-1].end() if tokens else pos) : tok.start()]
            if gap.strip(" \u00a0") or len(tokens) == 3:
                break  # punctuation or a line break ends the name
            word = tok.group()
            if word in stop or (word.startswith("و") and word not in names and word[1:] in stop):
                break
            if not tokens:
                if first_needs_name and word not in names:
                    return None
            elif word.startswith("و") and word not in names:
                break
            elif not (word.startswith("ال") or word in names or word.startswith("عبد")):
                if not (allow_free_second and len(tokens) == 1):
                    break
            tokens.append(tok)
        if not tokens:
            return None
        return tokens[0].start(), tokens[-1].end()

    strong, related = _arabic_cue_regexes(langs)
    for m in strong.finditer(text):
        span = extend(m.end(), first_needs_name=False, allow_free_second=True)
        if span:
            out.append(Candidate(*span, "PERSON", 62))
    for m in related.finditer(text):
        span = extend(m.end(), first_needs_name=True, allow_free_second=True)
        if span:
            out.append(Candidate(*span, "PERSON", 60))
    for m in _KUNYA.finditer(text):
        word = m.group().split()[-1]
        if word in names:
            span = extend(m.end() - len(word), first_needs_name=True, allow_free_second=False)
            if span:
                out.append(Candidate(m.start(), span[1], "PERSON", 61))
    for tok in _ARABIC_TOKEN.finditer(text):
        word = tok.group()
        if word in names and word not in ambiguous:
            nxt = re.match(rf"\s+({ARABIC_WORD})", text[tok.end() : tok.end() + 40])
            if nxt and nxt.group(1).startswith("ال") and nxt.group(1) not in stop:
                span = extend(tok.start(), first_needs_name=True, allow_free_second=False)
                if span:
                    out.append(Candidate(*span, "PERSON", 54))
    return out
