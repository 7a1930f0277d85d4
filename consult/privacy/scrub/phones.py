"""Phone numbers: a cheap digit-run pre-filter, then libphonenumber to decide.

Public service numbers stay: short codes (fewer than 7 digits: 911, 116, 1195, 15020) never
become candidates, and numbers that libphonenumber classifies as toll-free (1-800...,
0800...) are public hotlines, never a respondent's own line.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

from . import lexicon
from .model import KEEP, Candidate
from .textutil import to_ascii_digits, words_before

_SEP = r"[ \u00a0\-./]"
# Digit runs with single separators and optional "(0xx)" groups; at least 7 digits
# are checked afterwards. Run on a copy of the text with ASCII digits.
_CANDIDATE = re.compile(
    rf"(?<![\w+\-./])(?:(?:\+|00)\s?)?(?:\(\d{{1,4}}\){_SEP}?)?\d(?:{_SEP}?(?:\(\d{{1,4}}\)|\d)){{5,18}}(?![\w])"
)
_DATE_SHAPE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,\u00a0 ]\d{3})+$")
_YEARS = re.compile(r"^(?:19|20)\d\d(?:\s*[\-/–]\s*|\s+)(?:19|20)\d\d$")
_IPV4_SHAPE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_ALL_LANG_REGIONS = 40  # regions tried for local numbers when the language is unknown


@cache
def _regions(langs: tuple[str, ...]) -> tuple[str, ...]:
    by_lang = lexicon.common()["phone_regions_by_lang"]
    seen: dict[str, None] = {}
    # interleave so that every language's most likely regions come first
    lists = [by_lang.get(lang, []) for lang in langs]
    for i in range(max(map(len, lists), default=0)):
        for lst in lists:
            if i < len(lst):
                seen.setdefault(lst[i], None)
    regions = tuple(seen)
    return regions if len(langs) == 1 else regions[:_ALL_LANG_REGIONS]


@cache
def _cue_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(lexicon.phrase_regex(langs, "phone_cues"), re.IGNORECASE)


@cache
def _quantity_after(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\s*" + lexicon.phrase_regex(langs, "quantity_words"), re.IGNORECASE)


@lru_cache(maxsize=4096)
def _classify(candidate: str, regions: tuple[str, ...]) -> str | None:
    """'phone', 'public' (toll-free) or None for a digit run, using libphonenumber."""
    international = candidate.lstrip().startswith(("+", "00"))
    first = "ZZ" if international else regions[0] if regions else "ZZ"
    for match in PhoneNumberMatcher(candidate, first, leniency=Leniency.VALID):
        return _kind(match.number)
    if international:
        try:
            number = phonenumbers.parse(candidate, None)
        except phonenumbers.NumberParseException:
            return None
        return _kind(number) if phonenumbers.is_possible_number(number) else None
    for region in regions[1:]:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return _kind(number)
    return None


def _kind(number: phonenumbers.PhoneNumber) -> str:
    if phonenumbers.number_type(number) == PhoneNumberType.TOLL_FREE:
        return "public"
    return "phone"


def find(text: str, langs: tuple[str, ...]) -> list[Candidate]:
    """PHONE candidates in `text` (Arabic-Indic digits included)."""
    ascii_text = to_ascii_digits(text)
    if not re.search(r"\d{2}", ascii_text):
        return []
    out: list[Candidate] = []
    regions = _regions(langs)
    for m in _CANDIDATE.finditer(ascii_text):
        run = m.group()
        digits = sum(ch.isdigit() for ch in run)
        if not 7 <= digits <= 15:
            continue
        stripped = run.strip()
        if _DATE_SHAPE.match(stripped) or _YEARS.match(stripped) or _IPV4_SHAPE.match(stripped):
            continue
        cued = bool(_cue_regex(langs).search(words_before(text, m.start(), 40)))
        if _THOUSANDS.match(stripped) and (
            not cued or _quantity_after(langs).match(ascii_text, m.end())
        ):
            continue  # 1.500.000 pesos, 15 000 000 people
        kind = _classify(run, regions)
        if kind == "public":
            # a toll-free hotline: hold the place so that no other rule takes it
            out.append(Candidate(m.start(), m.end(), KEEP, 75))
            continue
        if kind == "phone":
            out.append(Candidate(m.start(), m.end(), "PHONE", 70))
        elif cued and 8 <= digits <= 13:
            # a number the respondent calls hers, though no region's plan knows it
            out.append(Candidate(m.start(), m.end(), "PHONE", 60))
    return out
