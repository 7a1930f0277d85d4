"""Small text helpers shared by the recognisers."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property

from .lexicon import lower

# Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits map one-to-one onto ASCII, so a
# translated copy of the text keeps every offset of the original.
ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
DIGIT = "0-9٠-٩۰-۹"

UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper() and c.isalpha())
# One capitalised word of a name: "Ouédraogo", "O'Brien", "Jean-Bosco", "Al-Hourani", "DIALLO".
NAME_TOKEN = rf"[{UPPER}][^\W\d_]*(?:['’\-][{UPPER}]?[^\W\d_]+)*"
ARABIC_WORD = r"[\u0621-\u064A\u0660-\u0669\u066E-\u06D3\u06D5\u06FA-\u06FF\u0640]+"

_DIGITS = re.compile(r"\d+")
# A full stop ends a sentence when what follows is not a lower-case word or a number, so
# that "apt. 5", "vul. Shevchenka" and "n. 12" do not split an address.
_SENTENCE_END = re.compile(r"[.!?؟।]+(?=\s+[^\s\da-zà-ÿ]|\s*$)|\n|[;؛]")


_NON_ASCII_DIGIT = re.compile("[٠-٩۰-۹]")


def to_ascii_digits(text: str) -> str:
    """Copy of `text` with Arabic-Indic digits as ASCII digits (same length)."""
    # str.translate is slow; most answers have no Arabic-Indic digit at all
    return text.translate(ASCII_DIGITS) if _NON_ASCII_DIGIT.search(text) else text


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence (or clause ended by ';') that holds `pos`."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    m = _SENTENCE_END.search(text, pos)
    end = m.start() if m else len(text)
    return start, end


def words_before(text: str, pos: int, limit: int = 60) -> str:
    """Text of the same sentence before `pos`, at most `limit` characters."""
    start, _ = sentence_bounds(text, pos)
    return text[max(start, pos - limit) : pos]


class Doc:
    """One answer, with the copies and indexes the recognisers share (computed once)."""

    __slots__ = ("__dict__", "langs", "text")

    def __init__(self, text: str, langs: tuple[str, ...]) -> None:
        self.text = text
        self.langs = langs

    @cached_property
    def low(self) -> str:
        """Lower-cased text, for cue phrases."""
        return lower(self.text)

    @cached_property
    def digits(self) -> str:
        """Text with ASCII digits, for numbers."""
        return to_ascii_digits(self.text)

    @cached_property
    def low_digits(self) -> str:
        """Lower-cased text with ASCII digits."""
        return to_ascii_digits(self.low)

    @cached_property
    def cues(self) -> list:
        """Every cue phrase in the answer (see `cues.find_cues`)."""
        from .cues import find_cues

        return find_cues(self.low, self.langs)

    @cached_property
    def digit_windows(self) -> list[tuple[int, int]]:
        """Stretches of the text around its digits (merged), where numbers can be."""
        out: list[list[int]] = []
        for m in _DIGITS.finditer(self.digits):
            start, end = max(0, m.start() - 24), m.end() + 24
            if out and start <= out[-1][1]:
                out[-1][1] = end
            else:
                out.append([start, end])
        return [(s, min(e, len(self.text))) for s, e in out]

    def finditer_near_digits(self, pattern: re.Pattern[str], text: str, digit_first: bool = False):
        """`pattern.finditer` over the digit windows of `text` (a same-length copy).

        A pattern that starts with a digit (`digit_first`) is cheap to run on the whole text
        when there are many windows: the regex engine skips fast to the digits.
        """
        if digit_first and len(self.digit_windows) > 2:
            # many numbers: one pass over the whole text costs less than many small ones
            yield from pattern.finditer(text)
            return
        last = -1
        for start, end in self.digit_windows:
            for m in pattern.finditer(text, start, end):
                if m.start() > last:
                    last = m.start()
                    yield m

    @cached_property
    def _cues_by_key(self) -> dict[str, list]:
        by_key: dict[str, list] = {}
        for cue in self.cues:
            for key in cue.keys:
                by_key.setdefault(key, []).append(cue)
        return by_key

    def cues_of(self, *keys: str) -> list:
        """The cues that belong to any of the lexicon lists `keys`, left to right."""
        by_key = self._cues_by_key
        if len(keys) == 1:
            return by_key.get(keys[0], [])
        found = {c for k in keys for c in by_key.get(k, ())}
        return sorted(found)

    def cue_before(self, pos: int, keys: tuple[str, ...], limit: int) -> bool:
        """True when a cue of `keys` ends within `limit` characters before `pos`, in the
        same sentence."""
        start = max(self.sentence_start(pos), pos - limit)
        return any(start <= c.start and c.end <= pos for c in self.cues_of(*keys))

    @cached_property
    def _sentence_ends(self) -> list[re.Match[str]]:
        return [m for m in _SENTENCE_END.finditer(self.text) if not _after_abbreviation(self.text, m)]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [0] + [m.end() for m in self._sentence_ends]

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence (or clause ended by ';') that holds `pos`."""
        starts = self._sentence_starts
        return starts[bisect_right(starts, pos) - 1]

    def sentence_end(self, pos: int) -> int:
        """End of the sentence that holds `pos` (before its final punctuation)."""
        for m in self._sentence_ends:
            if m.start() >= pos:
                return m.start()
        return len(self.text)


# Short words after which a full stop is an abbreviation, not a sentence end.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "av",
        "ave",
        "bd",
        "rd",
        "no",
        "nº",
        "vul",
        "ul",
        "str",
        "apt",
        "mme",
        "mlle",
        "sra",
        "sr",
        "dra",
        "prof",
        "bi",
        "bw",
        "dkt",
        "p.o",
        "po",
        "b.p",
        "bp",
        "ste",
        "cie",
        "jr",
        "sgt",
        "lt",
        "col",
        "capt",
        "gen",
        "hon",
        "rev",
        "fr",
        "pr",
        "me",
    ]
)


def _after_abbreviation(text: str, m: re.Match[str]) -> bool:
    if m.group() != ".":
        return False
    word = _WORD_BEFORE.search(text, max(0, m.start() - 8), m.start())
    return bool(word and word.group(1).lower() in _ABBREVIATIONS)


_WORD_BEFORE = re.compile(r"([\w.]+)$")
