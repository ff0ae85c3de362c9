"""Language-ID evaluation: PolEmo 2.0 sentences (pl) and TweetEval tweets (en).

Run from the repository root:  .venv/bin/python -m evals.language [--data DIR] [--n 2000]

Two variants: the full text, and a short-text variant cut to its first three words. Each is
scored unrestricted and restricted to expected=["pl", "en"]. "und" answers count as wrong and
are reported separately as a rate.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from evals.sentiment import DEFAULT_DATA, load_polemo, load_tweeteval

from stormwatch.enrich.language import detect_languages


def labelled_set(data: Path, n: int) -> tuple[list[str], list[str]]:
    """n Polish and n English texts (a seeded sample of PolEmo; the first n tweets)."""
    polish = random.Random(3).sample(load_polemo(data).texts, n)
    english = load_tweeteval(data).texts[:n]
    return polish + english, ["pl"] * len(polish) + ["en"] * len(english)


def first_words(text: str, count: int = 3) -> str:
    return " ".join(text.split()[:count])


def score(texts: Sequence[str], gold: Sequence[str], expected: list[str] | None) -> str:
    started = time.perf_counter()
    guesses = detect_languages(texts, expected=expected)
    elapsed = time.perf_counter() - started
    parts = []
    for lang in ("pl", "en"):
        pairs = [(g.lang, y) for g, y in zip(guesses, gold, strict=True) if y == lang]
        accuracy = sum(p == y for p, y in pairs) / len(pairs)
        und = sum(p == "und" for p, _ in pairs) / len(pairs)
        parts.append(f"{accuracy:.3f} | {und:.3f}")
    return " | ".join(parts) + f" | {len(texts) / elapsed:,.0f}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args(argv)
    if not args.data.exists():
        sys.exit(f"data folder not found: {args.data}")
    texts, gold = labelled_set(args.data, args.n)
    short = [first_words(t) for t in texts]
    print("command: .venv/bin/python -m evals.language " + " ".join(sys.argv[1:]) + "\n")
    print("| variant | expected | PL acc | PL und | EN acc | EN und | texts/s |")
    print("|---|---|---|---|---|---|---|")
    for name, variant in (("full text", texts), ("first 3 words", short)):
        for expected in (None, ["pl", "en"]):
            label = "pl,en" if expected else "any"
            print(f"| {name} | {label} | {score(variant, gold, expected)} |")


if __name__ == "__main__":
    main()
