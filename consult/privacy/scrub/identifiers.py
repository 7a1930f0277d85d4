"""Identity numbers (passport, national ID, CNIB, cédula, CPF, NIN...) and vehicle plates."""

from __future__ import annotations

import re
from functools import cache

from stdnum.br import cpf
from stdnum.mx import curp

from . import lexicon
from .model import Candidate
from .textutil import to_ascii_digits

# After a cue: a gap without digits or sentence end ("number is", "n°", "porte le numéro").
_GAP = r"[^\d.!?;\n]{0,40}?"
# An identifier: capital letters and digits, with inner - . / or single spaces.
_ID_TOKEN = r"((?-i:[A-Z0-9](?:[A-Z0-9]|[\-./ ](?=[A-Z0-9])){4,40}))(?![\w])"
_MIXED = re.compile(r"(?<![\w\-/])(?=[A-Z0-9\-]*\d)(?=[A-Z0-9\-]*[A-Z])[A-Z0-9][A-Z0-9\-]{6,28}[A-Z0-9](?![\w\-])")
_LONG_DIGITS = re.compile(r"(?<![\w\-./+])\d(?:[\-/ ]?\d){8,29}(?![\w])")
_CPF = re.compile(r"(?<![\w.])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\w])")
_CURP = re.compile(r"(?<![\w])[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d(?![\w])")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DATE_SHAPE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")

_PLATE_TOKEN = (
    r"((?-i:(?:[A-Z]{1,4}|\d{1,5})(?:[ \-·]?(?:[A-Z]{1,4}|\d{1,5})){1,4})"  # KDA 123X, AB-123-CD
    r"|\d{1,6}(?:[ \-]\d{1,6})?(?:\s[\u0621-\u064A]){1,3}"  # Arabic: ٤٥٢١ أ ب
    r"|\d{4,7}|\d{1,3}-\d{3,6})(?![\w])"
)
_STRONG_PLATE_CUE = re.compile(r"plat|plaq|plac|matr|immat|regist|reg\b|usajili|لوح|رقم", re.I)
_PLATE_SHAPES = re.compile(
    r"(?<![\w\-])(?:"
    r"[A-Z]{2}-\d{3}-[A-Z]{2}"  # France
    r"|K[A-Z]{2} \d{3}[A-Z]|U[A-Z]{2} \d{3}[A-Z]|R[A-Z]{2} \d{3}[A-Z]"  # Kenya, Uganda, Rwanda
    r"|T \d{3} [A-Z]{3}"  # Tanzania
    r"|[A-Z]{3}\d[A-Z]\d{2}"  # Mercosur
    r")(?![\w\-])"
)


@cache
def _id_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    cue = lexicon.phrase_regex(langs, "id_cues")
    return re.compile(rf"{cue}{_GAP}(?<![A-Z0-9]){_ID_TOKEN}", re.IGNORECASE)


@cache
def _plate_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    cue = lexicon.phrase_regex(langs, "plate_cues")
    return re.compile(rf"({cue}){_GAP.replace('40', '30')}(?<![\w]){_PLATE_TOKEN}", re.IGNORECASE)


@cache
def _quantity_after(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\s*" + lexicon.phrase_regex(langs, "quantity_words"), re.IGNORECASE)


def _id_like(token: str) -> bool:
    digits = sum(ch.isdigit() for ch in token)
    if digits < 4 or _YEAR.match(token) or _DATE_SHAPE.match(token):
        return False
    # lower-case words caught by the case-insensitive cue pattern are not identifiers
    return not re.search(r"[a-z]{2}", token)


def find(text: str, langs: tuple[str, ...]) -> list[Candidate]:
    """ID_NUMBER and PLATE candidates in `text`."""
    t = to_ascii_digits(text)
    if not re.search(r"\d{2}", t):
        return []
    out: list[Candidate] = []
    for m in _id_regex(langs).finditer(t):
        token = m.group(1).rstrip(" -./")
        if _id_like(token):
            out.append(Candidate(m.start(1), m.start(1) + len(token), "ID_NUMBER", 80))
    for m in _CPF.finditer(t):
        if cpf.is_valid(m.group()):
            out.append(Candidate(m.start(), m.end(), "ID_NUMBER", 82))
    for m in _CURP.finditer(t):
        if curp.is_valid(m.group()):
            out.append(Candidate(m.start(), m.end(), "ID_NUMBER", 82))
    for m in _MIXED.finditer(t):
        token = m.group()
        if sum(ch.isdigit() for ch in token) >= 5:
            out.append(Candidate(m.start(), m.end(), "ID_NUMBER", 50))
    for m in _LONG_DIGITS.finditer(t):
        if not _quantity_after(langs).match(t, m.end()) and not _DATE_SHAPE.match(m.group()):
            out.append(Candidate(m.start(), m.end(), "ID_NUMBER", 30))
    for m in _plate_regex(langs).finditer(t):
        token = m.group(2).rstrip(" -")
        has_letter = bool(re.search(r"[A-Z\u0621-\u064A]", token))
        digits = sum(ch.isdigit() for ch in token)
        if _YEAR.match(token) or digits == 0 or re.search(r"[a-z]", token):
            continue
        if not has_letter and not _STRONG_PLATE_CUE.search(m.group(1)):
            continue
        if has_letter and len(re.sub(r"\W", "", token)) < 4:
            continue
        out.append(Candidate(m.start(2), m.start(2) + len(token), "PLATE", 78))
    for m in _PLATE_SHAPES.finditer(t):
        out.append(Candidate(m.start(), m.end(), "PLATE", 45))
    return out
