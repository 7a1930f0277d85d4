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
from .textutil import Doc

_SEP = r"[ \u00a0\-./]"
# Digit runs with single separators and optional "(0xx)" groups; at least 7 digits
# are checked afterwards. Run on a copy of the text with ASCII digits.
_CANDIDATE = re.compile(
    rf"(?<![\w+\-./])(?:(?:\+|00)\s?)?(?:\(\+?\d{{1,4}}\){_SEP}?)?\d(?:{_SEP}?(?:\(\d{{1,4}}\)|\d)){{5,18}}(?![\w])"
)
_DATE_SHAPE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,\u00a0 ]\d{3})+$")
_YEARS = re.compile(r"^(?:19|20)\d\d(?:\s*[\-/–]\s*|\s+)(?:19|20)\d\d$")
_IPV4_SHAPE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_DIGIT_RUN = re.compile(r"\d[\d \u00a0\-./()]{5,}\d")
_POSTCODE_BEFORE = re.compile(r"(?:cep|code postal|postal code|zip|c\.p\.|cp)\s*:?\s*$")
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
def _quantity_after(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\s*" + lexicon.phrase_regex(langs, "quantity_words"))


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


def find(doc: Doc, langs: tuple[str, ...]) -> list[Candidate]:
    """PHONE candidates in the answer (Arabic-Indic digits included)."""
    ascii_text = doc.digits
    out: list[Candidate] = []
    regions = _regions(langs)
    done = -1
    for run in doc.finditer_near_digits(_DIGIT_RUN, ascii_text, digit_first=True):
        if run.start() < done:
            continue
        for m in _CANDIDATE.finditer(ascii_text, max(0, run.start() - 6), run.end() + 1):
            done = m.end()
            candidate = _judge(doc, m, regions, langs)
            if candidate:
                out.append(candidate)
    return out


def _judge(doc: Doc, m: re.Match[str], regions: tuple[str, ...], langs: tuple[str, ...]):
    run = m.group()
    digits = sum(ch.isdigit() for ch in run)
    if not 7 <= digits <= 15:
        return None
    stripped = run.strip()
    if _DATE_SHAPE.match(stripped) or _YEARS.match(stripped) or _IPV4_SHAPE.match(stripped):
        return None
    if _POSTCODE_BEFORE.search(doc.low, max(0, m.start() - 16), m.start()):
        return None  # "CEP 66025-210": the address rule takes it
    cued = doc.cue_before(m.start(), ("phone_cues",), 40)
    if _THOUSANDS.match(stripped) and (not cued or _quantity_after(langs).match(doc.low_digits, m.end())):
        return None  # 1.500.000 pesos, 15 000 000 people
    kind = _classify(run, regions)
    if kind == "public":
        # a toll-free hotline: hold the place so that no other rule takes it
        return Candidate(m.start(), m.end(), KEEP, 75)
    if kind == "phone":
        return Candidate(m.start(), m.end(), "PHONE", 70)
    if cued and 8 <= digits <= 13:
        # a number the respondent calls hers, though no region's plan knows it
        return Candidate(m.start(), m.end(), "PHONE", 60)
    return None
