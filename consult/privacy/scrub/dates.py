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
from .textutil import sentence_bounds, to_ascii_digits

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
def _birth_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    cue = lexicon.phrase_regex(langs, "birth_cues")
    # after the cue: a short gap ("on", "le", "el", "em", "in", "a", ":", "tarehe"), then a date
    # or a bare year ("born in 1984")
    gap = r"[^\d.!?;\n]{0,25}?"
    return re.compile(rf"{cue}{gap}(?<!\d)({_date_pattern(langs)}|\d{{4}})(?!\d)", re.IGNORECASE)


@cache
def _date_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/.\-])({_date_pattern(langs)})(?![\w/\-])", re.IGNORECASE)


@cache
def _age_regexes(langs: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    self_cue = lexicon.phrase_regex(langs, "age_self_cues")
    prep_cue = lexicon.phrase_regex(langs, "age_prep_cues")
    unit = lexicon.phrase_regex(langs, "age_units")
    num = r"\d{1,3}"
    return (
        # "I am 34 years old", "j'ai 27 ans", "عمري ٣٦ سنة", "nina miaka 33", "I am 61 and"
        re.compile(
            rf"({self_cue})\s*(?:(?:de|da|wa|ya|exactly|just|about|presque|casi|quase|حوالي)\s+)?"
            rf"((?:{unit}\s+)?{num}(?:\s+{unit})?)(?![\w%])",
            re.IGNORECASE,
        ),
        # "at 19 years of age", "à 52 ans", "con 58 años", "aos 67 anos", "akiwa na miaka 40"
        re.compile(rf"{prep_cue}\s+((?:{unit}\s+)?{num}\s+{unit}|{unit}\s+{num})(?![\w%])", re.IGNORECASE),
    )


# Cues after which a bare number is an age even without "years": "I am 61", "عمري 45".
_BARE_AGE_CUE = re.compile(
    r"(?:i\s*am|i['’]?m|my age is|age\s*:|aged|عمري|umri wangu ni|umri wa|mon âge|âge\s*:|"
    r"mi edad es|edad\s*:|idade\s*:|a minha idade é|minha idade é|العمر\s*:)$",
    re.IGNORECASE,
)


@cache
def _unit_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(lexicon.phrase_regex(langs, "age_units"), re.IGNORECASE)


@cache
def _first_person(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(lexicon.phrase_regex(langs, "first_person"), re.IGNORECASE)


@cache
def _not_an_age(langs: tuple[str, ...]) -> re.Pattern[str]:
    # "I am 1 of 12", "I was 3 times arrested", "tengo 5 hijos": a noun right after the number
    quantity = lexicon.phrase_regex(langs, "quantity_words")
    return re.compile(
        rf"\s*(?:{quantity}|of\b|sur\b|de\b|out\b|times\b|fois\b|veces\b|vezes\b|hijos|enfants|children|"
        r"watoto|أطفال|filhos|months|mois|meses|miezi|days|jours|días|dias|siku|minutes|hours|heures|horas)",
        re.IGNORECASE,
    )


def find(text: str, langs: tuple[str, ...]) -> list[Candidate]:
    """DATE_OF_BIRTH candidates (dates of birth and exact ages) in `text`."""
    t = to_ascii_digits(text)
    if not re.search(r"\d", t):
        return []
    out: list[Candidate] = []
    seen_sentences: set[tuple[int, int]] = set()
    for m in _birth_regex(langs).finditer(t):
        out.append(Candidate(m.start(1), m.end(1), "DATE_OF_BIRTH", 88))
        seen_sentences.add(sentence_bounds(t, m.start(1)))
    for start, end in seen_sentences:
        for m in _date_regex(langs).finditer(t, start, end):
            out.append(Candidate(m.start(1), m.end(1), "DATE_OF_BIRTH", 87))
    self_age, prep_age = _age_regexes(langs)
    unit = _unit_regex(langs)
    for m in self_age.finditer(t):
        if _not_an_age(langs).match(t, m.end(2)):
            continue
        has_unit = bool(unit.search(m.group(2)))
        if not has_unit and not _BARE_AGE_CUE.match(m.group(1)):
            continue  # "j'ai 3", "tengo 5": a count, unless the cue itself speaks of age
        digits = re.search(r"\d+", m.group(2))
        if digits and 5 <= int(digits.group()) <= 110:
            out.append(Candidate(m.start(2), m.end(2), "DATE_OF_BIRTH", 76))
    for m in prep_age.finditer(t):
        start, end = sentence_bounds(t, m.start())
        if _first_person(langs).search(t, start, end):
            out.append(Candidate(m.start(1), m.end(1), "DATE_OF_BIRTH", 74))
    return out
