"""Streaming univariate anomaly detector tuned for NAB-style scoring (early, sparse alarms).

`NabDetector(config).step(value) -> score in [0, 1]`, one call per point, O(window) work per
point. Nothing about the future is used: each score depends only on the values seen so far.

Two signals, each calibrated to [0, 1] so that one threshold serves every series, combined by
taking the larger:
1. Surprise: the robust z-score (median, IQR over sliding windows) of the value and of its
   first difference, plus 10x the distance past the window's range (a new level is the
   commonest NAB anomaly). Calibrated against the surprise's own last `long` values
   ("record", the default): a surprise the history has already exceeded scores below 0.5
   (half its empirical rank); a new record scores 0.5 + 0.5 (1 - old max / new), so a
   periodic jump that happens every day stops alarming after the first day. "gauss" instead
   maps the Gaussian tail of the short-term mean as -log10(tail) / 12 (Numenta's anomaly
   likelihood on a raw prediction error); it scored lower on the tuning half.
2. Context novelty (the CAD OSE / ARTime idea): values are quantised into `levels` levels
   fixed from the probation period; the last `context` levels form a word; a word never seen,
   and not within `tolerance` levels of a seen one in every place, is novel. It scores
   `novelty_score x (1 + rarity / novelties in the last long points)`, so a changed shape
   alarms even when no single value is extreme, and a series that keeps producing new words
   ranks them lower.

Post-processing, because NAB rewards the earliest detection in a window and charges every
later one as a false positive: nothing is emitted during the probation period (it is only
learnt from), and after an emitted alarm (score >= `alarm`) output is zero for
`suppress x probation` points. `probation` is the only per-series input: NAB gives every
detector the length of its probation period (15 % of the series, at most 750 points).
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product


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


DEFAULT_NAB = NabConfig()


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


def record_score(value: float, ordered: list[float]) -> float:
    """Score of `value` against the sorted history: above 0.5 only for a new record.

    Inside the history it is half the empirical fraction below it; past the largest value it
    is 0.5 + 0.5 (1 - max / value), so the margin of a record ranks records across series.
    """
    top = ordered[-1]
    if value > top:
        return 0.5 + 0.5 * (1.0 - max(top, 1e-9) / value)
    return 0.5 * bisect_left(ordered, value) / len(ordered)


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
        self.low = min(values)
        self.width = max((max(values) - self.low) / self.levels, 1e-9)
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
        self.warmup: list[float] = []
        self.novel_flags: deque[bool] = deque()
        self.novel_count = 0
        self.seen = 0
        self.quiet = 0
        self.previous: float | None = None

    def step(self, value: float) -> float:
        """Learn `value` and return its score in [0, 1]; non-finite values score 0, unlearnt."""
        if not math.isfinite(value):
            return 0.0
        score = max(self._likelihood(value), self._novelty(value))
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
                score = record_score(short_mean, self.record.ordered)
            else:
                score = self.history.tail_score(short_mean)
        self.history.push(surprise)
        self.record.push(short_mean)
        return score

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

    def _learn(self, value: float) -> None:
        for window in self.levels:
            window.push(value)
        if self.previous is not None:
            self.diffs.push(value - self.previous)
        self.previous = value


def score_values(values: list[float], config: NabConfig = DEFAULT_NAB) -> list[float]:
    """Stream `values` through a fresh detector; one score per value."""
    detector = NabDetector(config)
    return [detector.step(value) for value in values]
