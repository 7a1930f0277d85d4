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
from .textutil import ARABIC_WORD, NAME_TOKEN, sentence_bounds

_NUM = r"(?:n[º°o]\.?\s*|#\s*|no\.\s*|nº\s*|رقم\s+)?\d{1,5}(?:[.\-/]\d{1,5})?(?:\s?(?:bis|ter|[A-Za-z])(?![\w]))?"


@cache
def _address_parts(langs: tuple[str, ...]) -> dict[str, str]:
    p = lexicon.phrase_regex
    words = rf"(?:(?-i:{NAME_TOKEN})|{ARABIC_WORD}|{_NUM})"
    particles = r"(?:de|del|de\s+la|du|des|da|do|dos|das|la|le|l['’]|wa|ya|la|cha|of|the|al|el)"
    # the name of a street: capitalised words, numbers, Arabic words, joined by particles
    street_name = rf"{words}(?:(?:\s+{particles})?\s+{words}|\s*[#\-]\s*\d{{1,5}}(?:-\d{{1,4}})?){{0,4}}"
    return {
        "before": p(langs, "street_before"),
        "after": p(langs, "street_after"),
        "component": "|".join(
            p(langs, k) for k in ("address_components", "street_before", "po_box", "landmark_preps")
        ),
        "po_box": p(langs, "po_box"),
        "landmark_prep": p(langs, "landmark_preps"),
        "landmark": p(langs, "landmarks"),
        "settlement": p(langs, "settlements"),
        "location": p(langs, "location_cues"),
        "clause_break": p(langs, "clause_breaks"),
        "street_name": street_name,
        "particles": particles,
    }


@cache
def _regexes(langs: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
    a = _address_parts(langs)
    cap = rf"(?-i:{NAME_TOKEN})"
    i = re.IGNORECASE
    return {
        # "27, avenue Kasa-Vubu", "Calle 45 # 12-30", "Rua Maria Quitéria, 214", "شارع الجمهورية"
        "street_before": re.compile(
            rf"(?<![\w])(?:{_NUM},?\s+)?(?:au\s+|à\s+la\s+|no\s+|na\s+)?{a['before']}\s*"
            rf"(?:{a['street_name']})(?:,?\s*{_NUM}(?![\w]))?",
            i,
        ),
        # "14 Adebayo Street", "245 Rideau Street", "Bar Elias main road"
        "street_after": re.compile(
            rf"(?<![\w])(?:{_NUM},?\s+)?(?:{cap}\s+){{1,3}}{a['after']}",
            i,
        ),
        "po_box": re.compile(rf"{a['po_box']}\s*(?:no\.?\s*)?\d{{1,6}}(?:,?\s+(?:{cap}|{ARABIC_WORD}))?", i),
        "landmark": re.compile(
            rf"{a['landmark_prep']}\s+(?:(?:the|le|la|l['’]|el|o|a|al)\s+)?"
            rf"(?:[^\s,.;:!?]+\s+){{0,2}}?{a['landmark']}(?![\w])",
            i,
        ),
        "settlement": re.compile(
            rf"{a['settlement']}(?:\s*,\s*|\s+(?:{a['particles']}\s+)?)(?:{cap}(?:[\s\-]+{cap}){{0,2}}|{ARABIC_WORD}(?:\s+{ARABIC_WORD})?)",
            i,
        ),
        "location": re.compile(a["location"], i),
        "possessive_settlement": re.compile(
            r"(?:our|my|notre|mon|nuestra|nuestro|mi|nossa|nosso|minha|meu|a\s+nossa|o\s+nosso)\s+$|(?:yetu|wangu|changu)\s*$",
            i,
        ),
        "component": re.compile(
            rf"\s*(?:[,،]\s*|\s+-\s+|\s+)(?=(?:{a['component']})(?![\w])|{_NUM}(?![\w]))",
            i,
        ),
        "place_component": re.compile(rf"\s*[,،]\s*{cap}(?:\s+{cap})?(?:\s*-\s*[A-Z]{{2}})?(?=\s*[,،])"),
        "postcode": re.compile(r"\s*[,،]?\s*(?:CEP|C\.P\.|CP|code postal|postal code)\s*\d{4,5}(?:-\d{3})?", i),
        "clause_break": re.compile(rf"\s(?:{a['clause_break']})(?![\w])|\s+و(?=\w)|[.;!?\n؛]|,\s+(?:{a['clause_break']})(?![\w])", i),
    }


def _extend(text: str, end: int, r: dict[str, re.Pattern[str]], limit: int) -> int:
    """Take in the address parts that follow `end` ("apt. 5", "bairro X", "CEP ...")."""
    while end < limit:
        m = r["component"].match(text, end, limit)
        if not m:
            p = r["place_component"].match(text, end, limit)
            if p and r["component"].match(text, p.end(), limit):
                end = p.end()
                continue
            pc = r["postcode"].match(text, end, limit)
            if pc:
                end = pc.end()
                continue
            break
        part_start = m.end()
        # the part runs to the next comma, clause break or sentence end
        stop = re.compile(r"[,،]").search(text, part_start, limit)
        part_end = stop.start() if stop else limit
        cb = r["clause_break"].search(text, part_start, part_end)
        if cb:
            part_end = cb.start()
        part_end = len(text[:part_end].rstrip())
        if part_end <= part_start or part_end - part_start > 70:
            break
        end = part_end
    return end


def find_addresses(text: str, langs: tuple[str, ...]) -> list[Candidate]:
    """ADDRESS candidates in `text`."""
    r = _regexes(langs)
    out: list[Candidate] = []

    def add(start: int, end: int, priority: int) -> None:
        _, limit = sentence_bounds(text, start)
        end = _extend(text, end, r, max(limit, end))
        out.append(Candidate(start, end, "ADDRESS", priority))

    for m in r["street_before"].finditer(text):
        if re.search(r"[\d\w]", text[m.end() - 1]) and not _lowercase_only(m.group()):
            add(m.start(), m.end(), 66)
    for m in r["street_after"].finditer(text):
        add(m.start(), m.end(), 66)
    for m in r["po_box"].finditer(text):
        add(m.start(), m.end(), 67)
    for m in r["landmark"].finditer(text):
        if _has_location_cue(text, m.start(), r):
            landmark_end = _landmark_name_end(text, m.end())
            add(m.start(), landmark_end, 64)
    for m in r["settlement"].finditer(text):
        before = text[max(0, m.start() - 20) : m.start()]
        if _has_location_cue(text, m.start(), r) or r["possessive_settlement"].search(before):
            add(m.start(), m.end(), 63)
    return out


def _lowercase_only(s: str) -> bool:
    """A street word followed only by lower-case words ("dans la rue principale")."""
    return not re.search(r"[\dA-ZÀ-Þ\u0621-\u064A]", s.split(None, 1)[-1]) if " " in s else True


def _landmark_name_end(text: str, end: int) -> int:
    """Take the landmark's own name: "mosque in Mingora", "marché de Lafiabougou"."""
    m = re.match(
        rf"(?:\s+(?:in|of|at|de|du|des|de\s+la|del|da|do|la|ya|wa|cha|في)\s+|\s+)((?-i:{NAME_TOKEN})(?:\s+(?-i:{NAME_TOKEN}))*|{ARABIC_WORD}(?:\s+{ARABIC_WORD})?)",
        text[end : end + 80],
    )
    if m and (m.group(1)[0].isupper() or re.match("[\u0621-\u064A]", m.group(1))):
        return end + m.end()
    return end


def _has_location_cue(text: str, pos: int, r: dict[str, re.Pattern[str]]) -> bool:
    start, _ = sentence_bounds(text, pos)
    return bool(r["location"].search(text, max(start, pos - 70), pos))


# --- ORG_PERSONAL ----------------------------------------------------------------


@cache
def _org_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    cue = "|".join(lexicon.phrase_regex(langs, k) for k in ("org_role_cues", "org_our_cues"))
    article = r"(?:(?:the|a|an|la|le|les|el|o|a|uma|um|una|un|une)\s+|l['’](?=\w))?"
    org_word = lexicon.phrase_regex(langs, "org_words")
    particles = (
        r"(?:of|for|the|and|de|des|du|d['’]|la|le|les|et|pour|en|del|y|e|da|do|das|dos|di|"
        r"ya|wa|cha|la|za|na|kwa|al|el)"
    )
    cap = rf"(?-i:{NAME_TOKEN}(?:['’]s)?)"
    latin = rf"(?:(?:{org_word})\s+)?{cap}(?:\s+(?:{particles}\s+)*{cap}){{0,7}}"
    return re.compile(rf"(?:{cue})[\s,:]*{article}(?:({latin})|({ARABIC_WORD}(?:\s+{ARABIC_WORD}){{0,6}}))", re.IGNORECASE)


_ARABIC_ORG_STOP = frozenset(
    "في من عن مع منذ التي الذي المكون المكونة وهي وهو ونحن وكل وقد ولا حيث لكن التي اللواتي".split()
)


def find_orgs(text: str, langs: tuple[str, ...]) -> list[Candidate]:
    """ORG_PERSONAL candidates: a small organisation the respondent names with her role."""
    out: list[Candidate] = []
    org_words = {w.lower() for w in lexicon.merged(langs, "org_words")}
    for m in _org_regex(langs).finditer(text):
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
            tokens = list(re.finditer(ARABIC_WORD, m.group(2)))
            kept = []
            for i, tok in enumerate(tokens):
                word = tok.group()
                if i and (word in _ARABIC_ORG_STOP and i > 3 or word.startswith("و") or word in ("التي", "الذي", "المكون", "المكونة", "من", "منذ")):
                    break
                kept.append(tok)
            if len(kept) >= 2:
                s = m.start(2) + kept[0].start()
                e = m.start(2) + kept[-1].end()
                out.append(Candidate(s, e, "ORG_PERSONAL", 68))
    return out
