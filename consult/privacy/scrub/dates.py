"""Dates of birth and exact ages that single a person out.

A date is a date of birth when a birth cue ("born on", "née le", "nací el", "ولدت",
"nilizaliwa", "date of birth") stands before it in the same sentence; every full date in
that sentence counts ("my date of birth was written as X instead of Y"). An age counts
when the respondent gives her own ("I am 34", "j'ai 27 ans", "tengo 29 años", "عمري 36
سنة", "nina miaka 33"), not an age group ("women under 35").
"""

from __future__ import annotations

import re
from functools import cache

from . import lexicon
from .model import Candidate
from .textutil import NAME_TOKEN, Doc

_HARAKAT = "[\u064b-\u0652]*"  # Arabic vowel marks after a unit: "عاماً"
_NUMERIC_DATE = r"\d{1,4}[./\-]\d{1,2}[./\-]\d{2,4}"


@cache
def _date_pattern(langs: tuple[str, ...]) -> str:
    months = lexicon.phrase_regex(langs, "months")
    day = r"(?:\d{1,2}(?:st|nd|rd|th|er|º|°)?|1er)"
    of = r"(?:\s+(?:de|of|del|wa|ya)\s+|\s+|\s*[-/.]\s*)"
    year = r"\d{4}"
    return (
        rf"(?:(?:tarehe\s+)?{day}{of}{months}\.?(?:,?{of}{year})?"  # 14 March 1986, 9 de octubre de 1981
        rf"|{months}\.?\s+{day},?\s+{year}"  # March 14, 1986
        rf"|{_NUMERIC_DATE}"
        rf"|{months}\s+(?:de\s+|of\s+)?{year})"  # March 1986
    )


@cache
def _regexes(langs: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
    """Patterns on the lower-cased text with ASCII digits, matched right after a cue."""
    date = _date_pattern(langs)
    unit = lexicon.phrase_regex(langs, "age_units")
    num = r"\d{1,3}"
    return {
        # after a birth cue: a short gap ("on", "le", "el", "em", "in", ":"), then a date or
        # a bare year ("born in 1984")
        "birth": re.compile(rf"[^\d.!?;\n]{{0,25}}?(?<!\d)({date}|\d{{4}})(?!\d)"),
        "date": re.compile(rf"(?<![\w/.\-])({date})(?![\w/\-])"),
        # after "I am", "j'ai", "tengo", "عمري", "nina": "34 years old", "27 ans", "miaka 33"
        "self_age": re.compile(
            r"\s*(?:(?:de|da|wa|ya|exactly|just|about|presque|casi|quase|حوالي)\s+)?"
            rf"((?:{unit}\s+)?{num}(?:\s+{unit}{_HARAKAT})?)(?![\w%])"
        ),
        # after "at", "à", "con", "aos", "akiwa na": "19 years of age", "52 ans", "miaka 40"
        "prep_age": re.compile(
            r"\s+(?:umri\s+wa\s+|the\s+age\s+of\s+|l['’]âge\s+de\s+|la\s+edad\s+de\s+|a\s+idade\s+de\s+)?"
            rf"((?:{unit}\s+)?{num}\s+{unit}{_HARAKAT}|{unit}\s+{num})(?![\w%])"
        ),
        "unit": re.compile(unit),
        "not_an_age": _not_an_age(langs),
    }


# Cues after which a bare number is an age even without "years": "I am 61", "عمري 45".
_BARE_AGE_CUE = re.compile(
    r"(?:i\s*am|i['’]?m|my age is|age\s*:|aged|عمري|umri wangu ni|umri wa|mon âge|âge\s*:|"
    r"mi edad es|edad\s*:|idade\s*:|a minha idade é|minha idade é|العمر\s*:)$"
)


def _not_an_age(langs: tuple[str, ...]) -> re.Pattern[str]:
    # "I am 1 of 12", "I was 3 times arrested", "tengo 5 hijos": a noun right after the number
    quantity = lexicon.phrase_regex(langs, "quantity_words")
    return re.compile(
        rf"\s*(?:{quantity}|of\b|sur\b|de\b|out\b|times\b|fois\b|veces\b|vezes\b|hijos|enfants|"
        r"children|watoto|أطفال|filhos|months|mois|meses|miezi|days|jours|días|dias|siku|minutes|"
        r"hours|heures|horas)"
    )


def find(doc: Doc, langs: tuple[str, ...]) -> list[Candidate]:
    """DATE_OF_BIRTH candidates (dates of birth and exact ages) in the answer."""
    t = doc.low_digits
    if not _ANY_DIGIT.search(t):
        return []
    r = _regexes(langs)
    out: list[Candidate] = []
    birth_sentences: set[int] = set()
    for cue in doc.cues_of("birth_cues"):
        m = r["birth"].match(t, cue.end)
        if m:
            out.append(Candidate(m.start(1), m.end(1), "DATE_OF_BIRTH", 88))
            birth_sentences.add(m.start(1))
    for pos in birth_sentences:
        # "my date of birth was written as X instead of Y": every date of that sentence
        for m in r["date"].finditer(t, doc.sentence_start(pos), doc.sentence_end(pos)):
            out.append(Candidate(m.start(1), m.end(1), "DATE_OF_BIRTH", 87))
    for cue in doc.cues_of("age_self_cues"):
        m = r["self_age"].match(t, cue.end)
        if not m or r["not_an_age"].match(t, m.end(1)):
            continue
        if not r["unit"].search(m.group(1)) and not _BARE_AGE_CUE.search(t[cue.start : cue.end]):
            continue  # "j'ai 3", "tengo 5": a count, unless the cue itself speaks of age
        digits = _NUMBER.search(m.group(1))
        if digits and 5 <= int(digits.group()) <= 110:
            out.append(Candidate(m.start(1), m.end(1), "DATE_OF_BIRTH", 76))
    for cue in doc.cues_of("self_cues"):
        # "I'm Zainab, 31, from Kano": an age right after the respondent's own name
        m = _NAME_THEN_AGE.match(doc.digits, cue.end)
        if m and 10 <= int(m.group(1)) <= 99:
            out.append(Candidate(m.start(1), m.end(1), "DATE_OF_BIRTH", 75))
    for cue in doc.cues_of("age_prep_cues"):
        m = r["prep_age"].match(t, cue.end)
        if m:
            start, end = doc.sentence_start(cue.start), doc.sentence_end(cue.start)
            if _first_person(langs).search(doc.low, start, end):
                out.append(Candidate(m.start(1), m.end(1), "DATE_OF_BIRTH", 74))
    return out


_ANY_DIGIT = re.compile(r"\d")
_NAME_THEN_AGE = re.compile(
    rf"\s+{NAME_TOKEN}(?:\s+{NAME_TOKEN})?,\s+(\d{{2}})(?=\s*[,.;)]|\s+(?:from|de|da|kutoka|na)\b)"
)
_NUMBER = re.compile(r"\d+")


@cache
def _first_person(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(lexicon.phrase_regex(langs, "first_person"))
