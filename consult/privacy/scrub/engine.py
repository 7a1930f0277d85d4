"""Run every recogniser, resolve overlaps, write placeholders."""

from __future__ import annotations

import re
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
    chosen: list[list] = []
    for c in sorted(candidates, key=lambda c: (-c.priority, c.start - c.end, c.start)):
        if c.end <= c.start:
            continue
        overlapping = [s for s in chosen if s[0] < c.end and c.start < s[1]]
        if not overlapping:
            chosen.append([c.start, c.end, c.type])
        elif all(s[2] == c.type for s in overlapping):
            first = overlapping[0]
            first[0] = min([c.start] + [s[0] for s in overlapping])
            first[1] = max([c.end] + [s[1] for s in overlapping])
            for s in overlapping[1:]:
                chosen.remove(s)
    return sorted(Span(s, e, t) for s, e, t in chosen if t != KEEP)


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
