"""Streaming univariate anomaly detector tuned for NAB-style scoring (early, sparse alarms).

`NabDetector(config).step(value, at=None) -> score in [0, 1]`, one call per point, O(window)
work per point. Nothing about the future is used: each score depends only on the values (and
timestamps) seen so far.

Three signals, each calibrated to [0, 1] so that one threshold serves every series, combined
by taking the largest:
1. Surprise: the robust z-score (median, IQR over sliding windows) of the value and of its
   first difference, plus 10x the distance past the window's range (a new level is the
   commonest NAB anomaly). Calibrated against the surprise's own last `long` values
   ("record", the default): a surprise the history has already exceeded scores below 0.5
   (half its empirical rank); a new record scores 0.5 + 0.5 (1 - old max / new), so a
   periodic jump that happens every day stops alarming after the first day (`record_slack`
   lets a surprise within that fraction below the record score the alarm level). "gauss" instead
   maps the Gaussian tail of the short-term mean as -log10(tail) / 12 (Numenta's anomaly
   likelihood on a raw prediction error); it scored lower on the tuning half.
2. Context novelty (the CAD OSE / ARTime idea): values are quantised into `levels` levels
   fixed from the probation period; the last `context` levels form a word; a word never seen,
   and not within `tolerance` levels of a seen one in every place, is novel. It scores
   `novelty_score x (1 + rarity / novelties in the last long points)`, so a changed shape
   alarms even when no single value is extreme, and a series that keeps producing new words
   ranks them lower. By default (`art="gate"`) a novelty counts only once an ARTime-style
   adaptive-resonance network (`art.py`) also meets a window of block values it cannot
   resonate with, within `art_span` blocks either side: noise keeps producing new words, but
   rarely a window shape the network cannot place (`art="max"` scores the network's own
   anomalies instead or as well, optionally only those at least `art_confidence` sure).
3. Seasonal context (`seasonal.py`, needs timestamps): the mean of the last day / `seasonal`
   points against the median of the same phase 1-3 days (or weeks) earlier; its robust z is
   record-calibrated like 1, after `seasonal_warmup` days of history, and counts only while
   the series is seasonal: 1 - IQR(deviation) / IQR(level) >= `seasonal_gate` (a holiday on
   a daily rhythm, not the noise of a series with no rhythm).

Post-processing, because NAB rewards the earliest detection in a window and charges every
later one as a false positive: nothing is emitted during the probation period (it is only
learnt from), and after an emitted alarm (score >= `alarm`) output is zero for
`suppress x probation` points. Per-series inputs, both given by NAB to every detector:
`probation` (15 % of the series, at most 750 points) and `input_min` / `input_max` (the
series' range: it scales the ART network's block values, as HTM and ARTime scale their
encoders).
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import product

from stormwatch.detect.nab.art import ArtNovelty
from stormwatch.detect.nab.seasonal import SeasonalContext, points_per_day


@dataclass(frozen=True)
class NabConfig:
    """Hyper-parameters, chosen on the tuning half of nab-dev (see docs/detection.md)."""

    windows: tuple[int, ...] = (1000,)  # sliding windows for the robust z of the value
    min_history: int = 20  # values needed before any surprise is computed
    novelty_weight: float = 10.0  # weight of the distance past the window's range
    short: int = 1  # points averaged in the likelihood's short-term mean
    long: int = 5000  # surprise history the likelihood compares against
    calibration: str = "record"  # "gauss": Gaussian tail; "record": against the history's max
    levels: int = 20  # quantisation levels for context words (0 turns novelty off)
    context: int = 3  # values per context word
    tolerance: int = 2  # a new word within this many levels of a known one is not novel
    rarity: float = 0.5  # bonus of a novelty, divided by the novelties in the last `long` points
    novelty_score: float = 0.5  # score of a never-seen word
    alarm: float = 0.5  # a score at or above this starts a suppression period
    suppress: float = 0.15  # suppression length as a multiple of the probation length
    probation: int = 750  # points learnt from before any alarm (NAB: 15 % of the series)
    seasonal: int = 6  # recent level = mean of the last day / `seasonal` points (0: no seasonal)
    seasonal_window: int = 10000  # deviations whose robust spread scales the seasonal surprise
    seasonal_warmup: float = 1.0  # days of seasonal surprises learnt before one may score
    seasonal_gate: float = 0.6  # least seasonality, 1 - IQR(deviation) / IQR(level), to score
    input_min: float | None = None  # NAB's inputMin: the series' smallest value (runner sets it)
    input_max: float | None = None  # NAB's inputMax: the series' largest value
    # Shape novelty by adaptive resonance (`art.py`, the ARTime idea): "off", "max" (its
    # anomalies a signal beside the others), "gate" (a context novelty counts only when the ART
    # network also meets a window it cannot resonate with, within `art_span` blocks either
    # side; its anomalies are not scored themselves) or "both" (gate and max).
    art: str = "gate"
    art_window: int = 10  # block values per ART feature window (ARTime: 8)
    art_windows: int = 13  # feature windows per probation period (sets the block length)
    art_levels: int = 80  # quantisation levels of a block value over NAB's input range
    art_base: float = 0.5  # score of an ART anomaly of zero confidence (1 at full confidence)
    art_span: float = 4.0  # gate: blocks between a novelty and its confirmation
    art_confidence: float = 0.0  # "max" / "both": an ART anomaly scores only at least this sure
    # Softer records: a surprise within this fraction below its history's maximum scores
    # `alarm` (a near-record alarms) instead of half its rank (0: only a new record alarms).
    record_slack: float = 0.0


DEFAULT_NAB = NabConfig()
MIN_DAY = 12  # fewer points a day (a 2-hour step or slower) leaves the seasonal context off


class SlidingOrder:
    """The last `size` values, kept both in arrival order and sorted (O(size) per push)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.fifo: deque[float] = deque()
        self.ordered: list[float] = []

    def push(self, value: float) -> None:
        self.fifo.append(value)
        insort(self.ordered, value)
        if len(self.fifo) > self.size:
            old = self.fifo.popleft()
            del self.ordered[bisect_left(self.ordered, old)]

    def __len__(self) -> int:
        return len(self.fifo)

    def robust_z(self, value: float) -> float:
        """|value - median| / scale; scale is IQR / 1.349 floored by 2 % of the range."""
        ordered = self.ordered
        n = len(ordered)
        iqr = ordered[(3 * n) // 4] - ordered[n // 4]
        scale = max(iqr / 1.349, 0.02 * (ordered[-1] - ordered[0]), 1e-9)
        return min(abs(value - ordered[n // 2]) / scale, 1e3)

    def spread(self) -> float:
        """Interquartile range."""
        ordered = self.ordered
        n = len(ordered)
        return ordered[(3 * n) // 4] - ordered[n // 4]

    def beyond(self, value: float) -> float:
        """Distance past the window's range, in units of that range (0 inside it)."""
        lo, hi = self.ordered[0], self.ordered[-1]
        return max(value - hi, lo - value, 0.0) / max(hi - lo, 1e-9)


class RunningMoments:
    """Mean and standard deviation of the last `size` values, updated in O(1)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.fifo: deque[float] = deque()
        self.total = 0.0
        self.squares = 0.0

    def push(self, value: float) -> None:
        self.fifo.append(value)
        self.total += value
        self.squares += value * value
        if len(self.fifo) > self.size:
            old = self.fifo.popleft()
            self.total -= old
            self.squares -= old * old

    def __len__(self) -> int:
        return len(self.fifo)

    def tail_score(self, short_mean: float) -> float:
        """-log10 of the Gaussian upper tail of `short_mean`, divided by 12, clipped to [0, 1]."""
        n = len(self.fifo)
        mean = self.total / n
        var = max(self.squares / n - mean * mean, 0.0) * n / max(n - 1, 1)
        std = max(math.sqrt(var), 1e-3 + 0.1 * abs(mean))
        tail = max(0.5 * math.erfc((short_mean - mean) / std / math.sqrt(2.0)), 1e-300)
        return min(max(-math.log10(tail) / 12.0, 0.0), 1.0)


def record_score(
    value: float, ordered: list[float], slack: float = 0.0, near: float = 0.5
) -> float:
    """Score of `value` against the sorted history: above 0.5 only for a new record.

    Inside the history it is half the empirical fraction below it; past the largest value it
    is 0.5 + 0.5 (1 - max / value), so the margin of a record ranks records across series.
    With `slack` > 0 a value within that fraction below the largest (a near-record) scores at
    least `near` instead.
    """
    top = ordered[-1]
    if value > top:
        return 0.5 + 0.5 * (1.0 - max(top, 1e-9) / value)
    rank = 0.5 * bisect_left(ordered, value) / len(ordered)
    if slack > 0 and top > 0 and value >= (1.0 - slack) * top:
        return max(rank, near)
    return rank


class ContextNovelty:
    """Flags context words (the last few quantised levels) never seen before.

    Levels are fixed from the values of the probation period, which are replayed once into the
    vocabulary when it ends; values outside that range get levels of their own, so a new
    extreme is a new word too.
    """

    def __init__(self, levels: int, context: int, tolerance: int) -> None:
        self.levels = levels
        self.context = context
        self.tolerance = tolerance
        self.seen: set[tuple[int, ...]] = set()
        self.recent: deque[int] = deque(maxlen=context)
        self.low = 0.0
        self.width = 0.0
        self.fitted = False

    def fit(self, values: list[float]) -> None:
        """Fix the levels from the range of `values`, then learn `values`."""
        self.low, high = min(values), max(values)
        self.width = max((high - self.low) / self.levels, 1e-9)
        self.fitted = True
        for value in values:
            self.observe(value)

    def observe(self, value: float) -> bool:
        """Learn `value`; True when it completes a never-seen word."""
        self.recent.append(math.floor((value - self.low) / self.width))
        if len(self.recent) < self.context:
            return False
        word = tuple(self.recent)
        if word in self.seen:
            return False
        self.seen.add(word)
        if self.tolerance == 0:
            return True
        # A word one level away from a known one in every place is noise, not a new shape.
        return not any(near in self.seen for near in self._neighbours(word))

    def _neighbours(self, word: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
        steps = range(-self.tolerance, self.tolerance + 1)
        for shift in product(steps, repeat=len(word)):
            if any(shift):
                yield tuple(level + d for level, d in zip(word, shift, strict=True))


class NabDetector:
    """Stateful streaming scorer; see the module docstring for the method."""

    def __init__(self, config: NabConfig = DEFAULT_NAB) -> None:
        self.config = config
        self.levels = [SlidingOrder(size) for size in config.windows]
        self.diffs = SlidingOrder(max(config.windows))
        self.history = RunningMoments(config.long)
        self.record = SlidingOrder(config.long)
        self.short: deque[float] = deque(maxlen=config.short)
        self.novelty: ContextNovelty | None = None
        if config.levels:
            self.novelty = ContextNovelty(config.levels, config.context, config.tolerance)
        self.first_at: datetime | None = None
        self.seasonal: SeasonalContext | None = None
        self.deviations = SlidingOrder(config.seasonal_window)
        self.seasonal_levels = SlidingOrder(config.seasonal_window)
        self.seasonal_record = SlidingOrder(config.long)
        self.warmup: list[float] = []
        self.novel_flags: deque[bool] = deque()
        self.novel_count = 0
        self.seen = 0
        self.quiet = 0
        self.previous: float | None = None
        self.art: ArtNovelty | None = None
        if config.art != "off":
            bounds = None
            if config.input_min is not None and config.input_max is not None:
                bounds = (config.input_min, config.input_max)
            self.art = ArtNovelty(
                config.probation, bounds, config.art_window, config.art_windows, config.art_levels
            )
        self.pending = 0.0  # gate: the last unconfirmed novelty score ...
        self.pending_age = 0  # ... and the points since it
        self.unresonant_age = math.inf  # gate: points since the ART network last mismatched

    def step(self, value: float, at: datetime | None = None) -> float:
        """Learn `value` (taken at `at`, if known) and return its score in [0, 1].

        Non-finite values score 0 and are not learnt. Timestamps only set the day length of
        the seasonal context, from the first two of them.
        """
        if not math.isfinite(value):
            return 0.0
        novelty = self._novelty(value)
        score = max(self._likelihood(value), self._seasonal(value, at), self._art(value, novelty))
        self._learn(value)
        self.seen += 1
        if self.seen <= self.config.probation:
            return 0.0
        if self.quiet > 0:
            self.quiet -= 1
            return 0.0
        if score >= self.config.alarm:
            self.quiet = round(self.config.suppress * self.config.probation)
        return score

    def _likelihood(self, value: float) -> float:
        if len(self.levels[-1]) < self.config.min_history:
            return 0.0
        surprise = max(window.robust_z(value) for window in self.levels)
        longest = self.levels[-1]
        surprise += self.config.novelty_weight * longest.beyond(value)
        if self.previous is not None and len(self.diffs) >= 8:
            surprise = max(surprise, self.diffs.robust_z(value - self.previous))
        self.short.append(surprise)
        score = 0.0
        short_mean = sum(self.short) / len(self.short)
        if len(self.history) >= self.config.min_history:
            if self.config.calibration == "record":
                slack, near = self.config.record_slack, self.config.alarm
                score = record_score(short_mean, self.record.ordered, slack, near)
            else:
                score = self.history.tail_score(short_mean)
        self.history.push(surprise)
        self.record.push(short_mean)
        return score

    def _seasonal(self, value: float, at: datetime | None) -> float:
        context = self._seasonal_context(at)
        if context is None:
            return 0.0
        deviation = context.deviation(value)
        self.seasonal_levels.push(context.levels[-1])
        if deviation is None:
            return 0.0
        score = 0.0
        if len(self.deviations) >= self.config.min_history:
            surprise = self.deviations.robust_z(deviation)
            warm = max(self.config.min_history, self.config.seasonal_warmup * context.day)
            # Only a series whose days repeat has a seasonal context worth trusting.
            seasonal = self._seasonality() >= self.config.seasonal_gate
            if len(self.seasonal_record) >= warm and seasonal:
                score = record_score(surprise, self.seasonal_record.ordered)
            self.seasonal_record.push(surprise)
        self.deviations.push(deviation)
        return score

    def _seasonal_context(self, at: datetime | None) -> SeasonalContext | None:
        """The context, built at the second timestamp; None when off or not a whole day."""
        if self.seasonal is not None or not self.config.seasonal or at is None:
            return self.seasonal
        if self.first_at is None:
            self.first_at = at
            return None
        day = points_per_day(self.first_at, at)
        if day >= MIN_DAY:
            self.seasonal = SeasonalContext(day, self.config.seasonal)
        else:
            self.config = replace(self.config, seasonal=0)  # off for good on this series
        return self.seasonal

    def _seasonality(self) -> float:
        """1 - spread of the seasonal deviations / spread of the smoothed levels."""
        return 1.0 - self.deviations.spread() / max(self.seasonal_levels.spread(), 1e-9)

    def _novelty(self, value: float) -> float:
        if self.novelty is None:
            return 0.0
        if self.seen < self.config.probation:
            self.warmup.append(value)
            return 0.0
        if not self.novelty.fitted:
            self.novelty.fit(self.warmup or [value])
            self.warmup = []
        novel = self.novelty.observe(value)
        self.novel_flags.append(novel)
        self.novel_count += novel
        if len(self.novel_flags) > self.config.long:
            self.novel_count -= self.novel_flags.popleft()
        if not novel:
            return 0.0
        # The rarer novelties have been lately, the more this one means.
        return min(self.config.novelty_score * (1.0 + self.config.rarity / self.novel_count), 1.0)

    def _art(self, value: float, novelty: float) -> float:
        """The ART signal and the context novelty, combined as `config.art` says."""
        if self.art is None:
            return novelty
        mode = self.config.art
        confidence = self.art.step(value)
        art = 0.0
        sure = confidence > 0 and confidence >= self.config.art_confidence
        if sure and mode in ("max", "both"):
            art = self.config.art_base + (1.0 - self.config.art_base) * confidence
        if mode == "max":
            return max(novelty, art)
        return max(self._confirmed(novelty, self.art), art)

    def _confirmed(self, novelty: float, art: ArtNovelty) -> float:
        """Gate: a novelty held until the ART network also mismatches (both within the span)."""
        span = self.config.art_span * art.step_size
        self.unresonant_age = 0 if art.unresonant else self.unresonant_age + 1
        if novelty > 0:
            self.pending, self.pending_age = novelty, 0
        else:
            self.pending_age += 1
        if self.pending > 0 and self.pending_age <= span and self.unresonant_age <= span:
            confirmed, self.pending = self.pending, 0.0
            return confirmed
        return 0.0

    def _learn(self, value: float) -> None:
        for window in self.levels:
            window.push(value)
        if self.previous is not None:
            self.diffs.push(value - self.previous)
        self.previous = value


def score_values(
    values: list[float],
    config: NabConfig = DEFAULT_NAB,
    timestamps: list[datetime] | None = None,
) -> list[float]:
    """Stream `values` (taken at `timestamps`, if given) through a fresh detector."""
    detector = NabDetector(config)
    if timestamps is None:
        return [detector.step(value) for value in values]
    return [detector.step(v, at) for v, at in zip(values, timestamps, strict=True)]
