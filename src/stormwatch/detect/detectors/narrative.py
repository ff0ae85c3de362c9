"""Emerging narrative: a narrative (or a term of negative mentions) suddenly grows versus its
own history.

Each tracked key keeps an EWMA of its count per bucket. A key that was never seen has the
prior mean `prior_mean`, so a brand-new narrative needs a clearly non-trivial count to alarm.
Counts are tested with a Poisson tail; ratio and absolute floors keep noise out. Keys whose
mean decays below `forget_below` and that have no open episode are dropped to bound the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from stormwatch.detect.detection import EMERGING_NARRATIVE, Detection, context_fields
from stormwatch.detect.detectors.common import is_warm, note_time
from stormwatch.detect.records import Bucket
from stormwatch.detect.stats import poisson_sf

State = dict[str, Any]


@dataclass(frozen=True)
class NarrativeConfig:
    alpha: float = 1e-6
    min_count: int = 10
    min_term_count: int = 20
    min_ratio: float = 4.0
    prior_mean: float = 0.5
    ewma: float = 0.05
    forget_below: float = 0.01
    cool_buckets: int = 3
    warmup: timedelta = timedelta(hours=24)
    use_terms: bool = True


def new_state() -> State:
    return {"keys": {}, "seen": 0, "hold": 0, "last_end_at": None}


def step(
    state: State, bucket: Bucket, config: NarrativeConfig = NarrativeConfig()
) -> tuple[State, Detection | None]:
    """At most one Detection per bucket: the most significant newly opened key."""
    state = note_time(state, bucket, 2)
    warm = is_warm(state, bucket, config.warmup)
    counts = {f"n:{k}": v for k, v in bucket.narratives.items()}
    if config.use_terms:
        counts.update({f"t:{k}": v for k, v in bucket.terms.items()})
    keys: dict[str, list[float]] = {}
    best: tuple[float, str, int, float] | None = None
    for key in set(state["keys"]) | set(counts):
        mean, open_, calm = state["keys"].get(key, [config.prior_mean, 0, 0])
        c = counts.get(key, 0)
        floor = config.min_count if key.startswith("n:") else config.min_term_count
        p = poisson_sf(c, max(mean, 0.05))
        alarm = warm and c >= floor and c >= config.min_ratio * mean and p < config.alpha
        if not open_ and alarm and (best is None or p < best[0]):
            best = (p, key, c, mean)
        open_, calm = _episode(bool(open_), alarm, c <= 2 * mean + 1, int(calm), config)
        if not open_:
            mean += config.ewma * (c - mean)
        if open_ or mean >= config.forget_below:
            keys[key] = [mean, int(open_), calm]
    if best is not None:
        keys[best[1]][1] = 1
    new = {**state, "keys": keys}
    if best is None:
        return new, None
    p, key, c, mean = best
    detection = Detection(
        kind=EMERGING_NARRATIVE,
        monitor=bucket.monitor,
        started_at=bucket.start_at,
        detected_at=bucket.end_at,
        observed=float(c),
        expected=mean,
        window=bucket.width,
        p_value=p,
        subject=key[2:],
        metric="narrative" if key.startswith("n:") else "term",
        negative_share=bucket.negative / max(bucket.volume, 1),
        reach=max((m.reach for m in bucket.top_mentions), default=0.0),
        **context_fields([bucket]),
    )
    return new, detection


def _episode(
    open_: bool, alarm: bool, calm: bool, streak: int, config: NarrativeConfig
) -> tuple[bool, int]:
    """Only closing is decided here; opening is done for the single best key per bucket."""
    if not open_:
        return False, 0
    streak = streak + 1 if calm else 0
    if streak >= config.cool_buckets:
        return False, 0
    return True, streak
