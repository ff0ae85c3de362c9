"""Time is injected: code takes `now` or a Clock, never calls datetime.now() deep inside."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock for tests and backtests: it moves only when told."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance_to(self, at: datetime) -> None:
        self._at = at


def ensure_aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp has no UTC offset")
    return value.astimezone(UTC)


def chart_time(value: datetime) -> str:
    """A timestamp as Plotly should draw it: wall-clock time in the display time zone.

    Plotly ignores UTC offsets and draws the digits, so an aware UTC timestamp would show UTC
    on a chart whose labels and explanations use local time.
    """
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None).isoformat()
