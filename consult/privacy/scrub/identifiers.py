"""Identity numbers (passport, national ID, CNIB, cédula, CPF, NIN...) and vehicle plates."""

from __future__ import annotations

import re
from functools import cache

from stdnum.br import cpf
from stdnum.mx import curp

from . import lexicon
from .model import Candidate
from .textutil import Doc

# After a cue: a gap without digits or sentence end ("number is", "n°", "porte le numéro").
_GAP = r"[^\d.!?;\n]{0,40}?"
# An identifier: capital letters and digits, with inner - . / or single spaces.
_ID_SHAPE = r"((?:[A-Z0-9](?:[A-Z0-9]|[\-./ ](?=[A-Z0-9])){4,40}))(?![\w])"
# The first character comes before each look-behind so that the regex engine can skip
# quickly to places where a match may start.
_MIXED = re.compile(
    r"[A-Z0-9](?<![\w\-/][A-Z0-9])(?=[A-Z0-9\-]*\d)(?=[A-Z0-9\-]*[A-Z])[A-Z0-9\-]{6,28}[A-Z0-9](?![\w\-])"
)
_LONG_DIGITS = re.compile(r"\d(?<![\w\-./+]\d)(?:[\-/ ]?\d){8,29}(?![\w])")
_CPF = re.compile(r"\d(?<![\w.]\d)\d{2}\.?\d{3}\.?\d{3}-?\d{2}(?![\w])")
_CURP = re.compile(r"[A-Z](?<![\w][A-Z])[A-Z]{3}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d(?![\w])")
_LETTER = re.compile(r"[A-Z\u0621-\u064A]")
_LOWER = re.compile(r"[a-z]")
_TWO_DIGITS = re.compile(r"\d{2}")
_LOWER_PAIR = re.compile(r"[a-z]{2}")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DATE_SHAPE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")

_PLATE_SHAPE = (
    r"(\d{1,6}(?:[ \-]\d{1,6})?(?:\s[\u0621-\u064A]){1,3}"  # Arabic letters: ٤٥٢١ أ ب
    r"|(?=[A-Z0-9 \-·]*[A-Z])(?:[A-Z]{1,4}|\d{1,5})(?:[ \-·]?(?:[A-Z]{1,4}|\d{1,5})){1,4}"  # KDA 123X
    r"|\d{4,7}|\d{1,3}-\d{3,6})(?![\w])"  # digits only, after a plate cue
)
_STRONG_PLATE_CUE = re.compile(r"plat|plaq|plac|matr|immat|regist|reg\b|usajili|لوح|رقم", re.I)
_PLATE_SHAPES = re.compile(
    r"(?:"
    r"[A-Z]{2}-\d{3}-[A-Z]{2}"  # France
    r"|K[A-Z]{2} \d{3}[A-Z]|U[A-Z]{2} \d{3}[A-Z]|R[A-Z]{2} \d{3}[A-Z]"  # Kenya, Uganda, Rwanda
    r"|T \d{3} [A-Z]{3}"  # Tanzania
    r"|[A-Z]{3}\d[A-Z]\d{2}"  # Mercosur
    r")(?![\w\-])"
)


# Both run on the original text (with ASCII digits) right after a cue found in lower case.
_ID_AFTER_CUE = re.compile(rf"{_GAP}(?<![A-Za-z0-9]){_ID_SHAPE}")
_PLATE_AFTER_CUE = re.compile(rf"{_GAP.replace('40', '30')}(?<![\w]){_PLATE_SHAPE}")


@cache
def _quantity_after(langs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\s*" + lexicon.phrase_regex(langs, "quantity_words"))


def _id_like(token: str) -> bool:
    digits = sum(ch.isdigit() for ch in token)
    if digits < 4 or _YEAR.match(token) or _DATE_SHAPE.match(token):
        return False
    # lower-case words caught by the case-insensitive cue pattern are not identifiers
    return not _LOWER_PAIR.search(token)


def find(doc: Doc, langs: tuple[str, ...]) -> list[Candidate]:
    """ID_NUMBER and PLATE candidates in the answer."""
    t = doc.digits
    if not _TWO_DIGITS.search(t):
        return []
    out: list[Candidate] = []
    for cue in doc.cues_of("id_cues"):
        m = _ID_AFTER_CUE.match(t, cue.end)
        if m:
            token = m.group(1).rstrip(" -./")
            if _id_like(token):
                out.append(Candidate(m.start(1), m.start(1) + len(token), "ID_NUMBER", 80))
    for m in doc.finditer_near_digits(_CPF, t, digit_first=True):
        if cpf.is_valid(m.group()):
            out.append(Candidate(m.start(), m.end(), "ID_NUMBER", 82))
    for m in doc.finditer_near_digits(_CURP, t):
        if curp.is_valid(m.group()):
            out.append(Candidate(m.start(), m.end(), "ID_NUMBER", 82))
    for m in doc.finditer_near_digits(_MIXED, t):
        token = m.group()
        if sum(ch.isdigit() for ch in token) >= 5:
            out.append(Candidate(m.start(), m.end(), "ID_NUMBER", 50))
    for m in doc.finditer_near_digits(_LONG_DIGITS, t, digit_first=True):
        if not _quantity_after(langs).match(doc.low_digits, m.end()) and not _DATE_SHAPE.match(m.group()):
            out.append(Candidate(m.start(), m.end(), "ID_NUMBER", 30))
    for cue in doc.cues_of("plate_cues"):
        m = _PLATE_AFTER_CUE.match(t, cue.end)
        if not m:
            continue
        token = m.group(1).rstrip(" -")
        has_letter = bool(_LETTER.search(token))
        digits = sum(ch.isdigit() for ch in token)
        if _YEAR.match(token) or digits == 0 or _LOWER.search(token):
            continue
        if not has_letter and not _STRONG_PLATE_CUE.search(doc.low[cue.start : m.start(1)]):
            continue
        if has_letter and sum(ch.isalnum() for ch in token) < 4:
            continue
        out.append(Candidate(m.start(1), m.start(1) + len(token), "PLATE", 78))
    for m in doc.finditer_near_digits(_PLATE_SHAPES, t):
        if m.start() and (t[m.start() - 1].isalnum() or t[m.start() - 1] in "-_"):
            continue
        out.append(Candidate(m.start(), m.end(), "PLATE", 45))
    return out
