"""Run every recogniser, resolve overlaps, write placeholders."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from . import dates, identifiers, names, network, phones, places
from .lexicon import LANGS
from .model import KEEP, PII_TYPES, Candidate, Scrubbed, Span, placeholder
from .textutil import Doc

_RECOGNISERS = (
    network.find,
    phones.find,
    identifiers.find,
    dates.find,
    places.find_addresses,
    places.find_orgs,
    names.find,
)


_PLACEHOLDER = re.compile(r"\[(?:" + "|".join(PII_TYPES) + r")\]")


@cache
def _langs(lang: str | None) -> tuple[str, ...]:
    if lang is None:
        return LANGS
    base = lang.strip().lower().replace("_", "-").split("-")[0]
    if base not in LANGS:
        # an unsupported language is not an error: apply every language's rules
        return LANGS
    # English cues are common in every language's answers ("my name is", "WhatsApp")
    return (base,) if base == "en" else (base, "en")


def resolve(candidates: list[Candidate]) -> list[Span]:
    """Non-overlapping spans: higher priority first, then longer; same-type overlaps merge."""
    starts: list[int] = []  # accepted spans, sorted by start, as parallel lists
    spans: list[list] = []
    for c in sorted(candidates, key=lambda c: (-c.priority, c.start - c.end, c.start)):
        if c.end <= c.start:
            continue
        i = bisect_left(starts, c.start)
        lo = i - 1 if i and spans[i - 1][1] > c.start else i
        hi = i
        while hi < len(spans) and spans[hi][0] < c.end:
            hi += 1
        overlapping = spans[lo:hi]
        if not overlapping:
            starts.insert(i, c.start)
            spans.insert(i, [c.start, c.end, c.type])
        elif all(s[2] == c.type for s in overlapping):
            merged = [min(c.start, overlapping[0][0]), max(c.end, overlapping[-1][1]), c.type]
            spans[lo:hi] = [merged]
            starts[lo:hi] = [merged[0]]
    return [Span(s, e, t) for s, e, t in spans if t != KEEP]


def scrub_pii(text: str, lang: str | None = None) -> Scrubbed:
    """Find PII in a free-text answer and replace each item with a typed placeholder.

    :param text: the answer as the respondent wrote it.
    :param lang: language hint (en, fr, es, ar, pt, sw, or a tag like ``fr-CA``); None or
        an unsupported language applies every language's rules.
    :returns: the scrubbed text and the spans, which index the ORIGINAL text, sorted and
        non-overlapping; each span's characters are replaced by ``[TYPE]``.
    :raises TypeError: when `text` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"scrub_pii needs a str, not {type(text).__name__}")
    if not text:
        return Scrubbed(text, [])
    langs = _langs(lang)
    doc = Doc(text, langs)
    # placeholders of an earlier pass are never PII again, nor part of a larger item
    candidates: list[Candidate] = (
        [Candidate(m.start(), m.end(), KEEP, 1000) for m in _PLACEHOLDER.finditer(text)] if "[" in text else []
    )
    for recognise in _RECOGNISERS:
        candidates.extend(recognise(doc, langs))
    spans = resolve(candidates)
    pieces, pos = [], 0
    for span in spans:
        pieces.append(text[pos : span.start])
        pieces.append(placeholder(span.type))
        pos = span.end
    pieces.append(text[pos:])
    return Scrubbed("".join(pieces), spans)
