"""Theming engine: NAP goals, sentiment and key phrases in six languages, offline.

Pure functions and objects over plain data: no Flask, no database. Typical use::

    themer = default_themer()
    [result] = themer.classify(["Les casques bleues ..."], langs=["fr"])
    result.goals, result.scores, result.sentiment, result.explanation
"""

from analysis.theming.corpus import Example, load_seed_corpus, split_corpus
from analysis.theming.keyphrases import key_phrases
from analysis.theming.model import (
    Themer,
    ThemeResult,
    default_themer,
    detect_language,
    normalise_lang,
    train_themer,
)
from analysis.theming.sentiment import SENTIMENT_LANGUAGES, sentiment
from analysis.theming.text import SUPPORTED_LANGUAGES, UNDETERMINED

__all__ = [
    "SENTIMENT_LANGUAGES",
    "SUPPORTED_LANGUAGES",
    "UNDETERMINED",
    "Example",
    "ThemeResult",
    "Themer",
    "default_themer",
    "detect_language",
    "key_phrases",
    "load_seed_corpus",
    "normalise_lang",
    "sentiment",
    "split_corpus",
    "train_themer",
]
