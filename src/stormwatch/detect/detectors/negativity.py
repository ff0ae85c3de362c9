"""Negative-share jump: more of the conversation turns negative while volume may stay flat.

Baseline share p0 = EWMA(negatives) / EWMA(volume) (winsorised while calm, frozen in an
episode). Over sliding windows of the last 3, 12 and 24 buckets, a binomial test asks whether the
negative count is too high for p0; overdispersion between buckets is absorbed by dividing the
counts by a tracked dispersion factor (a quasi-binomial test).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from stormwatch.detect.detection import NEGATIVE_SHARE, Detection, context_fields
from stormwatch.detect.detectors.common import is_warm, note_time
from stormwatch.detect.episodes import episode_step, new_episode
from stormwatch.detect.records import Bucket
from stormwatch.detect.stats import binom_sf

State = dict[str, Any]


@dataclass(frozen=True)
class ShareConfig:
    alpha: float = 1e-5
    windows: tuple[int, ...] = (3, 12, 24)
    min_negative: int = 8
    min_jump: float = 0.12
    alpha_ewma: float = 0.01
    suspicious: float = 1e-3
    warmup: timedelta = timedelta(days=2)
    cool: timedelta = timedelta(hours=1)
    resume_buckets: int = 3


def new_state() -> State:
    return {
        "neg": 0.0,
        "vol": 0.0,
        "disp": 1.0,
        "recent": [],
        "ep": new_episode(),
        "seen": 0,
        "hold": 0,
        "last_end_at": None,
    }


def step(
    state: State, bucket: Bucket, config: ShareConfig = ShareConfig()
) -> tuple[State, Detection | None]:
    state = note_time(state, bucket, config.resume_buckets)
    p0 = _baseline_share(state)
    recent = [*state["recent"], [bucket.negative, bucket.volume, bucket.start_at.isoformat()]]
    recent = recent[-max(config.windows) :]
    best = _best_window(recent, p0, float(state["disp"]), config)
    alarm = (
        is_warm(state, bucket, config.warmup)
        and best is not None
        and best[0] < (config.alpha / len(config.windows))
    )
    share_now = bucket.negative / bucket.volume if bucket.volume else p0
    calm = share_now < p0 + config.min_jump / 2
    cool = max(1, round(config.cool / bucket.width))
    ep, opened = episode_step(
        state["ep"], alarm=alarm, calm=calm, at_iso=bucket.end_at.isoformat(), cool=cool
    )
    new = {**state, "recent": recent, "ep": ep}
    if not ep["open"] and (best is None or best[0] > config.suspicious):
        # A shift that is building (suspicious but not yet significant) must not teach itself.
        new.update(_learn(state, bucket, p0, config.alpha_ewma))
    if not opened or best is None:
        return new, None
    p, share, m, _ = best
    detection = Detection(
        kind=NEGATIVE_SHARE,
        monitor=bucket.monitor,
        started_at=datetime.fromisoformat(recent[-m][2]),
        detected_at=bucket.end_at,
        observed=share,
        expected=p0,
        window=m * bucket.width,
        p_value=p,
        metric="share",
        negative_share=share,
        velocity=(share - p0) / max(m * bucket.width / timedelta(hours=1), 1 / 60),
        reach=max((r.reach for r in bucket.top_mentions), default=0.0),
        **context_fields([bucket]),
    )
    return new, detection


def _baseline_share(state: State) -> float:
    # A prior of 15 % negative until there is data: typical of brand conversation.
    neg, vol = float(state["neg"]), float(state["vol"])
    return (neg + 0.15) / (vol + 1.0)


def _best_window(
    recent: list[list[Any]], p0: float, disp: float, config: ShareConfig
) -> tuple[float, float, int, int] | None:
    best: tuple[float, float, int, int] | None = None
    for m in config.windows:
        if m > len(recent):
            continue
        neg = sum(int(r[0]) for r in recent[-m:])
        vol = sum(int(r[1]) for r in recent[-m:])
        if vol == 0 or neg < config.min_negative or neg / vol < p0 + config.min_jump:
            continue
        p = binom_sf(math.floor(neg / disp), math.ceil(vol / disp), p0)
        if best is None or p < best[0]:
            best = (p, neg / vol, m, neg)
    return best


def _learn(state: State, bucket: Bucket, p0: float, alpha: float) -> dict[str, float]:
    v = bucket.volume
    # Winsorise at the binomial upper tail so a building shift teaches its own baseline little.
    n = min(bucket.negative, v * p0 + 2.0 * math.sqrt(v * p0 * (1 - p0)) + 1.0)
    disp = float(state["disp"])
    if v > 0:
        pearson = min((n - v * p0) ** 2 / max(v * p0 * (1 - p0), 0.25), 9.0)
        disp = min(max(disp + 0.01 * (pearson - disp), 1.0), 20.0)
    a = max(alpha, 1.0 / (int(state["seen"]) + 1))
    return {
        "neg": (1 - a) * float(state["neg"]) + a * n,
        "vol": (1 - a) * float(state["vol"]) + a * v,
        "disp": disp,
    }
