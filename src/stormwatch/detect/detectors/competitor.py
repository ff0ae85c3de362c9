"""Competitor crisis: a competitor's share of voice jumps and its conversation turns negative.

Fed with buckets of two monitors (the brand and one competitor, named in the config) in time
order; buckets are paired by (start_at, width). When a pair is complete, the competitor's
count out of the pair's total is tested against its baseline share with a binomial tail.
An alarm needs significance, a share-of-voice lift and a negative competitor conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from stormwatch.detect.detection import COMPETITOR_CRISIS, Detection, context_fields
from stormwatch.detect.episodes import episode_step, new_episode
from stormwatch.detect.records import Bucket, bucket_from_json
from stormwatch.detect.stats import binom_sf

State = dict[str, Any]


@dataclass(frozen=True)
class CompetitorConfig:
    brand: str
    competitor: str
    alpha: float = 1e-6
    min_lift: float = 1.5
    min_negative_share: float = 0.35
    min_count: int = 10
    ewma: float = 0.02
    warmup_pairs: int = 48
    cool: timedelta = timedelta(hours=2)


def new_state() -> State:
    return {"pending": {}, "brand": 0.0, "rival": 0.0, "pairs": 0, "ep": new_episode()}


def step(state: State, bucket: Bucket, config: CompetitorConfig) -> tuple[State, Detection | None]:
    if bucket.monitor not in (config.brand, config.competitor):
        raise ValueError(
            f"bucket of {bucket.monitor!r} given to a detector for "
            f"{config.brand!r} vs {config.competitor!r}"
        )
    key = f"{bucket.start_at.isoformat()}|{bucket.width.total_seconds()}"
    pending = dict(state["pending"])
    other = pending.pop(key, None)
    if other is None:
        pending[key] = bucket.to_json_dict()
        # Keep only recent half-pairs; an unmatched bucket older than a few is a gap.
        return {**state, "pending": dict(list(pending.items())[-8:])}, None
    first = bucket_from_json(other)
    if first.monitor == bucket.monitor:
        raise ValueError(f"two buckets of {bucket.monitor!r} for {key}: feed both monitors")
    brand, rival = (bucket, first) if bucket.monitor == config.brand else (first, bucket)
    return _judge(state | {"pending": pending}, brand.volume, rival, bucket, config)


def _judge(
    state: State, brand_volume: int, rival: Bucket, last: Bucket, config: CompetitorConfig
) -> tuple[State, Detection | None]:
    rival_volume = rival.volume
    b, r = float(state["brand"]), float(state["rival"])
    share0 = (r + 0.5) / (b + r + 1.0)
    total = brand_volume + rival_volume
    share = rival_volume / total if total else share0
    neg_share = rival.negative / max(rival.volume, 1)
    p = binom_sf(rival_volume, total, share0) if total else 1.0
    alarm = (
        state["pairs"] >= config.warmup_pairs
        and p < config.alpha
        and share >= config.min_lift * share0
        and rival_volume >= config.min_count
        and neg_share >= config.min_negative_share
    )
    cool = max(1, round(config.cool / last.width))
    ep, opened = episode_step(
        state["ep"],
        alarm=alarm,
        calm=share < 1.2 * share0,
        at_iso=last.end_at.isoformat(),
        cool=cool,
    )
    new = {**state, "ep": ep, "pairs": int(state["pairs"]) + 1}
    if not ep["open"]:
        a = max(config.ewma, 1.0 / (int(state["pairs"]) + 1))
        new.update({"brand": b + a * (brand_volume - b), "rival": r + a * (rival_volume - r)})
    if not opened:
        return new, None
    detection = Detection(
        kind=COMPETITOR_CRISIS,
        monitor=config.brand,
        started_at=rival.start_at,
        detected_at=last.end_at,
        observed=share,
        expected=share0,
        window=rival.width,
        p_value=p,
        metric="share_of_voice",
        subject=config.competitor,
        negative_share=neg_share,
        reach=max((m.reach for m in rival.top_mentions), default=0.0),
        **context_fields([rival]),
    )
    return new, detection
