"""Vectorisation: hashed character n-grams (numpy, whole batch at once) and stem n-grams."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from analysis.theming.text import char_text

HASH_BITS = 20
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)


def hashed_char_ngrams(texts: Sequence[str], n_min: int, n_max: int) -> tuple[np.ndarray, np.ndarray]:
    """Hash every character n-gram of every text.

    Texts go through :func:`~analysis.theming.text.char_text` first. Doing the
    rolling hash in numpy over the concatenated batch costs a few microseconds
    per text, where a Python-level analyser costs hundreds.

    :param texts: raw texts.
    :param n_min: shortest n-gram length.
    :param n_max: longest n-gram length.
    :returns: ``(rows, buckets)``: for each n-gram occurrence the index of its
        text and its hash bucket in ``[0, 2**HASH_BITS)``.
    """
    prepared = [char_text(text) for text in texts]
    joined = "\x00".join(prepared)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) for t in prepared), dtype=np.int64, count=len(prepared))
    owner = np.full(codes.shape[0], -1, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if len(prepared) else []
    for index, (start, length) in enumerate(zip(starts, lengths, strict=True)):
        owner[start : start + length] = index
    rows_parts: list[np.ndarray] = []
    bucket_parts: list[np.ndarray] = []
    total = codes.shape[0]
    for n in range(n_min, n_max + 1):
        if total < n:
            break
        count = total - n + 1
        rolling = np.full(count, np.uint64(n), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for offset in range(n):
                rolling = rolling * _BASE + codes[offset : offset + count]
            mixed = rolling * _MULTIPLIER
        # A window belongs to one text only if its two ends have the same owner.
        valid = (owner[:count] == owner[n - 1 : n - 1 + count]) & (owner[:count] >= 0)
        # Skip n-grams that are only spaces on both sides of nothing (e.g. "  ").
        rows_parts.append(owner[:count][valid])
        bucket_parts.append((mixed[valid] >> np.uint64(64 - HASH_BITS)).astype(np.int64))
    if not rows_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows_parts), np.concatenate(bucket_parts)


def l2_normalise(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Scale each row to unit length (rows of zeros stay zero)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def counts_to_matrix(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sparse.csr_matrix:
    """Sum occurrences into a CSR count matrix."""
    data = np.ones(rows.shape[0], dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n_rows, n_cols), dtype=np.float32)
    matrix.sum_duplicates()
    return matrix


def tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF (1 + log tf) times IDF, L2-normalised per row."""
    weighted = counts.copy()
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    return l2_normalise(weighted)


def document_frequency(counts: sparse.csr_matrix) -> np.ndarray:
    """In how many rows each column occurs."""
    return np.bincount(counts.indices, minlength=counts.shape[1])


def smooth_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Smoothed inverse document frequency, as in scikit-learn's TfidfTransformer."""
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


def stem_ngrams(stems: Sequence[str]) -> list[str]:
    """Stem unigrams and adjacent-stem bigrams (``"violenc sexuel"``) of one text."""
    grams = list(stems)
    grams.extend(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False))
    return grams
