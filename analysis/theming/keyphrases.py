"""Key phrases: frequent, informative stem n-grams shown in their most common surface form."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter

from analysis.theming.text import normalise, stem, stem_all, stopwords, tokenize

MAX_WORDS = 3


@lru_cache(maxsize=8)
def _background(lang: str) -> tuple[Counter, int]:
    """Document frequency of stems in the seed corpus of ``lang`` (what is common anyway)."""
    from analysis.theming.corpus import load_seed_corpus

    frequency: Counter = Counter()
    examples = [e for e in load_seed_corpus() if e.lang == lang]
    for example in examples:
        frequency.update({stem(t, lang) for t in tokenize(normalise(example.text))})
    return frequency, len(examples)


def key_phrases(texts: Sequence[str], lang: str, top_n: int = 10) -> list[tuple[str, int]]:
    """The phrases that recur across ``texts``, most informative first.

    Candidates are runs of one to three words that neither start nor end with a
    stop word; they are counted once per text on their stems (so "refugee camp"
    and "refugee camps" are one phrase) and shown in their most frequent
    surface form. A phrase ranks by the number of texts it occurs in, weighed by
    how rare its words are in the seed corpus of the language; a shorter phrase
    that only ever occurs inside one longer phrase is dropped.

    :param texts: the answers to summarise.
    :param lang: their language (stemming and stop words).
    :param top_n: how many phrases to return.
    :returns: ``(phrase, number of texts containing it)`` pairs.
    """
    stop = stopwords(lang)
    document_count: Counter = Counter()
    #: stem key -> surface form -> occurrences (plain dicts: this loop runs per word of every answer)
    surfaces: dict[tuple[str, ...], dict[str, int]] = {}
    for text in texts:
        tokens = tokenize(normalise(text if isinstance(text, str) else ""))
        stems = stem_all(tokens, lang)
        # A phrase neither starts nor ends with a stop word or a word under 3 letters.
        edge = [len(token) >= 3 and token not in stop for token in tokens]
        seen: set[tuple[str, ...]] = set()
        for start in range(len(tokens)):
            if not edge[start]:
                continue
            for end in range(start + 1, min(start + MAX_WORDS, len(tokens)) + 1):
                if not edge[end - 1]:
                    continue
                key = tuple(stems[start:end])
                surface = " ".join(tokens[start:end])
                forms = surfaces.get(key)
                if forms is None:
                    surfaces[key] = {surface: 1}
                else:
                    forms[surface] = forms.get(surface, 0) + 1
                seen.add(key)
        document_count.update(seen)
    if not document_count:
        return []
    minimum = 2 if len(texts) > 1 else 1
    background, size = _background(lang)

    def rarity(key: tuple[str, ...]) -> float:
        return sum(math.log((size + 2) / (background.get(part, 0) + 1)) for part in key) / len(key)

    candidates = {k: n for k, n in document_count.items() if n >= minimum}
    # A phrase inside a longer one that occurs just as often adds nothing.
    for key, count in list(candidates.items()):
        if len(key) < 2:
            continue
        for length in range(1, len(key)):
            for start in range(len(key) - length + 1):
                part = key[start : start + length]
                if candidates.get(part) == count:
                    candidates.pop(part, None)
    ranked = sorted(
        candidates,
        key=lambda k: (-(candidates[k] * rarity(k) * (1 + 0.25 * (len(k) - 1))), k),
    )
    # The most frequent surface form, the first seen on a tie (as Counter.most_common).
    return [(max(surfaces[k].items(), key=itemgetter(1))[0], candidates[k]) for k in ranked[:top_n]]
