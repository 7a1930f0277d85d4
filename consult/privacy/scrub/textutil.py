"""Small text helpers shared by the recognisers."""

from __future__ import annotations

import re

# Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits map one-to-one onto ASCII, so a
# translated copy of the text keeps every offset of the original.
ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
DIGIT = "0-9٠-٩۰-۹"

UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper() and c.isalpha())
# One capitalised word of a name: "Ouédraogo", "O'Brien", "Jean-Bosco", "Al-Hourani", "DIALLO".
NAME_TOKEN = rf"[{UPPER}][^\W\d_]*(?:['’\-][{UPPER}]?[^\W\d_]+)*"
ARABIC_WORD = r"[\u0621-\u064A\u0660-\u0669\u066E-\u06D3\u06D5\u06FA-\u06FF\u0640]+"

_SENTENCE_END = re.compile(r"[.!?؟।\n]+(?=\s|$)|[;؛]")


def to_ascii_digits(text: str) -> str:
    """Copy of `text` with Arabic-Indic digits as ASCII digits (same length)."""
    return text.translate(ASCII_DIGITS)


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence (or clause ended by ';') that holds `pos`."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    m = _SENTENCE_END.search(text, pos)
    end = m.start() if m else len(text)
    return start, end


def words_before(text: str, pos: int, limit: int = 60) -> str:
    """Lower-cased text of the same sentence before `pos`, at most `limit` characters."""
    start, _ = sentence_bounds(text, pos)
    return text[max(start, pos - limit) : pos].lower()
