"""Synthetic bucket streams (weekly rhythm, Poisson noise, injected events) for tests, evals
and benchmarks. Deterministic for a given seed; no I/O."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from stormwatch.detect.records import Bucket, MentionRef

START_AT = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday


def rate_per_hour(at: datetime, base: float) -> float:
    """Daytime peak about 3x the night, weekends at 60 %: a plausible brand rhythm."""
    hour = (at.hour + 1) % 24  # Warsaw is UTC+1 in March
    daily = 0.35 + 0.65 * max(math.sin(math.pi * (hour - 6) / 17), 0.0) if 6 <= hour <= 23 else 0.3
    weekly = 0.6 if at.weekday() >= 5 else 1.0
    return base * daily * weekly * 1.6


def poisson(rng: random.Random, lam: float) -> int:
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    threshold, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= threshold:
            return k
        k += 1


def buckets(
    *,
    base: float,
    width: timedelta,
    days: float,
    seed: int = 1,
    surge_at: datetime | None = None,
    surge_factor: float = 5.0,
    surge_for: timedelta = timedelta(minutes=30),
    neg_share: float = 0.15,
    neg_jump_at: datetime | None = None,
    monitor: str = "brand",
) -> Iterator[Bucket]:
    """Buckets of `width` for `days` days; optional volume surge and negative-share jump."""
    rng = random.Random(seed)
    at = START_AT
    for _ in range(int(days * timedelta(days=1) / width)):
        lam = rate_per_hour(at, base) * width / timedelta(hours=1)
        if surge_at is not None and surge_at <= at < surge_at + surge_for:
            lam *= surge_factor
        share = neg_share + (0.25 if neg_jump_at is not None and at >= neg_jump_at else 0.0)
        volume = poisson(rng, lam)
        negative = sum(1 for _ in range(volume) if rng.random() < share)
        yield Bucket(
            monitor=monitor,
            start_at=at,
            width=width,
            volume=volume,
            negative=negative,
            positive=volume // 5,
            platforms={"x": volume},
            langs={"pl": volume},
            terms={"awaria": negative} if negative else {},
        )
        at += width


def influencer_ref(reach: float, handle: str = "tvn24", sentiment: str = "negative") -> MentionRef:
    return MentionRef(
        id=f"m-{handle}",
        author_handle=handle,
        reach=reach,
        sentiment=sentiment,
        text="Aplikacja znowu nie działa, awaria przelewów",
        platform="x",
    )
