"""Street addresses, P.O. boxes, landmark directions, camp/village locations, and a
respondent's own small organisation (ORG_PERSONAL).

An address starts from a street word ("rue", "Calle", "Rua", "شارع", "Mtaa wa", "...
Road"), a P.O. box, a landmark direction after a place of living ("I live near the mosque
in ...", "derrière le marché de ..."), or a settlement after a place of living ("niko
kambi ya Kakuma", "notre village, X"). It then takes in the following comma-separated
parts that look like address parts (house, floor, block, bairro, CEP, "casa número 14",
"الطابق الثالث"). Towns and regions alone are never addresses.
"""

from __future__ import annotations

import re
from functools import cache

from . import lexicon
from .model import Candidate
from .textutil import ARABIC_WORD, NAME_TOKEN, Doc

_NUM = (
    r"(?:n[º°o]\.?\s*|#\s*|no\.\s*|nº\s*|رقم\s+)?\d{1,5}(?:[.\-/]\d{1,5})?"
    r"(?:º|°|ª|st|nd|rd|th|er|e|ème|bis|ter)?(?:\s?[A-Za-z](?![\w]))?"
)


_CAP = rf"(?:{NAME_TOKEN})"
_PARTICLES = r"(?:de|del|de\s+la|du|des|da|do|dos|das|la|le|l['’]|wa|ya|cha|of|the|al|el)"
_WORD = rf"(?:{_CAP}|{ARABIC_WORD}|{_NUM})"
# The name of a street after its street word, on the original text: capitalised words,
# numbers, Arabic words, joined by particles ("Kasa-Vubu", "45 # 12-30", "Maria Quitéria").
_STREET_NAME = re.compile(
    rf"\s*(?:{_PARTICLES}\s+)?(?:{_WORD})(?:(?:\s+{_PARTICLES})?\s+{_WORD}|\s*[#\-]\s*\d{{1,5}}(?:-\d{{1,4}})?){{0,4}}"
    rf"(?:,?\s*{_NUM}(?![\w]))?"
)
# "au 27, avenue ...", "la Avenida ...": a house number and French "au" before the street word
_HOUSE_NUMBER_BEFORE = re.compile(rf"(?:(?:au|aux)\s+)?(?:{_NUM},?\s+)?(?:(?:la|el)\s+)?$")
_PO_NUMBER = re.compile(rf"\s*(?:no\.?\s*)?\d{{1,6}}(?:,?\s+(?:{_CAP}|{ARABIC_WORD}))?")
_SETTLEMENT_NAME = re.compile(
    rf"(?:\s*,\s*|\s+(?:{_PARTICLES}\s+)?)(?:{_CAP}(?:[\s\-]+{_CAP}){{0,2}}|{ARABIC_WORD}(?:\s+{ARABIC_WORD})?)"
)
_PLACE_COMPONENT = re.compile(rf"\s*[,،]\s*{_CAP}(?:\s+{_CAP})?(?:\s*-\s*[A-Z]{{2}})?(?=\s*[,،])")
_POSSESSIVE = re.compile(r"(?:our|my|notre|mon|nuestra|nuestro|mi|nossa|nosso|minha|meu)\s+$|(?:yetu|wangu|changu)\s*$")


@cache
def _regexes(langs: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
    """Patterns matched at a given place: on the lower-cased text unless said otherwise."""
    p = lexicon.phrase_regex
    parts = p(langs, "address_components", "street_before", "po_box", "landmark_preps")
    return {
        # before a street word such as "Road" (on the original text): "14 Adebayo "
        "street_after_name": re.compile(rf"(?:{_NUM},?\s+)?(?:{_CAP}\s+){{1,3}}$"),
        "landmark": re.compile(
            rf"\s+(?:(?:the|le|la|l['’]|el|o|a|al)\s+)?(?:[^\s,.;:!?]+\s+){{0,2}}?{p(langs, 'landmarks')}"
        ),
        "component": re.compile(
            rf"\s*(?:[,،]\s*|\s+-\s+|\s+)(?:(?:en|in|at|on|à|na|no|em|a|dans)\s+(?:la\s+|el\s+|the\s+|le\s+|a\s+|o\s+)?)?"
            rf"(?=(?:{parts})|{_NUM}(?![\w]))"
        ),
        "postcode": re.compile(r"\s*[,،]?\s*(?:cep|c\.p\.|cp|code postal|postal code)\s*\d{4,5}(?:-\d{3})?"),
        "clause_break": re.compile(
            rf"\s(?:{p(langs, 'clause_breaks')})|\s+و(?=\w)|[.!?](?=\s+[^\s\da-zà-ÿ]|\s*$)|[;\n؛]"
        ),
    }


def _extend(doc: Doc, end: int, r: dict[str, re.Pattern[str]], limit: int) -> int:
    """Take in the address parts that follow `end` ("apt. 5", "bairro X", "CEP ...")."""
    text, low = doc.text, doc.low
    while end < limit:
        m = r["component"].match(low, end, limit)
        if not m:
            p = _PLACE_COMPONENT.match(text, end, limit)
            if p and r["component"].match(low, p.end(), limit):
                end = p.end()  # "Belém - PA", then more parts
                continue
            pc = r["postcode"].match(low, end, limit)
            if pc:
                end = pc.end()
                continue
            street = _street_part(doc, end, limit)
            if street:
                end = street  # ", Bar Elias main road"
                continue
            town = _LAST_TOWN.match(text, end, limit)
            if town:
                end = town.end()  # the town that closes an address: ", Dodoma."
            break
        part_start = m.end()
        # the part runs to the next comma, clause break or sentence end
        stop = _COMMA.search(text, part_start, limit)
        part_end = stop.start() if stop else limit
        cb = r["clause_break"].search(low, part_start, part_end)
        if cb:
            part_end = cb.start()
        part_end = len(text[:part_end].rstrip())
        if part_end <= part_start or part_end - part_start > 70:
            break
        end = part_end
    return end


_COMMA = re.compile(r"[,،]")
_COMMA_SEP = re.compile(r"\s*[,،]\s*")
# ", Kariakoo." / ", Belém - PA": a town (one or two capitalised words) ending the sentence
_LAST_TOWN = re.compile(rf"\s*[,،]\s*{_CAP}(?:[\s\-]+{_CAP})?(?:\s*-\s*[A-Z]{{2}})?(?=\s*(?:[.;!?]|$))")


def _street_part(doc: Doc, end: int, limit: int) -> int | None:
    """End of the next comma-separated part when it is a street named before its street word."""
    m = _COMMA_SEP.match(doc.text, end, limit)
    if not m:
        return None
    stop = _COMMA.search(doc.text, m.end(), limit)
    part_end = stop.start() if stop else limit
    for cue in doc.cues_of("street_after"):
        if m.end() < cue.start and cue.end <= part_end:
            return cue.end
    return None


_LOCATION = ("location_cues",)


def find_addresses(doc: Doc, langs: tuple[str, ...]) -> list[Candidate]:
    """ADDRESS candidates in the answer."""
    text, low = doc.text, doc.low
    r = _regexes(langs)
    out: list[Candidate] = []

    def add(start: int, end: int, priority: int) -> None:
        limit = max(doc.sentence_end(start), end)
        out.append(Candidate(start, _extend(doc, end, r, limit), "ADDRESS", priority))

    for cue in doc.cues:
        keys = cue.keys
        if "street_before" in keys:
            m = _STREET_NAME.match(text, cue.end)
            if m and _STREET_NAME_START.search(m.group()):
                house = _HOUSE_NUMBER_BEFORE.search(text, max(0, cue.start - 20), cue.start)
                add(house.start() if house else cue.start, m.end(), 66)
                continue
        if "street_after" in keys and _street_word_fits(text, cue):
            m = r["street_after_name"].search(text, max(0, cue.start - 60), cue.start)
            start = _skip_function_words(text, m.start(), cue.start, langs) if m else None
            if start is not None:
                add(start, cue.end, 66)
                continue
        if "po_box" in keys:
            m = _PO_NUMBER.match(text, cue.end)
            if m:
                add(cue.start, m.end(), 67)
                continue
        if "landmark_preps" in keys:
            m = r["landmark"].match(low, cue.end)
            if m and doc.cue_before(cue.start, _LOCATION, 70):
                add(cue.start, _landmark_name_end(text, m.end()), 64)
                continue
        if "settlements" in keys:
            m = _SETTLEMENT_NAME.match(text, cue.end)
            if m and (
                doc.cue_before(cue.start, _LOCATION, 70) or _POSSESSIVE.search(low, max(0, cue.start - 20), cue.start)
            ):
                add(cue.start, m.end(), 63)
    return out


# Street words that are also ordinary words: they name a street only when capitalised
# ("Canada Place", not "le Canada place ...").
_AMBIGUOUS_STREET_WORDS = frozenset(("place", "way", "close", "court", "drive", "square", "estate", "terrace", "lane"))


def _street_word_fits(text: str, cue) -> bool:
    word = text[cue.start : cue.end]
    return word[0].isupper() or word.lower() not in _AMBIGUOUS_STREET_WORDS


def _skip_function_words(text: str, start: int, end: int, langs: tuple[str, ...]) -> int | None:
    """Start of the street's name after leading capitalised function words ("The road")."""
    stop = _stop_words(langs)
    for word in _NON_SPACE.finditer(text, start, end):
        if word.group().lower() not in stop:
            return word.start()
    return None


@cache
def _stop_words(langs: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.merged(langs, "stop_capitalised"))


_NON_SPACE = re.compile(r"\S+")


# a street name holds a capital letter, a number or an Arabic word ("dans la rue principale"
# does not)
_STREET_NAME_START = re.compile(r"[\dA-ZÀ-Þ\u0621-\u064A]")


def _landmark_name_end(text: str, end: int) -> int:
    """Take the landmark's own name: "mosque in Mingora", "marché de Lafiabougou"."""
    m = _LANDMARK_NAME.match(text, end)
    return m.end() if m else end


_LANDMARK_NAME = re.compile(
    rf"(?:\s+(?:in|of|at|de|du|des|de\s+la|del|da|do|la|ya|wa|cha)\s+|\s+)(?:{_CAP}(?:\s+{_CAP})*)"
    rf"|(?:\s+(?!في(?!\w)){ARABIC_WORD})?(?:\s+في\s+{ARABIC_WORD})?"
)


# --- ORG_PERSONAL ----------------------------------------------------------------


@cache
def _org_name_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    """The organisation's name after a role cue, on the original text."""
    article = r"(?:(?i:the|a|an|la|le|les|el|o|uma|um|una|un|une)\s+|(?i:l)['’](?=\w))?"
    org_word = lexicon.phrase_regex(langs, "org_words")
    particles = (
        r"(?:of|for|the|and|de|des|du|d['’]|la|le|les|et|pour|en|del|y|e|da|do|das|dos|di|"
        r"ya|wa|cha|za|na|kwa|al|el)"
    )
    cap = rf"(?:{NAME_TOKEN}(?:['’]s)?)"
    latin = rf"(?:(?i:{org_word})\s+)?{cap}(?:\s+(?:{particles}\s+)*{cap}){{0,7}}"
    name = rf"[\s,:]*{article}(?:({latin})|({ARABIC_WORD}(?:\s+{ARABIC_WORD}){{0,6}}))"
    return re.compile(name)


@cache
def _org_words(langs: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.merged(langs, "org_words"))


@cache
def _arabic_org_words() -> frozenset[str]:
    return frozenset(lexicon.language("ar")["org_words"])


_ARABIC_ORG_END = frozenset(["التي", "الذي", "المكون", "المكونة", "من", "منذ", "عن", "مع", "حيث", "لكن", "اللواتي"])


def find_orgs(doc: Doc, langs: tuple[str, ...]) -> list[Candidate]:
    """ORG_PERSONAL candidates: a small organisation the respondent names with her role."""
    text = doc.text
    out: list[Candidate] = []
    org_words = _org_words(langs)
    name_regex = _org_name_regex(langs)
    for cue in doc.cues_of("org_role_cues", "org_our_cues"):
        m = name_regex.match(text, cue.end)
        if not m:
            continue
        if m.group(1):
            start, end = m.start(1), m.end(1)
            first = m.group(1).split()[0]
            if first.lower() in org_words and first[0].islower():
                # "l'association Femmes Debout": the type word is not part of the name
                rest = re.match(r"\S+\s+", m.group(1))
                start += rest.end() if rest else 0
            if " " not in text[start:end] and not text[start].isupper():
                continue
            if start >= 2 and text[start - 2].lower() == "l" and text[start - 1] in "'’":
                start -= 2  # "l'Association ...": the elided article is glued to the name
            out.append(Candidate(start, end, "ORG_PERSONAL", 68))
        elif m.group(2):
            kept = []
            for i, tok in enumerate(re.finditer(ARABIC_WORD, m.group(2))):
                word = tok.group()
                if i == 0 and word not in _arabic_org_words():
                    break  # "جمعيتنا من عنوان": no organisation word, no name
                if i and (word in _ARABIC_ORG_END or word.startswith("و")):
                    break
                kept.append(tok)
            if len(kept) >= 2:
                out.append(Candidate(m.start(2) + kept[0].start(), m.start(2) + kept[-1].end(), "ORG_PERSONAL", 68))
    return out
