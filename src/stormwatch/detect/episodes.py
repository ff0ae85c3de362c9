"""Episode bookkeeping shared by detectors: one alert when a signal rises, silence while it
stays elevated, and closure after `cool` consecutive calm buckets."""

from __future__ import annotations

from typing import Any

Episode = dict[str, Any]


def new_episode() -> Episode:
    return {"open": False, "calm": 0, "opened_at": None}


def episode_step(
    ep: Episode, *, alarm: bool, calm: bool, at_iso: str, cool: int
) -> tuple[Episode, bool]:
    """Advance the episode; return (new state, True when this bucket opens a new episode).

    A bucket that is neither alarming nor calm (elevated but not significant) keeps an open
    episode open without counting toward closure.
    """
    if not ep["open"]:
        if alarm:
            return {"open": True, "calm": 0, "opened_at": at_iso}, True
        return ep, False
    streak = int(ep["calm"]) + 1 if calm else 0
    if streak >= cool:
        return new_episode(), False
    return {**ep, "calm": streak}, False
