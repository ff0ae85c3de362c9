"""Seasonal context for the NAB detector: how far the recent level is from the same time on
earlier days (and, where the history is long enough, earlier weeks).

NAB series are sampled at a regular step, so the day length in points follows from the
timestamps. The recent level is the mean of the last `day / smooth` values; its deviation is
taken against the median of the same quantity one, two and three days (weeks) earlier, and
the smaller of the daily and weekly deviations counts, so a weekend is not news on a series
with a weekly rhythm, but a holiday (unlike both yesterday and last week) is.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime

DAY_SECONDS = 86_400
LAGS = 3  # earlier days (weeks) whose median is the expected level


def points_per_day(first: datetime, second: datetime) -> int:
    """Points in a day for a series sampled every `second - first`; 0 when not a whole number."""
    step = (second - first).total_seconds()
    if step <= 0 or DAY_SECONDS % step:
        return 0
    return int(DAY_SECONDS // step)


class SeasonalContext:
    """Deviation of the smoothed level from the same phase of earlier days or weeks."""

    def __init__(self, day: int, smooth: int) -> None:
        self.day = day
        self.span = max(day // smooth, 1)
        self.recent: deque[float] = deque(maxlen=self.span)
        self.levels: deque[float] = deque(maxlen=LAGS * 7 * day + 1)

    def deviation(self, value: float) -> float | None:
        """Learn `value`; the signed deviation of the recent level, None until 3 days are seen."""
        self.recent.append(value)
        level = sum(self.recent) / len(self.recent)
        self.levels.append(level)
        daily = self._against(level, self.day)
        if daily is None:
            return None
        weekly = self._against(level, 7 * self.day)
        if weekly is None or abs(daily) < abs(weekly):
            return daily
        return weekly

    def _against(self, level: float, period: int) -> float | None:
        n = len(self.levels)
        if n <= LAGS * period:
            return None
        earlier = sorted(self.levels[n - 1 - k * period] for k in range(1, LAGS + 1))
        return level - earlier[LAGS // 2]
