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
from .textutil import ARABIC_WORD, NAME_TOKEN, UPPER, Doc


@cache
def _particles(langs: tuple[str, ...]) -> str:
    words = [w for w in lexicon.merged(langs, "particles") if w.isalpha() or w.endswith("'")]
    return "(?:" + "|".join(re.escape(w) for w in words) + ")" if words else "(?!x)x"


@cache
def _name_seq(langs: tuple[str, ...]) -> str:
    # "Maria das Dores Santos", "Leila Ben Salah", "Nyibol Deng Garang"; case-sensitive
    return rf"(?:{NAME_TOKEN}(?:\s+(?:{_particles(langs)}\s+)*{NAME_TOKEN}){{0,4}})"


@cache
def _non_names(langs: tuple[str, ...]) -> frozenset[str]:
    words: set[str] = set()
    for key in ("stop_capitalised", "law_words", "org_words", "months", "settlements", "titles"):
        words.update(w.lower().rstrip(".") for w in lexicon.merged(langs, key))
    return frozenset(words)


@cache
def _law_words(langs: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.merged(langs, "law_words"))


@cache
def _name_after(langs: tuple[str, ...]) -> re.Pattern[str]:
    """A capitalised name right after a cue, on the original text."""
    return re.compile(rf"[\s,:«“\"(]*({_name_seq(langs)})")


@cache
def _anchor_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"({_name_seq(langs)})")


# Capitalised words at the start of a word; only those that are given names are looked at.
_CAPITALISED = re.compile(rf"[{UPPER}](?<![\w\-'’][{UPPER}])[\w\-'’]*")


_TITLE_ONLY = frozenset(("titles",))
_STRONG = ("name_cues", "relation_cues", "titles", "role_nouns", "naming_verbs")
_ARABIC_NAMING = frozenset(("name_cues", "naming_verbs"))
_ARABIC_RELATED = frozenset(("relation_cues", "role_nouns", "self_cues"))
_ARABIC_AFTER_CUE = re.compile(r"[\s:،,(«\"]*(?=[\u0621-\u064A])")


_ARABIC_TOKEN = re.compile(ARABIC_WORD)
_KUNYA = re.compile(rf"(?<!\w)(?:أم|ام|أبو|ابو)\s+{ARABIC_WORD}")


_NON_SPACE = re.compile(r"\S+")
_WORD_THEN_END = re.compile(r"(\w+)\W*$")
_NEXT_WORD = re.compile(r"['’]?s?\s+(\w+)")


def _trim_tokens(seq: str, non_names: frozenset[str]) -> tuple[int, int] | None:
    """Offsets within `seq` of its name part: drop leading and trailing non-name words."""
    tokens = list(_NON_SPACE.finditer(seq))
    while tokens and tokens[0].group().lower().strip("'’.") in non_names:
        tokens.pop(0)
    # stop at the first institution word ("Grace Foundation"): what follows is not a name
    for i, tok in enumerate(tokens):
        if i > 0 and tok.group()[0].isupper() and tok.group().lower() in non_names:
            tokens = tokens[:i]
            break
    while tokens and not tokens[-1].group()[0].isupper():
        tokens.pop()  # trailing particle
    if not tokens:
        return None
    return tokens[0].start(), tokens[-1].end()


def _law_before(text: str, start: int, law_words: frozenset[str]) -> bool:
    before = _WORD_THEN_END.search(text, max(0, start - 30), start)
    return bool(before and before.group(1).lower() in law_words)


def _law_after(text: str, end: int, law_words: frozenset[str]) -> bool:
    after = _NEXT_WORD.match(text, end, end + 30)
    return bool(after and after.group(1).lower() in law_words and after.group(1)[0].isupper())


def find(doc: Doc, langs: tuple[str, ...]) -> list[Candidate]:
    """PERSON candidates in the answer."""
    text = doc.text
    out: list[Candidate] = []
    non_names = _non_names(langs)
    law_words = _law_words(langs)
    given = lexicon.given_names()
    ambiguous = lexicon.ambiguous_names()
    name_after = _name_after(langs)
    for cue in doc.cues_of(*_STRONG):
        if cue.keys == _TITLE_ONLY and text[cue.end : cue.end + 2].strip(" .") == ",":
            continue  # "Deputy Chief, Peace and Security": a title is not followed by a comma
        m = name_after.match(text, cue.end)
        span = m and _trim_tokens(m.group(1), non_names)
        if span:
            out.append(Candidate(m.start(1) + span[0], m.start(1) + span[1], "PERSON", 62))
    for cue in doc.cues_of("self_cues"):
        m = name_after.match(text, cue.end)
        span = m and _trim_tokens(m.group(1), non_names)
        if not span:
            continue
        name = m.group(1)[span[0] : span[1]]
        if " " in name or name in given or name in ambiguous:
            out.append(Candidate(m.start(1) + span[0], m.start(1) + span[1], "PERSON", 58))
    anchor = _anchor_regex(langs)
    done = -1
    for word in _CAPITALISED.finditer(text):
        if word.start() < done or word.group() not in given:
            continue
        m = anchor.match(text, word.start())
        span = m and _trim_tokens(m.group(1), non_names)
        if not span or " " not in m.group(1)[span[0] : span[1]]:
            continue  # a given name alone, without a cue, may be an ordinary word
        start, end = m.start(1) + span[0], m.start(1) + span[1]
        done = end
        if _law_before(text, start, law_words) or _law_after(text, end, law_words):
            continue
        out.append(Candidate(start, end, "PERSON", 55))
    if "ar" in langs and _ARABIC_LETTER.search(text):
        out.extend(_arabic(doc))
    return out


_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def _looks_like_arabic_name(name: str, names: frozenset[str]) -> bool:
    words = name.split()
    return words[0] in names or (len(words) > 1 and (words[1].startswith("ال") or words[1] in names))


def _arabic(doc: Doc) -> list[Candidate]:
    text = doc.low
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
            elif (
                word.startswith("و")
                and word not in names
                or not (word.startswith("ال") or word in names or word.startswith("عبد"))
                and not (allow_free_second and len(tokens) == 1)
            ):
                break
            tokens.append(tok)
        if not tokens:
            return None
        return tokens[0].start(), tokens[-1].end()

    for cue in doc.cues:
        m = _ARABIC_AFTER_CUE.match(text, cue.end)
        if not m:
            continue
        if not _ARABIC_NAMING.isdisjoint(cue.keys):
            span = extend(m.end(), first_needs_name=False, allow_free_second=True)
            if span:
                out.append(Candidate(*span, "PERSON", 62))
        elif "titles" in cue.keys:
            # "السيدة فاطمة ...", but not "المحامي يطلب أتعاباً": a known given name, or a
            # second word that is a family name
            span = extend(m.end(), first_needs_name=False, allow_free_second=True)
            if span and _looks_like_arabic_name(text[span[0] : span[1]], names):
                out.append(Candidate(*span, "PERSON", 61))
        elif not _ARABIC_RELATED.isdisjoint(cue.keys):
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
            # a given name, then a family name ("فاطمة الحسن") or the father's name ("زينب حمود")
            if nxt and (nxt.group(1).startswith("ال") or nxt.group(1) in names) and nxt.group(1) not in stop:
                span = extend(tok.start(), first_needs_name=True, allow_free_second=False)
                if span:
                    out.append(Candidate(*span, "PERSON", 54))
    return out
