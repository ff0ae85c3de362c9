"""Reach detectors: one negative mention with a huge audience, or negative reach piling up.

`step` flags an influencer complaint: a negative mention whose reach is at least
`min_reach` and `factor` times the monitor's usual negative-mention reach. One alert per author
per `author_cooldown`. `step_weighted` flags reach-weighted negativity: log(1 + negative
reach) per bucket far above its EWMA mean in EWMA standard deviations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from stormwatch.detect.detection import (
    INFLUENCER_NEGATIVE,
    NEGATIVE_REACH,
    Detection,
    context_fields,
)
from stormwatch.detect.detectors.common import is_warm, note_time
from stormwatch.detect.episodes import episode_step, new_episode
from stormwatch.detect.records import Bucket
from stormwatch.detect.stats import normal_sf

State = dict[str, Any]


@dataclass(frozen=True)
class ReachConfig:
    min_reach: float = 100_000.0
    factor: float = 20.0
    author_cooldown: timedelta = timedelta(hours=24)
    z_alarm: float = 5.0
    min_weighted: float = 200_000.0
    warmup: timedelta = timedelta(days=1)
    cool: timedelta = timedelta(hours=2)


def new_state() -> State:
    return {
        "log_mean": 0.0,
        "log_var": 1.0,
        "n": 0,
        "alerted": {},
        "ep": new_episode(),
        "seen": 0,
        "hold": 0,
        "last_end_at": None,
    }


def step(
    state: State, bucket: Bucket, config: ReachConfig = ReachConfig()
) -> tuple[State, Detection | None]:
    """Influencer complaint; works from the first bucket (an absolute reach floor is a prior)."""
    typical = math.expm1(float(state["log_mean"])) if state["n"] else 0.0
    bar = max(config.min_reach, config.factor * typical)
    alerted = {
        h: t for h, t in state["alerted"].items() if datetime.fromisoformat(t) > bucket.end_at
    }
    hits = [
        m
        for m in bucket.top_mentions
        if m.sentiment == "negative" and m.reach >= bar and m.author_handle not in alerted
    ]
    per_mention = bucket.reach_negative / bucket.negative if bucket.negative else None
    new = {**state, "alerted": alerted, **_learn_mean(state, per_mention)}
    if not hits:
        return new, None
    top = max(hits, key=lambda m: m.reach)
    alerted[top.author_handle] = (bucket.end_at + config.author_cooldown).isoformat()
    ctx = context_fields([bucket])
    ctx["top_mentions"] = (top, *[m for m in ctx["top_mentions"] if m.id != top.id])[:5]
    detection = Detection(
        kind=INFLUENCER_NEGATIVE,
        monitor=bucket.monitor,
        started_at=bucket.start_at,
        detected_at=bucket.end_at,
        observed=top.reach,
        expected=max(typical, 1.0),
        window=bucket.width,
        p_value=1.0 / (1.0 + top.reach),
        metric="reach",
        reach=top.reach,
        negative_share=bucket.negative / max(bucket.volume, 1),
        **ctx,
    )
    return new, detection


def _learn_mean(state: State, per_mention: float | None) -> dict[str, Any]:
    if per_mention is None:
        return {}
    n = int(state["n"]) + 1
    a = max(1.0 / n, 0.01)
    x = math.log1p(per_mention)
    return {"n": n, "log_mean": (1 - a) * float(state["log_mean"]) + a * x}


def step_weighted(
    state: State, bucket: Bucket, config: ReachConfig = ReachConfig()
) -> tuple[State, Detection | None]:
    """Negative reach per bucket far above normal (an EWMA z-score on the log scale)."""
    state = note_time(state, bucket, 3)
    x = math.log1p(bucket.reach_negative)
    mean, var = float(state["log_mean"]), float(state["log_var"])
    z = (x - mean) / math.sqrt(max(var, 0.25))
    alarm = (
        is_warm(state, bucket, config.warmup)
        and z > config.z_alarm
        and bucket.reach_negative >= config.min_weighted
    )
    cool = max(1, round(config.cool / bucket.width))
    ep, opened = episode_step(
        state["ep"], alarm=alarm, calm=z < 2.0, at_iso=bucket.end_at.isoformat(), cool=cool
    )
    new = {**state, "ep": ep}
    if not ep["open"]:
        n = int(state["n"]) + 1
        a = max(1.0 / n, 0.01)
        xc = min(x, mean + 3.0 * math.sqrt(max(var, 0.25))) if n > 10 else x
        new.update(
            {
                "n": n,
                "log_mean": mean + a * (xc - mean),
                "log_var": (1 - a) * var + a * (xc - mean) ** 2,
            }
        )
    if not opened:
        return new, None
    detection = Detection(
        kind=NEGATIVE_REACH,
        monitor=bucket.monitor,
        started_at=bucket.start_at,
        detected_at=bucket.end_at,
        observed=bucket.reach_negative,
        expected=math.expm1(mean),
        window=bucket.width,
        p_value=normal_sf(z),
        metric="reach",
        reach=max((m.reach for m in bucket.top_mentions), default=0.0),
        negative_share=bucket.negative / max(bucket.volume, 1),
        **context_fields([bucket]),
    )
    return new, detection
