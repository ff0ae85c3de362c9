"""Throughput and peak memory of language ID and the sentiment tiers; prints JSON.

Run from the repository root:  .venv/bin/python benchmarks/enrich_sentiment.py [--n 4000]

Each stage runs in a fresh single-threaded subprocess (BLAS pinned to one thread), so
"texts_per_cpu_second" is texts divided by that process's CPU time (a per-core figure that a
busy shared machine distorts less than wall time) and "peak_rss_mb" is the process's peak
resident memory (model loading included). Load time is measured separately from scoring.
Texts: TweetEval val tweets (EN) and PolEmo sentences (PL) from ../shared/data when present,
otherwise a small built-in sample repeated.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "sentiment-dev"
FALLBACK = {
    "en": ["Worst update ever, app keeps crashing :(", "Thanks for the quick fix, love it!"],
    "pl": ["Nie polecam, obsługa beznadziejna", "Bardzo miła pani doktor, polecam!"],
}


def _texts(lang: str, n: int) -> list[str]:
    if lang == "en":
        path = DATA / "tweeteval-val" / "sentiment_val_text.txt"
        texts = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    else:
        path = DATA / "polemo2-medicine" / "medicine.sentence.train.txt"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        texts = [line.rpartition("__label__")[0].strip() for line in lines]
    texts = texts or FALLBACK[lang]
    return (texts * (n // len(texts) + 1))[:n]


def _run_stage(stage: str, n: int) -> dict[str, object]:
    from stormwatch.enrich.language import detect_languages
    from stormwatch.enrich.sentiment import score_sentiments

    lang = "pl" if stage in ("sentiment_fast_pl", "sentiment_accurate_pl") else "en"
    texts = _texts(lang, n)
    if stage == "language_id":
        texts = _texts("pl", n // 2) + _texts("en", n // 2)

    def call(batch: list[str]) -> object:
        if stage == "language_id":
            return detect_languages(batch, expected=["pl", "en"])
        tier = "accurate" if "accurate" in stage else "fast"
        return score_sentiments(batch, [lang] * len(batch), tier=tier)  # type: ignore[arg-type]

    started = time.perf_counter()
    call(texts[:2])  # loads models
    load_s = time.perf_counter() - started
    cpu, wall = time.process_time(), time.perf_counter()
    call(texts)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "stage": stage,
        "texts": len(texts),
        "texts_per_cpu_second": round(len(texts) / cpu),
        "texts_per_wall_second": round(len(texts) / wall),
        "load_seconds": round(load_s, 2),
        "peak_rss_mb": round(peak_kb / 1024),
    }


def _pin_threads() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=4000)
    args = parser.parse_args()
    stages = [
        "language_id",
        "sentiment_fast_en",
        "sentiment_fast_pl",
        "sentiment_accurate_en",
        "sentiment_accurate_pl",
    ]
    results = []
    for stage in stages:
        n = args.n if "accurate" not in stage else max(200, args.n // 4)
        with ProcessPoolExecutor(
            1, mp_context=get_context("spawn"), initializer=_pin_threads
        ) as pool:
            results.append(pool.submit(_run_stage, stage, n).result())
    info = {
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    print(json.dumps({"machine": info, "results": results}, indent=2))


if __name__ == "__main__":
    main()
