"""Train the accurate-tier sentiment head and write src/stormwatch/enrich/data/sentiment_head.npz.

Run from the repository root:  .venv/bin/python -m evals.train_sentiment [--data DIR]

Training data: the PolEmo 2.0 medicine train file minus its stratified 20 % held-out part
(see evals/sentiment.py); ambivalent (z_amb) sentences are left out of training because they
carry both polarities. The regularisation strength is chosen on an inner validation part of
the training portion. TweetEval is never used here, so the shipped head carries only PolEmo's
licence (CC BY-SA 4.0).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from evals.sentiment import AMBIVALENT, DEFAULT_DATA, Labelled, load_polemo, polemo_split
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from stormwatch.enrich.sentiment import accurate, fast_pl

HEAD_VERSION = "pl-polemo-med-1"
OUTPUT = Path(__file__).resolve().parents[1] / "src/stormwatch/enrich/data" / accurate.HEAD_FILE
C_GRID = (1.0, 3.0, 10.0)


def _embeddings(data: Labelled, indices: np.ndarray, cache: Path | None) -> np.ndarray:
    """USE embeddings of the chosen sentences, from a cache of the whole file when given.

    The cache is an .npz with array "pl": `accurate.embed` over every PolEmo sentence in file
    order (written on first use), so retraining does not re-embed 18k sentences.
    """
    if cache is not None and cache.exists():
        with np.load(cache) as stored:
            return np.asarray(stored["pl"][indices])
    everything = accurate.embed(data.texts)
    if cache is not None:
        np.savez(cache, pl=everything)
    return everything[indices]


def _features(data: Labelled, indices: np.ndarray, cache: Path | None) -> object:
    texts = [data.texts[i] for i in indices]
    fast = [fast_pl.score_pl(t) for t in texts]
    return accurate.build_features(_embeddings(data, indices, cache), texts, fast)


def _polar_accuracy(clf: LogisticRegression, x: object, y: np.ndarray) -> float:
    proba = clf.predict_proba(x)
    polar = y != 1
    predicted = np.where(proba[:, 2] > proba[:, 0], 2, 0)
    return float(np.mean(predicted[polar] == y[polar]))


def _choose_c(x: object, y: np.ndarray) -> float:
    idx = np.arange(len(y))
    fit, val = train_test_split(idx, test_size=0.15, stratify=y, random_state=5)
    scores = {}
    for c in C_GRID:
        clf = LogisticRegression(C=c, max_iter=3000).fit(x[fit], y[fit])  # type: ignore[index]
        scores[c] = _polar_accuracy(clf, x[val], y[val]) + float(clf.score(x[val], y[val]))  # type: ignore[index]
        print(f"C={c}: inner validation polar acc + 3-class acc = {scores[c]:.4f}")
    return max(scores, key=lambda c: scores[c])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--embeddings-cache", type=Path, default=None)
    args = parser.parse_args()
    polemo = load_polemo(args.data)
    train_idx, _held_out = polemo_split(polemo)
    chosen = train_idx[polemo.labels[train_idx] != AMBIVALENT]
    train = polemo.subset(chosen)
    x = _features(polemo, chosen, args.embeddings_cache)
    c = _choose_c(x, train.labels)
    clf = LogisticRegression(C=c, max_iter=3000).fit(x, train.labels)
    assert list(clf.classes_) == [0, 1, 2]
    np.savez_compressed(
        OUTPUT,
        coef=clf.coef_.astype(np.float32),
        intercept=clf.intercept_.astype(np.float32),
        version=np.array(f"{HEAD_VERSION}-C{c:g}"),
    )
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes), C={c}, {len(train.texts)} sentences")


if __name__ == "__main__":
    main()
