"""Seasonal count baselines: hour-of-week slots shrunk toward hour-of-day and global levels.

A profile is a JSON dict. Each level keeps an EWMA of the (winsorised) count per bucket and the
hours of data behind it. `expected_count` blends the levels by evidence: a slot backed by
`SHRINK_HOURS` hours of data is trusted half and half against the level above it, so a new
monitor (or the first Tuesday 10:00 it sees) falls back on the daily shape and then on the
global level instead of trusting three noisy buckets. Memories are set in hours of data, so the
same profile works for 1-minute and hourly buckets. `dispersion` (variance / mean, >= 1) feeds
the negative binomial tail. Callers skip `update` while an episode is open.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

Profile = dict[str, Any]

SHRINK_HOURS = 3.0
SLOT_MEMORY_HOURS = 6.0  # about six visits of an hour-of-week slot: six weeks
DAY_MEMORY_HOURS = 12.0  # hour-of-day slots are visited daily: about two weeks
GLOBAL_MEMORY_HOURS = 24.0
DISP_MEMORY_HOURS = 24.0
MAX_DISPERSION = 30.0


def new_profile() -> Profile:
    return {"slots": {}, "days": {}, "hours": 0.0, "mean": 0.0, "disp": 1.0}


def slot_of(at: datetime, width: timedelta, tz: str) -> tuple[str, int, int]:
    """(slot key, local weekday, local hour) of a bucket start; daily buckets use weekday only."""
    local = at.astimezone(ZoneInfo(tz))
    if width >= timedelta(days=1):
        return f"d{local.weekday()}", local.weekday(), -1
    return f"{local.weekday()}-{local.hour}", local.weekday(), local.hour


def _hour_key(slot: str) -> str:
    return slot.split("-")[-1]


def _blend(entry: list[float] | None, fallback: float) -> float:
    if not entry:
        return fallback
    hours, mean = entry
    w = hours / (hours + SHRINK_HOURS)
    return w * mean + (1.0 - w) * fallback


def expected_count(profile: Profile, slot: str) -> float:
    """Mean count per bucket for `slot`; 0.0 before any data."""
    by_hour = _blend(profile["days"].get(_hour_key(slot)), float(profile["mean"]))
    return _blend(profile["slots"].get(slot), by_hour)


def dispersion(profile: Profile) -> float:
    return float(profile["disp"])


def upper_cap(mu: float, disp: float) -> float:
    """A generous upper bound for a normal count: winsorising at it keeps spikes out."""
    return mu + 4.0 * math.sqrt(max(disp * mu, 0.25)) + 2.0


def _ewma(entry: list[float] | None, x: float, hours: float, memory: float) -> list[float]:
    seen, mean = entry if entry else (0.0, 0.0)
    seen += hours
    mean += max(hours / seen, min(hours / memory, 1.0)) * (x - mean)
    return [seen, mean]


def update(
    profile: Profile, slot: str, count: float, width: timedelta, expected: float | None = None
) -> Profile:
    """Learn one bucket's count (winsorised once there is an hour of data).

    `expected` is the caller's own expectation for this bucket (for example the seasonal level
    scaled to recent activity); dispersion is measured around it when given.
    """
    hours = width / timedelta(hours=1)
    mu = expected_count(profile, slot) if expected is None else expected
    disp = dispersion(profile)
    warm = float(profile["hours"]) >= 1.0
    x = min(count, upper_cap(mu, disp)) if warm else count
    slots = dict(profile["slots"])
    slots[slot] = _ewma(slots.get(slot), x, hours, SLOT_MEMORY_HOURS)
    days = dict(profile["days"])
    days[_hour_key(slot)] = _ewma(days.get(_hour_key(slot)), x, hours, DAY_MEMORY_HOURS)
    total, mean = _ewma([profile["hours"], profile["mean"]], x, hours, GLOBAL_MEMORY_HOURS)
    if warm:
        pearson = min((x - mu) ** 2 / max(mu, 0.5), 25.0)
        disp += min(hours / DISP_MEMORY_HOURS, 0.2) * (pearson - disp)
        disp = min(max(disp, 1.0), MAX_DISPERSION)
    return {"slots": slots, "days": days, "hours": total, "mean": mean, "disp": disp}
