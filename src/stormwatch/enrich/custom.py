"""Custom classifiers learnt from a team's own corrections (the pure part: train, score, save).

Features are the multilingual USE embedding of the text (so a Polish correction helps English
text too) plus, optionally, hashed word 1-2-grams (so brand names and in-jokes count). The model is
a multinomial logistic regression from scikit-learn. Before it is returned, its accuracy is
measured by stratified cross-validation, so the caller can show it and decide whether to switch
the classifier on. It serialises to bytes as an `.npz` of coefficients, labels and JSON metadata,
loaded with `allow_pickle=False`: no code is ever unpickled from the database.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stormwatch.enrich.narratives import embed_texts

CUSTOM_ENRICHER = "custom-logreg-use"
CUSTOM_VERSION = "1.0.0"
FORMAT = 1
NGRAM_FEATURES = 2**12
MIN_EXAMPLES_PER_LABEL = 8
_MAX_FOLDS = 5
_REGULARISATION_C = 4.0


@dataclass(frozen=True)
class CustomClassifier:
    """A trained classifier; `accuracy` is cross-validated on the training examples."""

    labels: tuple[str, ...]
    coef: np.ndarray  # (n_labels or 1 when binary, n_features)
    intercept: np.ndarray
    accuracy: float
    n_examples: int
    use_ngrams: bool
    dropped_labels: tuple[str, ...] = field(default=())

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """Most likely label and its probability, per text."""
        probabilities = self.predict_proba(texts)
        best = probabilities.argmax(axis=1)
        return [(self.labels[j], round(float(probabilities[i, j]), 4)) for i, j in enumerate(best)]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, shape (len(texts), len(labels)), columns in `labels` order."""
        scores = _features(texts, self.use_ngrams) @ self.coef.T + self.intercept
        if len(self.labels) == 2:  # scikit-learn keeps one row for two classes
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
        return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))

    def to_bytes(self) -> bytes:
        """An .npz archive (no pickles) that `load_custom_classifier` reads back."""
        meta = {
            "format": FORMAT,
            "version": CUSTOM_VERSION,
            "accuracy": self.accuracy,
            "n_examples": self.n_examples,
            "use_ngrams": self.use_ngrams,
            "dropped_labels": list(self.dropped_labels),
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            labels=np.array(self.labels, dtype=np.str_),
            meta=np.array(json.dumps(meta), dtype=np.str_),
        )
        return buffer.getvalue()


def load_custom_classifier(data: bytes) -> CustomClassifier:
    """Read `CustomClassifier.to_bytes()` output; ValueError if it is not one."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            meta: dict[str, Any] = json.loads(str(archive["meta"]))
            labels = tuple(str(label) for label in archive["labels"])
            coef, intercept = archive["coef"], archive["intercept"]
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(f"not a custom classifier archive: {exc}") from exc
    if meta.get("format") != FORMAT:
        raise ValueError(f"unknown custom classifier format {meta.get('format')!r}")
    return CustomClassifier(
        labels=labels,
        coef=coef,
        intercept=intercept,
        accuracy=float(meta["accuracy"]),
        n_examples=int(meta["n_examples"]),
        use_ngrams=bool(meta["use_ngrams"]),
        dropped_labels=tuple(meta.get("dropped_labels", ())),
    )


def train_custom_classifier(
    examples: Sequence[tuple[str, str]],
    *,
    min_examples_per_label: int = MIN_EXAMPLES_PER_LABEL,
    use_ngrams: bool = True,
) -> CustomClassifier | None:
    """Train on (text, label) pairs; None when fewer than two labels have enough examples.

    Labels with fewer than `min_examples_per_label` examples are left out and listed in
    `dropped_labels`. Deterministic for the same examples.
    """
    counts = Counter(label for _, label in examples)
    kept = sorted(label for label, n in counts.items() if n >= max(2, min_examples_per_label))
    if len(kept) < 2:
        return None
    pairs = [(text, label) for text, label in examples if label in kept]
    features = _features([text for text, _ in pairs], use_ngrams)
    targets = np.array([kept.index(label) for _, label in pairs])
    accuracy = _cross_validated_accuracy(features, targets)
    model = _new_model().fit(features, targets)
    return CustomClassifier(
        labels=tuple(kept),
        coef=np.asarray(model.coef_, dtype=np.float32),
        intercept=np.asarray(model.intercept_, dtype=np.float32),
        accuracy=accuracy,
        n_examples=len(pairs),
        use_ngrams=use_ngrams,
        dropped_labels=tuple(sorted(set(counts) - set(kept))),
    )


def _new_model() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=_REGULARISATION_C, max_iter=2_000)


def _cross_validated_accuracy(features: np.ndarray, targets: np.ndarray) -> float:
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    folds = min(_MAX_FOLDS, int(np.bincount(targets).min()))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    scores = cross_val_score(_new_model(), features, targets, cv=splitter, scoring="accuracy")
    return round(float(np.mean(scores)), 4)


def _features(texts: Sequence[str], use_ngrams: bool) -> np.ndarray:
    embeddings = embed_texts(texts)
    if not use_ngrams:
        return embeddings
    from sklearn.feature_extraction.text import HashingVectorizer

    # Stateless (murmurhash of each n-gram), so prediction rebuilds exactly the training features.
    hashed = HashingVectorizer(
        n_features=NGRAM_FEATURES, ngram_range=(1, 2), alternate_sign=False, norm="l2"
    ).transform(list(texts))
    return np.hstack([embeddings, hashed.toarray().astype(np.float32)])
