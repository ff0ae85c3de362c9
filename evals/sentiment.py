"""Sentiment evaluation: fast / accurate / auto tiers on TweetEval (EN) and PolEmo 2.0 (PL).

Run from the repository root:  .venv/bin/python -m evals.sentiment [--data DIR] [--tiers ...]

Splits (fixed seeds, identical in evals/train_sentiment.py):
- PolEmo 2.0 medicine train file: a stratified 20 % held-out part (seed 13) that nothing is
  trained or tuned on; the rest trains the accurate head and tunes the Polish thresholds.
- TweetEval sentiment val: a stratified half for tuning thresholds ("tune") and the other half
  for reporting ("report"). Nothing shipped is trained on either half.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "sentiment-dev"
POLEMO_LABELS = {"z_minus_m": 0, "z_zero": 1, "z_plus_m": 2, "z_amb": 3}
AMBIVALENT = 3
CLASS_NAMES = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Labelled:
    """Texts with integer labels: 0 negative, 1 neutral, 2 positive (3 ambivalent, PolEmo)."""

    texts: list[str]
    labels: np.ndarray

    def subset(self, idx: np.ndarray) -> Labelled:
        return Labelled([self.texts[i] for i in idx], self.labels[idx])


def load_polemo(data: Path = DEFAULT_DATA) -> Labelled:
    """PolEmo 2.0 medicine sentences; tolerates the stray '"' after some labels."""
    path = data / "polemo2-medicine" / "medicine.sentence.train.txt"
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        text, sep, label = line.rpartition("__label__")
        if sep:
            texts.append(text.strip())
            labels.append(POLEMO_LABELS[label.strip().strip('"').strip()])
    return Labelled(texts, np.array(labels))


def load_tweeteval(data: Path = DEFAULT_DATA) -> Labelled:
    folder = data / "tweeteval-val"
    texts = (folder / "sentiment_val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = np.array([int(x) for x in (folder / "sentiment_val_labels.txt").read_text().split()])
    return Labelled(texts, labels)


def polemo_split(data: Labelled) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, held-out indices): stratified 80/20, seed 13."""
    idx = np.arange(len(data.labels))
    train, held = train_test_split(idx, test_size=0.2, stratify=data.labels, random_state=13)
    return np.sort(train), np.sort(held)


def tweeteval_split(data: Labelled) -> tuple[np.ndarray, np.ndarray]:
    """(tune indices, report indices): stratified halves, seed 7."""
    idx = np.arange(len(data.labels))
    tune, report = train_test_split(idx, test_size=0.5, stratify=data.labels, random_state=7)
    return np.sort(tune), np.sort(report)


def macro_recall(gold: np.ndarray, pred: np.ndarray, classes: Sequence[int] = (0, 1, 2)) -> float:
    return float(np.mean([np.mean(pred[gold == k] == k) for k in classes if np.any(gold == k)]))


def macro_f1(gold: np.ndarray, pred: np.ndarray, classes: Sequence[int]) -> float:
    scores = []
    for k in classes:
        tp = np.sum((pred == k) & (gold == k))
        denom = np.sum(pred == k) + np.sum(gold == k)
        scores.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(scores))


def predict(texts: list[str], lang: str, tier: str) -> tuple[np.ndarray, np.ndarray]:
    """(labels 0/1/2, scores) from the product's public entry point."""
    from stormwatch.enrich.sentiment import score_sentiments

    results = score_sentiments(texts, [lang] * len(texts), tier=tier)  # type: ignore[arg-type]
    index = {name: i for i, name in enumerate(CLASS_NAMES)}
    labels = np.array([index[r.label] for r in results])
    return labels, np.array([r.score for r in results])


def tweeteval_row(data: Labelled, tier: str) -> dict[str, float]:
    labels, _ = predict(data.texts, "en", tier)
    return {
        "macro_recall": macro_recall(data.labels, labels),
        "accuracy": float(np.mean(labels == data.labels)),
    }


def polemo_row(data: Labelled, tier: str) -> dict[str, float]:
    """Polar: gold positive/negative only, predicted by the sign of the score (0 is wrong).

    All classes: ambivalent (z_amb) counts as neutral, the product having no ambivalent label.
    """
    labels, scores = predict(data.texts, "pl", tier)
    polar = data.labels != 1
    polar &= data.labels != AMBIVALENT
    signed = np.where(scores > 0, 2, np.where(scores < 0, 0, 1))
    gold_all = np.where(data.labels == AMBIVALENT, 1, data.labels)
    return {
        "polar_accuracy": float(np.mean(signed[polar] == data.labels[polar])),
        "polar_macro_f1": macro_f1(data.labels[polar], signed[polar], (0, 2)),
        "polar_coverage": float(np.mean(scores[polar] != 0)),
        "all_accuracy": float(np.mean(labels == gold_all)),
        "all_macro_f1": macro_f1(gold_all, labels, (0, 1, 2)),
    }


def _best_thresholds(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    grid = np.round(np.arange(-0.6, 0.61, 0.05), 2)
    best = (-1.0, 0.0, 0.0)
    for low in grid:
        for high in grid[grid > low]:
            pred = np.where(scores <= low, 0, np.where(scores >= high, 2, 1))
            best = max(best, (macro_recall(gold, pred), float(low), float(high)))
    return best


def tune(data_dir: Path) -> None:
    """Print fast-tier thresholds chosen on tuning data only (never on reported data)."""
    tweets = load_tweeteval(data_dir)
    tune_idx, _ = tweeteval_split(tweets)
    part = tweets.subset(tune_idx)
    _, scores = predict(part.texts, "en", "fast")
    best = _best_thresholds(scores, part.labels)
    print("en (TweetEval tune half): macro-recall {:.4f} at low={:.2f} high={:.2f}".format(*best))
    polemo = load_polemo(data_dir)
    train_idx, _ = polemo_split(polemo)
    part = polemo.subset(train_idx)
    gold = np.where(part.labels == AMBIVALENT, 1, part.labels)
    _, scores = predict(part.texts, "pl", "fast")
    best = _best_thresholds(scores, gold)
    print("pl (PolEmo train part): macro-recall {:.4f} at low={:.2f} high={:.2f}".format(*best))


def report(data_dir: Path, tiers: Sequence[str]) -> None:
    tweets = load_tweeteval(data_dir)
    _, report_idx = tweeteval_split(tweets)
    polemo = load_polemo(data_dir)
    _, held_idx = polemo_split(polemo)
    en, pl = tweets.subset(report_idx), polemo.subset(held_idx)
    print(f"TweetEval val report half: {len(en.texts)} tweets; PolEmo held-out: {len(pl.texts)}\n")
    print(
        "| tier | EN macro-recall | EN acc | PL polar acc | PL polar macro-F1 | PL polar coverage"
        " | PL 3-class acc | PL 3-class macro-F1 | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for tier in tiers:
        started = time.perf_counter()
        e, p = tweeteval_row(en, tier), polemo_row(pl, tier)
        elapsed = time.perf_counter() - started
        print(
            f"| {tier} | {e['macro_recall']:.3f} | {e['accuracy']:.3f} | {p['polar_accuracy']:.3f}"
            f" | {p['polar_macro_f1']:.3f} | {p['polar_coverage']:.3f} | {p['all_accuracy']:.3f}"
            f" | {p['all_macro_f1']:.3f} | {elapsed:.0f} |"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--tiers", nargs="+", default=["fast", "accurate", "auto"])
    parser.add_argument("--tune", action="store_true", help="print tuned fast-tier thresholds")
    args = parser.parse_args(argv)
    if not args.data.exists():
        sys.exit(f"data folder not found: {args.data}")
    print("command: .venv/bin/python -m evals.sentiment " + " ".join(sys.argv[1:]) + "\n")
    if args.tune:
        tune(args.data)
    else:
        report(args.data, args.tiers)


if __name__ == "__main__":
    main()
