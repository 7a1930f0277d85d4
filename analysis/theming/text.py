"""Normalisation, tokenisation and stemming for the six supported languages."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import snowballstemmer

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar", "pt", "sw")
#: Language code returned when a text has no letters to identify.
UNDETERMINED = "und"

_SNOWBALL_NAMES = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "ar": "arabic",
}

# Arabic short vowels, shadda, sukun, dagger alef and tatweel carry no meaning for theming.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_NON_WORD = re.compile(r"[\W\d_]+", re.UNICODE)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_ARABIC_ARTICLE_PREFIXES = ("وال", "بال", "فال", "كال")

# Stems are looked up far more often than new words appear, so caching them is
# what keeps the pure-Python Snowball stemmers off the hot path.
_STEM_CACHES: dict[str, dict[str, str]] = {}
_STEM_CACHE_LIMIT = 200_000  # entries per language; a full cache is simply emptied


def normalise(text: str) -> str:
    """Case-fold, compose Unicode, unify apostrophes and drop Arabic diacritics and tatweel."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return _ARABIC_MARKS.sub("", text)


def fold_arabic(text: str) -> str:
    """Unify Arabic letter variants (alef forms, taa marbuta, alef maqsura)."""
    return text.translate(_ARABIC_FOLD)


def strip_accents(text: str) -> str:
    """Remove combining accents from Latin letters (``é`` -> ``e``)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def char_text(normalised: str) -> str:
    """The form character n-grams are taken from (given :func:`normalise`'d text): words between single spaces."""
    return " " + _NON_WORD.sub(" ", fold_arabic(normalised)).strip() + " "


def has_letters(text: str) -> bool:
    """Whether ``text`` contains at least one letter of any script."""
    return _TOKEN.search(text) is not None


def tokenize(normalised: str) -> list[str]:
    """Split normalised text into letter-only tokens (digits and punctuation dropped)."""
    return _TOKEN.findall(normalised)


def arabic_share(text: str) -> float:
    """Share of letters in ``text`` that are Arabic script."""
    if not _ARABIC_LETTER.search(text):
        return 0.0  # the common case, decided without walking every character
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return 0.0
    return len(_ARABIC_LETTER.findall(text)) / letters


@lru_cache(maxsize=8)
def _snowball(lang: str):
    return snowballstemmer.stemmer(_SNOWBALL_NAMES[lang])


def _stem_swahili(token: str) -> str:
    # Snowball has no Swahili: strip only the locative "-ni" (kambini -> kambi),
    # a suffix that is frequent and safe; char n-grams cover the rest of the morphology.
    if len(token) >= 6 and token.endswith("ni"):
        return token[:-2]
    return token


def _stem_arabic(token: str) -> str:
    stem = _snowball("ar").stemWord(token)
    # The Snowball Arabic stemmer leaves "wa-/bi-/fa-/ka- + al-" and some bare "al-"
    # on nouns; removing them lets "والنازحين" and "النازحين" share a stem.
    if len(stem) >= 5 and stem.startswith(_ARABIC_ARTICLE_PREFIXES):
        stem = stem[3:]
    elif len(stem) >= 4 and stem.startswith(("لل", "ال")):
        stem = stem[2:]
    return fold_arabic(stem)


def _stem_uncached(token: str, lang: str) -> str:
    if lang == "ar" or (lang not in _SNOWBALL_NAMES and _ARABIC_LETTER.match(token)):
        return _stem_arabic(token)
    if lang in _SNOWBALL_NAMES:
        return strip_accents(_snowball(lang).stemWord(token))
    if lang == "sw":
        return _stem_swahili(token)
    return token


def _cache_for(lang: str) -> dict[str, str]:
    cache = _STEM_CACHES.setdefault(lang, {})
    if len(cache) >= _STEM_CACHE_LIMIT:
        cache.clear()
    return cache


def stem(token: str, lang: str) -> str:
    """Stem one normalised token for ``lang`` (cached).

    Snowball is used for en/fr/es/pt/ar; Swahili gets a light suffix rule; any
    other code returns the token unchanged. Latin stems lose their accents so
    that spelling variants (``violência``/``violencia``) meet.
    """
    cache = _cache_for(lang)
    result = cache.get(token)
    if result is None:
        result = cache[token] = _stem_uncached(token, lang)
    return result


def stem_all(tokens: list[str], lang: str) -> list[str]:
    """:func:`stem` for a list of tokens, with one cache look-up per token."""
    cache = _cache_for(lang)
    get = cache.get
    stems = [get(token) for token in tokens]
    for position, value in enumerate(stems):
        if value is None:
            stems[position] = cache[tokens[position]] = _stem_uncached(tokens[position], lang)
    return stems


def clear_stem_cache() -> None:
    """Forget every cached stem (benchmarks use it to measure stemming cold)."""
    _STEM_CACHES.clear()


@lru_cache(maxsize=1)
def _stopword_table() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files(__package__).joinpath("resources/stopwords.json").read_text("utf-8"))
    return {lang: frozenset(normalise(words).split()) for lang, words in raw.items()}


def stopwords(lang: str) -> frozenset[str]:
    """Function words of ``lang`` (empty for an unsupported language)."""
    return _stopword_table().get(lang, frozenset())


def content_tokens(text: str, lang: str) -> list[tuple[str, str]]:
    """``(surface, stem)`` pairs for the content words of ``text`` in ``lang``.

    Stop words and one-letter tokens are left out; surfaces are normalised.
    """
    stop = stopwords(lang)
    return [(token, stem(token, lang)) for token in tokenize(normalise(text)) if len(token) > 1 and token not in stop]
