"""Sentiment for Polish and English social text, in two tiers.

`score_sentiments(texts, langs, tier=...)` returns one `SentimentResult` per text, in order.

- fast: lexicon scorers for every mention. Polish ("pl") -> AFINN-pl + NAWL BE with simplemma
  lemmas (`lexicon-pl-afinn`); every other language code, including "und", -> VADER's lexicon
  and rules (re-implemented lean in `vader_lean`) with social pre-processing
  (`lexicon-en-vader`), which also scores emoji and emoticons.
- accurate: the most accurate scorer we can ship per language. Polish -> a logistic head over
  multilingual USE embeddings + hashed n-grams + the fast score (`use-head`), trained on
  PolEmo 2.0 medicine (84 % vs 65 % polar accuracy on PolEmo held-out). Every other language
  -> the fast scorer: the PolEmo head scored 0.39 macro-recall on English tweets, and heads
  trained on English lexicon entries (VADER, AFINN-en; alone or stacked with VADER) did not
  beat tuned VADER beyond noise on the TweetEval tune half (see docs/enrichment-quality.md).
- auto: the same routing as accurate (kept as a separate name for callers that pin it).

Scores are in [-1, 1] (accurate: P(positive) - P(negative)). Deterministic: same input, same
output. Never raises on odd text; raises ValueError when `texts` and `langs` differ in length
or the tier is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from stormwatch.enrich.sentiment import accurate, fast_en, fast_pl

SentimentLabel = Literal["negative", "neutral", "positive"]
Tier = Literal["fast", "accurate", "auto"]

# Label thresholds on the fast score, chosen on tuning data only (see evals/sentiment.py
# --tune): English on the TweetEval "tune" half, Polish on the PolEmo training portion.
FAST_THRESHOLDS: dict[str, tuple[float, float]] = {
    "en": (-0.10, 0.35),
    "pl": (-0.05, 0.45),
}
_LABELS: tuple[SentimentLabel, SentimentLabel, SentimentLabel] = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class SentimentResult:
    """One text's sentiment: label, score in [-1, 1], and which enricher/version produced it."""

    label: SentimentLabel
    score: float
    enricher: str
    version: str


def _family(lang: str) -> str:
    return "pl" if lang.lower().startswith("pl") else "en"


@dataclass(frozen=True)
class _FastScorer:
    """The fast scorer, its name and its label thresholds for one language family."""

    score: Callable[[str], float]
    enricher: str
    version: str
    low: float
    high: float


_FAST = {
    "pl": _FastScorer(fast_pl.score_pl, fast_pl.ENRICHER, fast_pl.VERSION, *FAST_THRESHOLDS["pl"]),
    "en": _FastScorer(fast_en.score_en, fast_en.ENRICHER, fast_en.VERSION, *FAST_THRESHOLDS["en"]),
}


def _fast_many(texts: Sequence[str], langs: Sequence[str]) -> list[SentimentResult]:
    # Resolving the scorer once per distinct language code keeps the per-post overhead small:
    # the English tier's budget is about 30 microseconds a post.
    by_lang: dict[str, _FastScorer] = {}
    results = []
    for text, lang in zip(texts, langs, strict=True):
        scorer = by_lang.get(lang)
        if scorer is None:
            scorer = by_lang[lang] = _FAST[_family(lang)]
        score = scorer.score(text)
        label: SentimentLabel = (
            "negative" if score <= scorer.low else "positive" if score >= scorer.high else "neutral"
        )
        results.append(SentimentResult(label, round(score, 4), scorer.enricher, scorer.version))
    return results


def _accurate_many(texts: Sequence[str], fast: Sequence[SentimentResult]) -> list[SentimentResult]:
    if not texts:
        return []
    proba = accurate.score_accurate(texts, [r.score for r in fast])
    version = accurate.load_head().version
    results = []
    for row in proba:
        score = max(-1.0, min(1.0, float(row[2] - row[0])))
        results.append(
            SentimentResult(_LABELS[int(row.argmax())], round(score, 4), accurate.ENRICHER, version)
        )
    return results


def _wants_head(lang: str) -> bool:
    """Only Polish goes to the embedding head; see the module docstring for the evidence."""
    return _family(lang) == "pl"


def score_sentiments(
    texts: Sequence[str], langs: Sequence[str], *, tier: Tier = "fast"
) -> list[SentimentResult]:
    """Score a batch; `langs[i]` is the ISO 639-1 code (or "und") of `texts[i]`."""
    if len(texts) != len(langs):
        raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
    if tier not in ("fast", "accurate", "auto"):
        raise ValueError(f"unknown sentiment tier {tier!r}")
    results = _fast_many(texts, langs)
    if tier == "fast":
        return results
    chosen = [i for i, lang in enumerate(langs) if _wants_head(lang)]
    upgraded = _accurate_many([texts[i] for i in chosen], [results[i] for i in chosen])
    for i, result in zip(chosen, upgraded, strict=True):
        results[i] = result
    return results


__all__ = ["SentimentLabel", "SentimentResult", "Tier", "score_sentiments"]
