"""How many mentions per hour the demo brand gets: a daily and weekly rhythm plus a crisis curve.

Pure functions of time, so any window of the scenario can be generated on its own and agrees
with every other window.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")

# Relative activity per local hour (0..23) in Warsaw: quiet nights, a lunch peak and an evening
# peak. Normalised below so that an average weekday hour is 1.0.
_HOURLY = (
    0.16, 0.09, 0.05, 0.04, 0.05, 0.12, 0.35, 0.80, 1.20, 1.30, 1.30, 1.45,
    1.75, 1.65, 1.30, 1.25, 1.30, 1.45, 1.70, 1.90, 1.80, 1.40, 0.90, 0.45,
)  # fmt: skip
_HOURLY_MEAN = sum(_HOURLY) / len(_HOURLY)
# Monday first. Weekends are calmer for a bank: fewer transfers, fewer problems to talk about.
_WEEKDAY = (1.05, 1.0, 1.0, 1.0, 0.95, 0.65, 0.60)

# Crisis curve, in multiples of the base rate (see crisis_intensity).
ORGANIC_LEVEL = 6.0
ORGANIC_RISE = timedelta(minutes=8)
AMPLIFIED_AFTER = timedelta(minutes=22)
AMPLIFIED_LEVEL = 14.0
AMPLIFIED_RISE = timedelta(minutes=40)
RESOLVED_AFTER = timedelta(hours=3)
DECAY_HALF_LIFE = timedelta(minutes=90)
# The episode counts as over once the extra volume falls below this share of the base rate.
END_THRESHOLD = 0.2


def rhythm_factor(at: datetime) -> float:
    """Relative activity at `at` (aware): about 1.0 on an average weekday hour."""
    local = at.astimezone(WARSAW)
    hour = _HOURLY[local.hour] / _HOURLY_MEAN
    return hour * _WEEKDAY[local.weekday()]


def crisis_intensity(since_start: timedelta) -> float:
    """Extra volume, in multiples of the base rate, `since_start` after the crisis erupted.

    Two parts: organic complaints that rise quickly and decay after the fix, and a pulse of
    shares and copies after a high-reach account amplifies the story.
    """
    if since_start < timedelta(0):
        return 0.0
    return _organic(since_start) + _amplified(since_start)


def _organic(since_start: timedelta) -> float:
    rise_time = min(since_start, RESOLVED_AFTER)
    level = ORGANIC_LEVEL * (1.0 - math.exp(-(rise_time / ORGANIC_RISE)))
    if since_start <= RESOLVED_AFTER:
        return level
    return level * 0.5 ** ((since_start - RESOLVED_AFTER) / DECAY_HALF_LIFE)


def _amplified(since_start: timedelta) -> float:
    if since_start < AMPLIFIED_AFTER:
        return 0.0
    x = (since_start - AMPLIFIED_AFTER) / AMPLIFIED_RISE
    return AMPLIFIED_LEVEL * x * math.exp(1.0 - x)


def amplified_share(since_start: timedelta) -> float:
    """Share of crisis volume that is the amplified pulse (shares, copies, comments)."""
    total = crisis_intensity(since_start)
    return _amplified(since_start) / total if total > 0 else 0.0


def crisis_peak_and_end() -> tuple[timedelta, timedelta]:
    """Offsets of the crisis peak and of its end (extra volume below END_THRESHOLD)."""
    step = timedelta(minutes=1)
    offset, peak, peak_value = step, step, 0.0
    while offset < timedelta(days=2):
        value = crisis_intensity(offset)
        if value > peak_value:
            peak, peak_value = offset, value
        elif offset > RESOLVED_AFTER and value < END_THRESHOLD:
            return peak, offset
        offset += step
    return peak, offset


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw; the normal approximation above 30 keeps busy slots cheap."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, product, count = math.exp(-lam), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count
