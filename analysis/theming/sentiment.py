"""Sentiment where a real offline model exists: English (TextBlob) and French (textblob-fr)."""

from __future__ import annotations

from functools import lru_cache

#: Languages with a sentiment model; every other language gets ``None``.
SENTIMENT_LANGUAGES: tuple[str, ...] = ("en", "fr")


@lru_cache(maxsize=1)
def _english():
    # TextBlob's PatternAnalyzer is a thin wrapper over this function; calling it
    # directly gives the same polarity without building a TextBlob per text.
    from textblob.en import sentiment as pattern_sentiment

    return pattern_sentiment


@lru_cache(maxsize=1)
def _french():
    from textblob_fr import PatternAnalyzer

    return PatternAnalyzer()


def sentiment(text: str, lang: str) -> float | None:
    """Polarity of ``text`` in ``[-1, 1]``, or ``None`` when ``lang`` has no model.

    :param text: the text.
    :param lang: its language code (``"en"``, ``"fr"``; anything else gives ``None``).
    """
    if lang == "en":
        polarity = _english()(text)[0]
    elif lang == "fr":
        polarity = _french().analyze(text)[0]
    else:
        return None
    return round(max(-1.0, min(1.0, float(polarity))), 4)
