"""Vectorisation: hashed character n-grams (numpy, whole batch at once) and stem n-grams."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy import sparse

from analysis.theming.text import char_text

HASH_BITS = 20
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)


def hashed_char_ngrams(normalised: Sequence[str], n_min: int, n_max: int) -> tuple[np.ndarray, np.ndarray]:
    """Hash every character n-gram of every text.

    :func:`~analysis.theming.text.normalise`'d texts go through
    :func:`~analysis.theming.text.char_text` first. Doing the
    rolling hash in numpy over the concatenated batch costs a few microseconds
    per text, where a Python-level analyser costs hundreds.

    :param normalised: texts already passed through ``normalise``.
    :param n_min: shortest n-gram length.
    :param n_max: longest n-gram length.
    :returns: ``(rows, buckets)``: for each n-gram occurrence the index of its
        text and its hash bucket in ``[0, 2**HASH_BITS)``.
    """
    prepared = [char_text(text) for text in normalised]
    joined = "\x00".join(prepared)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) for t in prepared), dtype=np.int64, count=len(prepared))
    # owner[i] is the text that position i belongs to; the separators belong to none (-1).
    owner = np.repeat(np.arange(len(prepared), dtype=np.int64), lengths + 1)[: codes.shape[0]]
    separators = (np.cumsum(lengths + 1) - 1)[:-1]
    owner[separators] = -1
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
        rows_parts.append(owner[:count][valid])
        bucket_parts.append((mixed[valid] >> np.uint64(64 - HASH_BITS)).astype(np.int64))
    if not rows_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows_parts), np.concatenate(bucket_parts)


class Triplets(NamedTuple):
    """A sparse matrix as parallel arrays: row index, column index, value (rows ascending)."""

    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray


def aggregate(rows: np.ndarray, cols: np.ndarray, n_cols: int) -> Triplets:
    """Count repeated ``(row, col)`` occurrences; the result is sorted by row, then column."""
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Triplets(empty, empty, np.zeros(0, dtype=np.float64))
    keys, counts = np.unique(rows.astype(np.int64) * n_cols + cols, return_counts=True)
    return Triplets(keys // n_cols, keys % n_cols, counts.astype(np.float64))


def tfidf(counts: Triplets, idf: np.ndarray, n_rows: int, weight: float = 1.0) -> Triplets:
    """Sublinear TF (1 + log tf) times IDF, each row scaled to length ``weight``."""
    vals = (1.0 + np.log(counts.vals)) * idf[counts.cols]
    norms = np.sqrt(np.bincount(counts.rows, vals * vals, minlength=n_rows))
    norms[norms == 0] = 1.0
    return Triplets(counts.rows, counts.cols, vals / norms[counts.rows] * weight)


def row_dot(matrix: Triplets, weights_t: np.ndarray, n_rows: int) -> np.ndarray:
    """``matrix @ weights_t`` for an ``(n_cols, k)`` C-ordered array, as ``(n_rows, k)``.

    ``matrix.rows`` must be ascending (as :func:`aggregate` returns them): each
    row's products are then summed with one ``reduceat``, and the weights of a
    column are read as one contiguous slice, which is what keeps this fast.
    """
    out = np.zeros((n_rows, weights_t.shape[1]), dtype=np.float64)
    if matrix.rows.size == 0:
        return out
    products = weights_t[matrix.cols] * matrix.vals[:, None]
    starts = np.flatnonzero(np.concatenate(([True], matrix.rows[1:] != matrix.rows[:-1])))
    out[matrix.rows[starts]] = np.add.reduceat(products, starts, axis=0)
    return out


def counts_to_matrix(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sparse.csr_matrix:
    """Sum occurrences into a CSR count matrix (used in training)."""
    data = np.ones(rows.shape[0], dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n_rows, n_cols), dtype=np.float32)
    matrix.sum_duplicates()
    return matrix


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
