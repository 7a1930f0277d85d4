"""The themer: language identification, lexicon + supervised scoring, calibrated decisions.

Scoring combines three blocks of features in one logistic regression per goal:
hashed character n-grams (robust to morphology and spelling), stem n-grams
(readable, explainable), and the codebook lexicon's per-goal weights, which are
language-independent features and so carry what the model learned in one
language over to languages with little labelled data. Per-goal thresholds are
chosen on out-of-fold predictions of the training corpus; displayed scores are
rescaled so that 0.5 is each goal's threshold.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import threading
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from analysis.codebook import Codebook, load_codebook, parse_codebook
from analysis.theming import features as feats
from analysis.theming.lexicon import Lexicon
from analysis.theming.sentiment import sentiment as sentiment_of
from analysis.theming.text import (
    SUPPORTED_LANGUAGES,
    UNDETERMINED,
    arabic_share,
    content_tokens,
    has_letters,
    normalise,
    stem_all,
    stopwords,
    tokenize,
)

#: Bumped whenever a change here alters what a trained model computes.
ENGINE_VERSION = "3"
_MAGIC = b"CONSULT-THEMER\x01"

DEFAULT_PARAMS: dict[str, float] = {
    "char_min": 3,
    "char_max": 4,
    "min_df": 2,
    "C": 32.0,
    "char_weight": 1.0,
    "word_weight": 1.0,
    # Scale of the lexicon columns. At 1.0 they needed only small coefficients, so the
    # regularisation barely touched them and codebook words outvoted the n-grams (a
    # passing "participation" or "droits" themed a procedural sentence); 0.12 was the
    # best of 0-1 in seed cross-validation (macro F1 0.845 -> 0.862, 'none' kept 0.89 -> 0.94).
    "lexicon_weight": 0.12,
    "folds": 5,
    "min_threshold": 0.3,
    "second_ratio": 0.6,
}
DEFAULT_CORRECTIONS_WEIGHT = 5.0
_EXPLAIN_MAX_SHARE = 0.15

Triple = tuple[str, str | None, Sequence[str]]


@dataclass
class ThemeResult:
    """The theming of one text.

    ``scores`` holds every goal of the codebook in ``[0, 1]``; a goal is in
    ``goals`` when its score is at least 0.5 (its calibrated threshold, raised
    for a goal other than the text's strongest).
    ``sentiment`` is ``None`` where no sentiment model exists for ``lang``.
    ``explanation`` maps each assigned goal to the terms that drove it.
    """

    lang: str
    goals: list[str]
    scores: dict[str, float]
    sentiment: float | None = None
    explanation: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain-data form (JSON-ready)."""
        return {
            "lang": self.lang,
            "goals": list(self.goals),
            "scores": dict(self.scores),
            "sentiment": self.sentiment,
            "explanation": {goal: list(terms) for goal, terms in self.explanation.items()},
        }


def normalise_lang(hint: str | None) -> str | None:
    """Reduce a language hint (``"fr-CA"``, ``"FR"``) to a supported code, else ``None``."""
    if not isinstance(hint, str):
        return None
    code = hint.strip().replace("_", "-").split("-")[0].casefold()
    return code if code in SUPPORTED_LANGUAGES else None


def _text_key(text: str) -> str:
    # Corrections are remembered by digest, so model bytes never carry the corrected text.
    canonical = " ".join(tokenize(normalise(text)))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _display_scores(probabilities: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Piecewise-linear map sending each goal's threshold to 0.5, 0 to 0 and 1 to 1."""
    low = 0.5 * probabilities / thresholds
    high = 0.5 + 0.5 * (probabilities - thresholds) / (1.0 - thresholds)
    return np.clip(np.where(probabilities < thresholds, low, high), 0.0, 1.0)


def _secondary_bar(scores: np.ndarray, ratio: float) -> np.ndarray:
    """Rescale so that a goal other than a text's strongest needs ``ratio`` times its score.

    Real policy sentences mostly carry one goal, and words of a second goal often
    occur in passing ("human rights" in a sentence about peacekeeping), so a
    second goal must be strong relative to the first, not merely above its own
    threshold. The strongest goal is left as it is; every other goal's score is
    mapped piecewise-linearly so that its bar, ``max(0.5, ratio * strongest)``,
    lands on 0.5 and the rule "assigned iff score >= 0.5" still holds.
    """
    if ratio <= 0 or scores.shape[1] < 2:
        return scores
    top = scores.max(axis=1, keepdims=True)
    bar = np.maximum(0.5, ratio * top)
    low = 0.5 * scores / bar
    high = 0.5 + 0.5 * (scores - bar) / np.maximum(1.0 - bar, 1e-9)
    rescaled = np.clip(np.where(scores < bar, low, high), 0.0, 1.0)
    strongest = scores == top
    return np.where(strongest, scores, rescaled)


class _Batch:
    """Per-batch intermediate results shared by language id, scoring and explanation."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = [text if isinstance(text, str) else "" for text in texts]
        self.normalised = [normalise(text) for text in self.texts]
        self.langs: list[str] = []
        self.surfaces: list[list[str]] = []
        self.stems: list[list[str]] = []
        self.parts: tuple[feats.Triplets, feats.Triplets] | None = None


class Themer:
    """A trained theming model; build it with :func:`train_themer` or :meth:`from_bytes`."""

    def __init__(
        self,
        *,
        codebook_data: dict,
        params: dict[str, float],
        char_buckets: np.ndarray,
        char_idf: np.ndarray,
        word_features: list[str],
        word_idf: np.ndarray,
        word_share: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        thresholds: np.ndarray,
        lang_codes: list[str],
        lang_logprob: np.ndarray,
        overrides: dict[str, list[str]],
        version: str,
        info: dict,
    ) -> None:
        """Assemble a themer from trained arrays (use :func:`train_themer` instead)."""
        self.codebook_data = codebook_data
        self.codebook: Codebook = parse_codebook(codebook_data)
        self.goal_ids: tuple[str, ...] = self.codebook.goal_ids
        self.lexicon = Lexicon(self.codebook)
        self.params = dict(params)
        self.char_buckets = char_buckets.astype(np.int64)
        self.char_colmap = np.full(1 << feats.HASH_BITS, -1, dtype=np.int32)
        self.char_colmap[self.char_buckets] = np.arange(len(self.char_buckets), dtype=np.int32)
        self.char_idf = char_idf.astype(np.float32)
        self.word_features = list(word_features)
        self.word_vocab = {feature: index for index, feature in enumerate(self.word_features)}
        self.word_idf = word_idf.astype(np.float32)
        self.word_share = word_share.astype(np.float32)
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.thresholds = thresholds.astype(np.float64)
        self.lang_codes = list(lang_codes)
        self.lang_logprob = lang_logprob.astype(np.float32)
        self.overrides = {key: list(goals) for key, goals in overrides.items()}
        self.version = version
        self.info = dict(info)
        self._ar_index = self.lang_codes.index("ar") if "ar" in self.lang_codes else None
        self._prepare_weights()

    def _prepare_weights(self) -> None:
        # Column-major copies: scoring reads all goals' weights of one feature at once.
        n_char, n_word = len(self.char_buckets), len(self.word_features)
        self._char_weights = np.ascontiguousarray(self.coef[:, :n_char].T)
        self._word_weights = np.ascontiguousarray(self.coef[:, n_char : n_char + n_word].T)
        self._lexicon_weights = np.ascontiguousarray(self.coef[:, n_char + n_word :].T)
        self._lang_weights = np.ascontiguousarray(self.lang_logprob.T)

    # -- language identification -------------------------------------------------

    def _char_counts(self, batch: _Batch) -> feats.Triplets:
        rows, buckets = feats.hashed_char_ngrams(
            batch.normalised, int(self.params["char_min"]), int(self.params["char_max"])
        )
        cols = self.char_colmap[buckets]
        keep = cols >= 0
        return feats.aggregate(rows[keep], cols[keep].astype(np.int64), len(self.char_buckets))

    def _identify(self, batch: _Batch, counts: feats.Triplets, hints: Sequence) -> None:
        resolved = [normalise_lang(hints[i]) if i < len(hints) else None for i in range(len(batch.texts))]
        if all(resolved):
            batch.langs = list(resolved)
            return
        logits = feats.row_dot(counts, self._lang_weights, len(batch.texts))
        if self._ar_index is not None:
            # Script decides Arabic (below); among the rest, never guess Arabic.
            logits[:, self._ar_index] = -np.inf
        guesses = np.argmax(logits, axis=1) if logits.shape[1] else np.zeros(len(batch.texts), dtype=int)
        langs: list[str] = []
        for index, normalised in enumerate(batch.normalised):
            if resolved[index] is not None:
                langs.append(resolved[index])
            elif not has_letters(normalised):
                langs.append(UNDETERMINED)
            elif arabic_share(normalised) >= 0.5:
                # Of the six languages only Arabic is written in this script.
                langs.append("ar")
            else:
                langs.append(self.lang_codes[int(guesses[index])] if self.lang_codes else "en")
        batch.langs = langs

    def detect_languages(self, texts: Sequence[str]) -> list[str]:
        """Language code of each text (``"und"`` when it has no letters)."""
        batch = _Batch(texts)
        self._identify(batch, self._char_counts(batch), [None] * len(texts))
        return batch.langs

    # -- scoring ---------------------------------------------------------------------

    def _features(self, batch: _Batch, counts: feats.Triplets) -> tuple[feats.Triplets, np.ndarray]:
        """Weighted TF-IDF of char and stem n-grams (one column space) and lexicon features."""
        word_rows: list[int] = []
        word_cols: list[int] = []
        lexicon_rows = np.zeros((len(batch.texts), len(self.goal_ids)), dtype=np.float64)
        batch.surfaces, batch.stems = [], []
        vocab = self.word_vocab
        for index, (normalised, lang) in enumerate(zip(batch.normalised, batch.langs, strict=True)):
            stop = stopwords(lang)
            surfaces = [t for t in tokenize(normalised) if len(t) > 1 and t not in stop]
            stems = stem_all(surfaces, lang)
            batch.surfaces.append(surfaces)
            batch.stems.append(stems)
            for gram in feats.stem_ngrams(stems):
                col = vocab.get(gram)
                if col is not None:
                    word_rows.append(index)
                    word_cols.append(col)
            lexicon_rows[index] = self.lexicon.goal_weights(stems, lang)
        n = len(batch.texts)
        char_part = feats.tfidf(counts, self.char_idf, n, float(self.params["char_weight"]))
        words = feats.aggregate(
            np.asarray(word_rows, dtype=np.int64), np.asarray(word_cols, dtype=np.int64), len(self.word_features)
        )
        word_part = feats.tfidf(words, self.word_idf, n, float(self.params["word_weight"]))
        batch.parts = (char_part, word_part)
        offset = len(self.char_buckets)
        combined = feats.Triplets(
            np.concatenate([char_part.rows, word_part.rows]),
            np.concatenate([char_part.cols, word_part.cols + offset]),
            np.concatenate([char_part.vals, word_part.vals]),
        )
        return combined, np.log1p(lexicon_rows) * float(self.params["lexicon_weight"])

    def _to_matrix(self, triplets: feats.Triplets, lexicon: np.ndarray) -> sparse.csr_matrix:
        """The training matrix: text features then one column per goal for the lexicon."""
        n_text = len(self.char_buckets) + len(self.word_features)
        text_part = sparse.csr_matrix((triplets.vals, (triplets.rows, triplets.cols)), shape=(lexicon.shape[0], n_text))
        return sparse.hstack([text_part, sparse.csr_matrix(lexicon)], format="csr")

    def _probabilities(self, batch: _Batch, lexicon: np.ndarray) -> np.ndarray:
        # Scipy's per-call overhead dominates for small batches, so the linear
        # model is applied directly to the (row, column, value) triplets.
        char_part, word_part = batch.parts
        n = lexicon.shape[0]
        z = feats.row_dot(char_part, self._char_weights, n) + feats.row_dot(word_part, self._word_weights, n)
        z += lexicon @ self._lexicon_weights + self.intercept
        return _sigmoid(z)

    def classify(
        self,
        texts: Sequence[str],
        langs: Sequence[str | None] | None = None,
        *,
        explain: bool = True,
        with_sentiment: bool = True,
    ) -> list[ThemeResult]:
        """Theme a batch of texts.

        :param texts: the texts (a non-string counts as empty text).
        :param langs: optional language hint per text; a supported code (or a
            regional variant such as ``"fr-CA"``) is trusted, anything else is
            ignored and the language is identified from the text.
        :param explain: fill :attr:`ThemeResult.explanation` (costs a little time).
        :param with_sentiment: compute sentiment where a model exists.
        :returns: one :class:`ThemeResult` per text, in order.
        :raises ValueError: if ``langs`` is given with a different length.
        """
        if langs is not None and len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} language hints")
        if not texts:
            return []
        batch = _Batch(texts)
        counts = self._char_counts(batch)
        self._identify(batch, counts, list(langs) if langs is not None else [None] * len(texts))
        triplets, lexicon = self._features(batch, counts)
        probabilities = self._probabilities(batch, lexicon)
        scores = _secondary_bar(
            _display_scores(probabilities, self.thresholds), float(self.params.get("second_ratio", 0.0))
        )
        results: list[ThemeResult] = []
        for index, text in enumerate(batch.texts):
            row = scores[index]
            goals = [goal for goal, score in zip(self.goal_ids, row, strict=True) if score >= 0.5]
            explanation: dict[str, list[str]] = {}
            corrected = self.overrides.get(_text_key(text)) if self.overrides else None
            if corrected is not None:
                row = self._apply_correction(row, corrected)
                goals = list(corrected)
                if explain:
                    explanation = {goal: ["analyst correction"] for goal in goals}
            elif explain and goals:
                explanation = self._explain(batch, index, triplets, goals)
            lang = batch.langs[index]
            results.append(
                ThemeResult(
                    lang=lang,
                    goals=goals,
                    scores={g: round(float(s), 4) for g, s in zip(self.goal_ids, row, strict=True)},
                    sentiment=sentiment_of(text, lang) if with_sentiment else None,
                    explanation=explanation,
                )
            )
        return results

    def _apply_correction(self, row: np.ndarray, goals: list[str]) -> np.ndarray:
        # Keep the model's ordering information but put each score on the side
        # of 0.5 that the analyst chose.
        fixed = row.copy()
        for position, goal in enumerate(self.goal_ids):
            if goal in goals:
                fixed[position] = max(fixed[position], 0.75)
            else:
                fixed[position] = min(fixed[position], 0.25)
        return fixed

    def _explain(self, batch: _Batch, index: int, triplets: feats.Triplets, goals: list[str]) -> dict[str, list[str]]:
        stems = batch.stems[index]
        surfaces = batch.surfaces[index]
        surface_of: dict[str, str] = {}
        for surface, stem_ in zip(surfaces, stems, strict=True):
            surface_of.setdefault(stem_, surface)
        matches = self.lexicon.match_stems(stems, batch.langs[index])
        mine = triplets.rows == index
        row_cols, row_vals = triplets.cols[mine], triplets.vals[mine]
        word_start = len(self.char_buckets)
        word_end = word_start + len(self.word_features)
        explanation: dict[str, list[str]] = {}
        for goal in goals:
            g = self.goal_ids.index(goal)
            terms: list[str] = []
            for term, _ in matches:
                if term.goal == g and term.surface not in terms:
                    terms.append(term.surface)
            contributions = []
            for col, value in zip(row_cols, row_vals, strict=True):
                if word_start <= col < word_end:
                    weight = float(value) * float(self.coef[g, col])
                    # A word found in a large share of its language's texts ("women") explains nothing.
                    if weight > 0 and self.word_share[col - word_start] <= _EXPLAIN_MAX_SHARE:
                        contributions.append((weight, self.word_features[col - word_start]))
            for _, feature in sorted(contributions, reverse=True)[:4]:
                readable = " ".join(surface_of.get(part, part) for part in feature.split(" "))
                if not any(readable in t.casefold() for t in terms):
                    terms.append(readable)
            explanation[goal] = terms[:6]
        return explanation

    # -- persistence ------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """Serialise the model (numpy arrays and JSON only, no pickle)."""
        meta = {
            "engine": ENGINE_VERSION,
            "version": self.version,
            "params": self.params,
            "codebook": self.codebook_data,
            "word_features": self.word_features,
            "lang_codes": self.lang_codes,
            "overrides": self.overrides,
            "info": self.info,
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), np.uint8),
            char_buckets=self.char_buckets.astype(np.int32),
            char_idf=self.char_idf,
            word_idf=self.word_idf,
            word_share=self.word_share,
            coef=self.coef,
            intercept=self.intercept,
            thresholds=self.thresholds,
            lang_logprob=self.lang_logprob,
        )
        return _MAGIC + buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Themer:
        """Load a model written by :meth:`to_bytes`.

        :raises ValueError: if ``data`` is not a themer model, or was written by
            an engine version whose features differ from this one.
        """
        if not data.startswith(_MAGIC):
            raise ValueError("not a consult themer model")
        try:
            arrays = np.load(io.BytesIO(data[len(_MAGIC) :]), allow_pickle=False)
            meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise ValueError(f"corrupt themer model: {exc}") from exc
        if meta.get("engine") != ENGINE_VERSION:
            raise ValueError(f"themer model from engine {meta.get('engine')}, this is {ENGINE_VERSION}: retrain")
        return cls(
            codebook_data=meta["codebook"],
            params=meta["params"],
            char_buckets=arrays["char_buckets"],
            char_idf=arrays["char_idf"],
            word_features=meta["word_features"],
            word_idf=arrays["word_idf"],
            word_share=arrays["word_share"],
            coef=arrays["coef"],
            intercept=arrays["intercept"],
            thresholds=arrays["thresholds"],
            lang_codes=meta["lang_codes"],
            lang_logprob=arrays["lang_logprob"],
            overrides=meta["overrides"],
            version=meta["version"],
            info=meta["info"],
        )

    def __repr__(self) -> str:
        """Short identification for logs."""
        return f"<Themer {self.version}>"


# -- training -------------------------------------------------------------------------


def _codebook_language_texts(codebook: Codebook) -> list[tuple[str, str]]:
    """Text of the codebook per language, to teach the language identifier every language."""
    texts: list[tuple[str, str]] = []
    for lang in codebook.languages:
        if lang in codebook.title:
            texts.append((lang, codebook.title[lang]))
        for goal in codebook.goals:
            for table in (goal.label, goal.definition):
                if lang in table:
                    texts.append((lang, table[lang]))
            terms = list(goal.terms.get(lang, ())) + list(goal.weak_terms.get(lang, ()))
            if terms:
                texts.append((lang, " ; ".join(terms)))
        words = sorted(stopwords(lang))
        if words:
            texts.append((lang, " ".join(words)))
    return texts


def _fit_goal(matrix: sparse.csr_matrix, target: np.ndarray, weights: np.ndarray, c: float):
    """One regularised logistic regression; a goal with one class gets a constant."""
    if target.min() == target.max():
        return np.zeros(matrix.shape[1]), (10.0 if target[0] else -10.0)
    # Imported here: classifying never needs scikit-learn, which saves workers memory.
    from sklearn.linear_model import LogisticRegression

    # The dual liblinear solver suits many more features than examples, as here.
    model = LogisticRegression(C=c, solver="liblinear", dual=True, max_iter=2000, random_state=0)
    model.fit(matrix, target, sample_weight=weights)
    return model.coef_[0], float(model.intercept_[0])


def _best_threshold(probabilities: np.ndarray, target: np.ndarray, weights: np.ndarray, floor: float) -> float:
    """Threshold maximising (smoothed) weighted F1 on out-of-fold probabilities."""
    grid = np.round(np.arange(0.05, 0.91, 0.01), 2)
    f1 = []
    for threshold in grid:
        predicted = probabilities >= threshold
        tp = float(np.sum(weights * (predicted & target)))
        fp = float(np.sum(weights * (predicted & ~target)))
        fn = float(np.sum(weights * (~predicted & target)))
        f1.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    # Averaging neighbours avoids a threshold perched on a lucky spike.
    smoothed = np.convolve(np.asarray(f1), np.ones(7) / 7, mode="same")
    return float(np.clip(grid[int(np.argmax(smoothed))], floor, 0.7))


def train_themer(
    examples: Iterable[Triple],
    corrections: Iterable[Triple] = (),
    *,
    corrections_weight: float = DEFAULT_CORRECTIONS_WEIGHT,
    base: Themer | None = None,
    codebook_id: str | None = None,
    params: dict[str, float] | None = None,
) -> Themer:
    """Train a themer (deterministic: same data and code give the same model and version).

    :param examples: ``(text, lang, goals)`` triples, e.g. the seed corpus;
        ``lang`` may be ``None`` (identified from the text); ``goals`` may be
        empty for texts that fit no goal.
    :param corrections: analyst corrections in the same form. Each weighs
        ``corrections_weight`` examples in training, replaces any example with
        the same text, and is remembered (by digest of its normalised text, not
        the text itself) so that the corrected text gets the corrected goals.
    :param corrections_weight: training weight of one correction.
    :param base: a previous themer whose codebook, hyperparameters and
        remembered corrections carry over (new corrections win).
    :param codebook_id: codebook to use when there is no ``base``
        (``"nap-2017"`` by default).
    :param params: hyperparameters overriding :data:`DEFAULT_PARAMS`.
    :raises ValueError: if there are no examples, a goal is not in the
        codebook, or ``corrections_weight`` is not positive.
    """
    if corrections_weight <= 0:
        raise ValueError("corrections_weight must be positive")
    if base is not None:
        codebook_data = base.codebook_data
        settings = {**base.params, **(params or {})}
        overrides = dict(base.overrides)
    else:
        codebook = load_codebook(codebook_id or "nap-2017")
        codebook_data = json.loads(json.dumps(_codebook_to_dict(codebook), ensure_ascii=False))
        settings = {**DEFAULT_PARAMS, **(params or {})}
        overrides = {}
    codebook = parse_codebook(codebook_data)
    goal_ids = codebook.goal_ids

    rows: dict[str, tuple[str, str | None, tuple[str, ...], float]] = {}
    for weight, source in ((1.0, examples), (float(corrections_weight), corrections)):
        for text, lang, goals in source:
            goals = tuple(dict.fromkeys(goals))
            unknown = set(goals) - set(goal_ids)
            if unknown:
                raise ValueError(f"goals {sorted(unknown)} are not in codebook {codebook.id}")
            key = _text_key(text)
            rows[key] = (text, normalise_lang(lang), goals, weight)
            if weight != 1.0:
                overrides[key] = list(goals)
    if not rows:
        raise ValueError("no training examples")
    keys = sorted(rows)
    texts = [rows[k][0] for k in keys]
    hinted = [rows[k][1] for k in keys]
    labels = np.array([[goal in rows[k][2] for goal in goal_ids] for k in keys], dtype=bool)
    weights = np.array([rows[k][3] for k in keys], dtype=np.float64)

    digest = hashlib.sha256()
    digest.update(json.dumps([ENGINE_VERSION, settings, codebook_data], sort_keys=True).encode())
    for k in keys:
        digest.update(f"{k}|{rows[k][1]}|{','.join(rows[k][2])}|{rows[k][3]}\n".encode())
    kind = "retrained" if overrides else "seed"
    version = f"{codebook.id}/{kind}-{digest.hexdigest()[:8]}"

    # Character vocabulary and language profiles: training texts plus the
    # codebook's own text, so every codebook language is known to the identifier.
    extra = _codebook_language_texts(codebook)
    all_texts = [normalise(t) for t in texts] + [normalise(t) for _, t in extra]
    char_min, char_max = int(settings["char_min"]), int(settings["char_max"])
    rows_idx, buckets = feats.hashed_char_ngrams(all_texts, char_min, char_max)
    hashed = feats.counts_to_matrix(rows_idx, buckets, len(all_texts), 1 << feats.HASH_BITS)
    df = feats.document_frequency(hashed)
    char_buckets = np.flatnonzero(df >= settings["min_df"])
    char_idf = feats.smooth_idf(df[char_buckets], len(all_texts))
    colmap = np.full(1 << feats.HASH_BITS, -1, dtype=np.int64)
    colmap[char_buckets] = np.arange(len(char_buckets))
    compact = hashed[:, char_buckets].tocsr()

    text_langs = [rows[k][1] for k in keys]
    lang_codes, lang_logprob = _fit_language_profiles(
        compact, text_langs + [lang for lang, _ in extra], codebook.languages
    )
    provisional = Themer(
        codebook_data=codebook_data,
        params=settings,
        char_buckets=char_buckets,
        char_idf=char_idf,
        word_features=[],
        word_idf=np.zeros(0, np.float32),
        word_share=np.zeros(0, np.float32),
        coef=np.zeros((len(goal_ids), 0), np.float32),
        intercept=np.zeros(len(goal_ids), np.float32),
        thresholds=np.full(len(goal_ids), 0.5),
        lang_codes=lang_codes,
        lang_logprob=lang_logprob,
        overrides={},
        version=version,
        info={},
    )
    batch = _Batch(texts)
    in_training = (rows_idx < len(texts)) & (colmap[buckets] >= 0)
    train_counts = feats.aggregate(rows_idx[in_training], colmap[buckets[in_training]], len(char_buckets))
    provisional._identify(batch, train_counts, hinted)
    provisional._features(batch, train_counts)  # fills the stems of each text

    word_df: dict[str, int] = {}
    per_language: dict[str, Counter] = {}
    for stems, lang in zip(batch.stems, batch.langs, strict=True):
        grams = set(feats.stem_ngrams(stems))
        per_language.setdefault(lang, Counter()).update(grams)
        for gram in grams:
            word_df[gram] = word_df.get(gram, 0) + 1
    word_features = sorted(g for g, n in word_df.items() if n >= settings["min_df"])
    word_idf = feats.smooth_idf(np.array([word_df[g] for g in word_features], dtype=np.float64), len(texts))
    sizes = Counter(batch.langs)
    word_share = np.array(
        [max(counts[g] / sizes[lang] for lang, counts in per_language.items()) for g in word_features],
        dtype=np.float32,
    )
    provisional.word_features = word_features
    provisional.word_vocab = {g: i for i, g in enumerate(word_features)}
    provisional.word_idf = word_idf
    provisional.word_share = word_share
    matrix = provisional._to_matrix(*provisional._features(batch, train_counts))

    c = float(settings["C"])
    coef = np.zeros((len(goal_ids), matrix.shape[1]))
    intercept = np.zeros(len(goal_ids))
    for g in range(len(goal_ids)):
        coef[g], intercept[g] = _fit_goal(matrix, labels[:, g], weights, c)

    thresholds = _calibrate(matrix, labels, weights, c, int(settings["folds"]), float(settings["min_threshold"]))
    info = {
        "examples": len(texts),
        "corrections": int(np.sum(weights != 1.0)),
        "languages": {lang: text_langs.count(lang) for lang in sorted(set(map(str, text_langs)))},
        "thresholds": {g: round(float(t), 3) for g, t in zip(goal_ids, thresholds, strict=True)},
    }
    return Themer(
        codebook_data=codebook_data,
        params=settings,
        char_buckets=char_buckets,
        char_idf=char_idf,
        word_features=word_features,
        word_idf=word_idf,
        word_share=word_share,
        coef=coef,
        intercept=intercept,
        thresholds=thresholds,
        lang_codes=lang_codes,
        lang_logprob=lang_logprob,
        overrides=overrides,
        version=version,
        info=info,
    )


def _calibrate(
    matrix: sparse.csr_matrix,
    labels: np.ndarray,
    weights: np.ndarray,
    c: float,
    folds: int,
    floor: float,
) -> np.ndarray:
    """Per-goal thresholds from out-of-fold predictions (fixed, seeded folds).

    The floor keeps a goal whose out-of-fold optimum is very low from firing on
    every long text that merely mentions its vocabulary.
    """
    n = matrix.shape[0]
    if n < folds * 4:
        return np.full(labels.shape[1], 0.5)
    order = np.random.default_rng(7).permutation(n)
    out_of_fold = np.zeros(labels.shape, dtype=np.float64)
    for fold in range(folds):
        held = order[fold::folds]
        train = np.setdiff1d(order, held)
        for g in range(labels.shape[1]):
            coef, intercept = _fit_goal(matrix[train], labels[train, g], weights[train], c)
            out_of_fold[held, g] = _sigmoid(matrix[held] @ coef + intercept)
    return np.array([_best_threshold(out_of_fold[:, g], labels[:, g], weights, floor) for g in range(labels.shape[1])])


def _fit_language_profiles(
    counts: sparse.csr_matrix, langs: list[str | None], codebook_langs: Sequence[str]
) -> tuple[list[str], np.ndarray]:
    """Multinomial naive Bayes profiles over character n-grams, uniform prior."""
    codes = [lang for lang in SUPPORTED_LANGUAGES if lang in set(langs) | set(codebook_langs)]
    profile = np.zeros((len(codes), counts.shape[1]), dtype=np.float64)
    for index, code in enumerate(codes):
        mask = np.array([lang == code for lang in langs])
        if mask.any():
            profile[index] = np.asarray(counts[mask].sum(axis=0)).ravel()
    smoothed = profile + 0.1
    logprob = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
    return codes, logprob.astype(np.float32)


def _codebook_to_dict(codebook: Codebook) -> dict:
    return {
        "id": codebook.id,
        "version": codebook.version,
        "title": codebook.title,
        "languages": list(codebook.languages),
        "maps_to": codebook.maps_to,
        "mapping": {k: list(v) for k, v in codebook.mapping.items()},
        "goals": [
            {
                "id": goal.id,
                "label": goal.label,
                "definition": goal.definition,
                "terms": {lang: list(t) for lang, t in goal.terms.items()},
                "weak_terms": {lang: list(t) for lang, t in goal.weak_terms.items()},
            }
            for goal in codebook.goals
        ],
    }


# -- the shipped model ------------------------------------------------------------------

_DEFAULT: Themer | None = None
_DEFAULT_LOCK = threading.Lock()


def default_themer() -> Themer:
    """The themer trained on the shipped seed corpus (trained once per process).

    Training takes seconds. If the environment variable ``CONSULT_THEMER_CACHE``
    names a folder, the trained model is also kept there, under a name derived
    from the seed files, the codebook and the engine version, so later
    processes load it instead of training again.

    :raises analysis.theming.corpus.CorpusError: if a seed file is malformed.
    :raises ValueError: if no seed corpus ships at all.
    """
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            from analysis.theming.corpus import as_triples, load_seed_corpus

            examples = as_triples(load_seed_corpus())
            cache = _cache_path(examples)
            if cache is not None and cache.is_file():
                try:
                    _DEFAULT = Themer.from_bytes(cache.read_bytes())
                except (OSError, ValueError):
                    _DEFAULT = None  # a stale or damaged cache is simply rebuilt
            if _DEFAULT is None:
                _DEFAULT = train_themer(examples)
                if cache is not None:
                    _write_cache(cache, _DEFAULT.to_bytes())
        return _DEFAULT


def _cache_path(examples: list) -> Path | None:
    folder = os.environ.get("CONSULT_THEMER_CACHE")
    if not folder:
        return None
    digest = hashlib.sha256(json.dumps([ENGINE_VERSION, DEFAULT_PARAMS, examples]).encode("utf-8"))
    digest.update(json.dumps(_codebook_to_dict(load_codebook())).encode("utf-8"))
    return Path(folder) / f"themer-{digest.hexdigest()[:16]}.bin"


def _write_cache(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, path)  # atomic, so a concurrent reader never sees half a model
    except OSError:
        pass  # the cache only saves time; failing to write it is not an error


def detect_language(text: str) -> str:
    """Language of ``text`` among the six supported ones (``"und"`` without letters)."""
    return default_themer().detect_languages([text])[0]


def lexicon_scores(themer: Themer, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
    """Lexicon-only scores in [0, 1] per goal (the transparent baseline): ``1 - exp(-weight)``."""
    out = np.zeros((len(texts), len(themer.goal_ids)))
    for index, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        stems = [s for _, s in content_tokens(text, lang)]
        weights = themer.lexicon.goal_weights(stems, lang)
        out[index] = [1.0 - math.exp(-w) for w in weights]
    return out
