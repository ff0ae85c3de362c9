"""Sentiment for Polish and English social text, in two tiers.

`score_sentiments(texts, langs, tier=...)` returns one `SentimentResult` per text, in order.

- fast: lexicon scorers for every mention. Polish ("pl") -> AFINN-pl + NAWL BE with simplemma
  lemmas (`lexicon-pl-afinn`); every other language code, including "und", -> VADER with social
  pre-processing (`lexicon-en-vader`), which also scores emoji and emoticons.
- accurate: logistic head over multilingual USE embeddings + hashed n-grams + the fast score
  (`use-head`), trained on PolEmo 2.0 medicine.
- auto: accurate for Polish (84 % vs 65 % polar accuracy on PolEmo held-out), fast for every
  other language: the Polish-trained head transfers poorly to English tweets (about 0.39
  macro-recall vs 0.61 for tuned VADER on the TweetEval tune half), and even restricting it
  to posts where VADER is unsure lowered macro-recall (0.588 vs 0.606).

Scores are in [-1, 1] (accurate: P(positive) - P(negative)). Deterministic: same input, same
output. Never raises on odd text; raises ValueError when `texts` and `langs` differ in length
or the tier is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def _fast_one(text: str, lang: str) -> SentimentResult:
    family = _family(lang)
    if family == "pl":
        score, enricher, version = fast_pl.score_pl(text), fast_pl.ENRICHER, fast_pl.VERSION
    else:
        score, enricher, version = fast_en.score_en(text), fast_en.ENRICHER, fast_en.VERSION
    low, high = FAST_THRESHOLDS[family]
    label: SentimentLabel = (
        "negative" if score <= low else "positive" if score >= high else "neutral"
    )
    return SentimentResult(label, round(score, 4), enricher, version)


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


def _wants_accurate(tier: Tier, lang: str) -> bool:
    if tier == "accurate":
        return True
    return tier == "auto" and _family(lang) == "pl"


def score_sentiments(
    texts: Sequence[str], langs: Sequence[str], *, tier: Tier = "fast"
) -> list[SentimentResult]:
    """Score a batch; `langs[i]` is the ISO 639-1 code (or "und") of `texts[i]`."""
    if len(texts) != len(langs):
        raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
    if tier not in ("fast", "accurate", "auto"):
        raise ValueError(f"unknown sentiment tier {tier!r}")
    results = [_fast_one(text, lang) for text, lang in zip(texts, langs, strict=True)]
    chosen = [i for i, r in enumerate(results) if _wants_accurate(tier, langs[i])]
    upgraded = _accurate_many([texts[i] for i in chosen], [results[i] for i in chosen])
    for i, result in zip(chosen, upgraded, strict=True):
        results[i] = result
    return results


__all__ = ["SentimentLabel", "SentimentResult", "Tier", "score_sentiments"]
