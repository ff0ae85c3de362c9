"""Throughput (texts/s on one core) and peak memory of each enricher and of the whole stage.

    .venv/bin/python benchmarks/enrich.py [--n 4000] [--only NAME]

Each enricher runs in its own child process pinned to one BLAS thread, so its peak resident
memory (ru_maxrss, which includes the interpreter, ~40 MB, and any model it loads) is its own.
A first batch of 64 texts warms up (loads lexicons and models, reported as `load_s`) before the
timed run. Texts: Polish PolEmo 2.0 sentences and English TweetEval tweets from ../shared/data when
that folder exists (half each, with 20 % retweet-style copies mixed in), otherwise a synthetic
Polish/English mix. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before NumPy loads: "per core" means one BLAS thread

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "sentiment-dev"
ENRICHERS = (
    "language",
    "sentiment",
    "intents",
    "emotions",
    "duplicates",
    "narratives",
    "reach",
    "stage",
    "stage-no-narratives",
)
WARM_UP = 64


def load_texts(n: int) -> tuple[list[str], list[str], str]:
    """`n` texts with their languages, and where they came from."""
    rng = random.Random(7)
    polemo = DATA / "polemo2-medicine" / "medicine.sentence.train.txt"
    tweets = DATA / "tweeteval-val" / "sentiment_val_text.txt"
    if polemo.exists() and tweets.exists():
        pl = [line.rsplit("__label__", 1)[0].strip() for line in polemo.open(encoding="utf-8")]
        en = [line.strip() for line in tweets.open(encoding="utf-8")]
        origin = "polemo2-medicine + tweeteval-val"
    else:
        pl = [f"Aplikacja banku nie działa od {i} godzin, rezygnuję z usług" for i in range(500)]
        en = [
            f"Day {i} of the outage and support still ignores me, switching banks"
            for i in range(500)
        ]
        origin = "synthetic"
    pairs = [(rng.choice(pl), "pl") if i % 2 else (rng.choice(en), "en") for i in range(n)]
    for i in range(0, n, 5):  # copies, as retweets make a real stream
        text, lang = pairs[rng.randrange(n)]
        pairs[i] = (f"RT @user{i}: {text}", lang)
    return [t for t, _ in pairs], [lang for _, lang in pairs], origin


def make_runner(name: str, langs: list[str]) -> Callable[[list[str], list[str]], object]:
    """A function enriching (ids, texts) with one enricher, models loaded lazily on first call."""
    lang_of = dict(enumerate(langs))
    if name.startswith("stage"):
        from stormwatch.enrich.stage import EnrichInput, EnrichmentStage

        stage = EnrichmentStage(
            expected_langs=["pl", "en"], sentiment_tier="fast", narratives=name == "stage"
        )
        return lambda ids, texts: stage.enrich(
            [EnrichInput(i, t, lang_hint=lang_of[int(i)]) for i, t in zip(ids, texts, strict=True)]
        )
    if name == "duplicates":
        from stormwatch.enrich.duplicates import DuplicateIndex

        index = DuplicateIndex()
        return index.assign
    if name == "narratives":
        from stormwatch.enrich.narratives import NarrativeTracker

        tracker = NarrativeTracker()
        return lambda ids, texts: tracker.assign(ids, texts)
    return _per_text_runner(name, lang_of)


def _per_text_runner(
    name: str, lang_of: dict[int, str]
) -> Callable[[list[str], list[str]], object]:
    from stormwatch.enrich.emotions import score_emotions
    from stormwatch.enrich.influence import score_reach
    from stormwatch.enrich.intents import detect_intents
    from stormwatch.enrich.language import detect_languages
    from stormwatch.enrich.sentiment import score_sentiments

    def langs(ids: list[str]) -> list[str]:
        return [lang_of[int(i)] for i in ids]

    runners: dict[str, Callable[[list[str], list[str]], object]] = {
        "language": lambda ids, texts: detect_languages(texts, expected=["pl", "en"]),
        "sentiment": lambda ids, texts: score_sentiments(texts, langs(ids), tier="fast"),
        "intents": lambda ids, texts: detect_intents(texts, langs(ids)),
        "emotions": lambda ids, texts: score_emotions(texts, langs(ids)),
        "reach": lambda ids, texts: [score_reach("x", len(t) * 10, {"likes": 3}) for t in texts],
    }
    return runners[name]


def measure(name: str, n: int, batch: int) -> dict[str, object]:
    texts, langs, origin = load_texts(n + WARM_UP)
    ids = [str(i) for i in range(len(texts))]
    run = make_runner(name, langs)
    started = time.perf_counter()
    run(ids[:WARM_UP], texts[:WARM_UP])
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    for start in range(WARM_UP, len(texts), batch):
        run(ids[start : start + batch], texts[start : start + batch])
    elapsed = time.perf_counter() - started
    return {
        "enricher": name,
        "texts": n,
        "texts_per_s": round(n / elapsed, 1),
        "load_s": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "data": origin,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4_000, help="texts per enricher")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--only", choices=ENRICHERS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.only, args.n, args.batch)))
        return
    results = []
    for name in ENRICHERS:
        command = [sys.executable, __file__, "--only", name, "--n", str(args.n)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    print(json.dumps({"cpu_count": os.cpu_count(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
