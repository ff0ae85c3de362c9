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
from evals.sentiment import (
    AMBIVALENT,
    DEFAULT_DATA,
    Labelled,
    load_polemo,
    load_tweeteval,
    macro_recall,
    polemo_split,
    tweeteval_split,
)
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from stormwatch.enrich.sentiment import accurate, fast_en, fast_pl, vader_lean

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


def _english_lexicon(data: Path) -> tuple[list[str], np.ndarray]:
    """VADER's lexicon (valence -4..4) plus AFINN-en-165 (-5..5, rescaled to -4..4)."""
    words, values = list(vader_lean.lexicon()), list(vader_lean.lexicon().values())
    afinn = data.parent / "lexicons" / "afinn" / "AFINN-en-165.txt"
    for line in afinn.read_text(encoding="utf-8").splitlines():
        word, _, score = line.rpartition("\t")
        words.append(word)
        values.append(float(score) * 0.8)
    return words, np.asarray(values)


def _thresholded_recall(scores: np.ndarray, gold: np.ndarray) -> float:
    """Best macro-recall over score quantile thresholds (all on the same, tuning, data)."""
    grid = np.quantile(scores, np.linspace(0.02, 0.98, 49))
    best = 0.0
    for low in grid:
        for high in grid[grid > low]:
            pred = np.where(scores <= low, 0, np.where(scores >= high, 2, 1))
            best = max(best, macro_recall(gold, pred))
    return best


def english_experiment(data: Path, cache: Path | None) -> None:
    """Idea (1) + (2) of docs/enrichment-quality.md, scored on the TweetEval TUNE half only.

    A binary head on USE embeddings of English lexicon entries put in two templates, and a
    polar stacker over [head score, fast score] fitted on the PolEmo training portion. Nothing
    is written; the numbers decide whether an English head is worth shipping.
    """
    words, values = _english_lexicon(data)
    keep = np.abs(values) >= 0.5
    texts = [
        f"This is so {w}!" if i % 2 else f"I feel {w} today."
        for i, w in enumerate(np.asarray(words)[keep])
    ]
    head = LogisticRegression(C=0.03, max_iter=3000).fit(accurate.embed(texts), values[keep] > 0)
    polemo = load_polemo(data)
    train_idx, _ = polemo_split(polemo)
    polar = train_idx[(polemo.labels[train_idx] != AMBIVALENT) & (polemo.labels[train_idx] != 1)]
    pl_head = head.decision_function(_embeddings(polemo, polar, cache))
    pl_fast = [fast_pl.score_pl(polemo.texts[i]) for i in polar]
    stacker = LogisticRegression(max_iter=3000).fit(np.c_[pl_head, pl_fast], polemo.labels[polar])
    tweets = load_tweeteval(data)
    tune_idx, _ = tweeteval_split(tweets)
    part = tweets.subset(tune_idx)
    en_head = head.decision_function(accurate.embed(part.texts))
    en_fast = np.array([fast_en.score_en(t) for t in part.texts])
    rows = {
        "fast (VADER lean)": en_fast,
        "lexicon head": en_head,
        "stack (PolEmo-fitted)": stacker.decision_function(np.c_[en_head, en_fast]),
    }
    print(f"stacker weights [head, fast]: {np.round(stacker.coef_, 3).tolist()}")
    for name, scores in rows.items():
        recall = _thresholded_recall(scores, part.labels)
        print(f"{name}: TweetEval tune-half macro-recall {recall:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--embeddings-cache", type=Path, default=None)
    parser.add_argument(
        "--english-experiment",
        action="store_true",
        help="compare English lexicon heads with the fast tier on the TweetEval tune half",
    )
    args = parser.parse_args()
    if args.english_experiment:
        english_experiment(args.data, args.embeddings_cache)
        return
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
