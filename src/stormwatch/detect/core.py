"""Univariate streaming anomaly scorer: the volume detector's generic scoring core.

`core_step(state, value, config) -> (state, score)` turns one observation into an anomaly score
in [0, 1]. It knows nothing about time or seasons; it judges each value against the recent
history of the same series. The state is a plain JSON-serialisable dict, so a stream can be
paused, persisted and resumed with identical results.

Method (chosen on the tuning half of nab-dev, see docs/detection.md):
1. Raw surprise: robust z-scores (median and inter-quartile range over a sliding window) of the
   value and of its first difference; the larger one wins. A value outside the window's range
   gets the distance past the old extreme added, because new levels are what NAB anomalies and
   mention surges have in common.
2. Likelihood: the short-term mean of raw surprise is compared with the distribution of raw
   surprise over a longer window (a Gaussian tail, as in Numenta's anomaly likelihood), so a
   series that is always noisy does not keep alarming.
3. The tail probability is mapped to a score with -log10(tail) / 12, which keeps resolution
   near 1 where float64 `1 - tail` would round to 1.0.
4. Refractory period: after a score above `alarm_score`, later scores are damped for
   `refractory` points: one event should produce one alarm, not a run of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

State = dict[str, Any]


@dataclass(frozen=True)
class CoreConfig:
    """Hyper-parameters, fixed a priori or chosen on the documented tuning split."""

    window: int = 1000
    min_history: int = 40
    short: int = 1
    long: int = 1000
    alarm_score: float = 0.5
    refractory: int = 100
    damping: float = 0.3
    novelty_weight: float = 10.0
    shape: int = 0  # subsequence length for the discord feature; 0 turns it off
    mean_k: int = 0  # length of the recent mean tested for a level shift; 0 turns it off


DEFAULT_CORE = CoreConfig()


def new_core_state() -> State:
    """An empty history: the first `min_history` values score 0."""
    return {"values": [], "diffs": [], "raw": [], "recent": [], "quiet": 0}


def core_step(state: State, value: float, config: CoreConfig = DEFAULT_CORE) -> tuple[State, float]:
    """Score `value` against the history in `state`; return the new state and a score in [0, 1].

    The input state is not mutated. Non-finite values score 0 and are not learnt.
    """
    if not math.isfinite(value):
        return state, 0.0
    values: list[float] = list(state["values"])
    diffs: list[float] = list(state["diffs"])
    raw_hist: list[float] = list(state["raw"])
    recent: list[float] = list(state["recent"])
    quiet = int(state["quiet"])
    score = 0.0
    if len(values) >= config.min_history:
        diff = value - values[-1]
        raw = _raw_surprise(value, values, diff, diffs, config.novelty_weight)
        if config.shape:
            raw = max(raw, _discord(values, value, config.shape))
        if config.mean_k:
            raw = max(raw, _mean_shift(values, value, config.mean_k))
        recent = [*recent, raw][-config.short :]
        if len(raw_hist) >= config.min_history:
            score = _likelihood_score(sum(recent) / len(recent), raw_hist)
        raw_hist = [*raw_hist, raw][-config.long :]
        diffs = [*diffs, diff][-config.window :]
    elif values:
        diffs = [*diffs, value - values[-1]]
    values = [*values, value][-config.window :]
    if quiet > 0:
        score *= config.damping
        quiet -= 1
    elif score >= config.alarm_score:
        quiet = config.refractory
    new_state: State = {"values": values, "diffs": diffs, "raw": raw_hist, "recent": recent}
    new_state["quiet"] = quiet
    return new_state, score


def _raw_surprise(
    value: float, values: list[float], diff: float, diffs: list[float], novelty: float
) -> float:
    ordered = sorted(values)
    level = _robust_z(value, ordered)
    lo, hi = ordered[0], ordered[-1]
    span = max(hi - lo, 1e-9)
    beyond = max(value - hi, lo - value, 0.0) / span
    change = _robust_z(diff, sorted(diffs)) if len(diffs) >= 8 else 0.0
    return max(level, change) + novelty * beyond


def _discord(values: list[float], value: float, length: int) -> float:
    """Distance from the latest subsequence to its nearest earlier one, in robust units.

    This catches a changed shape (a missing daily peak, a flattened cycle) that no single value
    betrays. The scale is the IQR of the history, so the result is comparable to a z-score.
    """
    if len(values) < 4 * length:
        return 0.0
    arr = np.asarray([*values, value], dtype=float)
    current = arr[-length:]
    past = np.lib.stride_tricks.sliding_window_view(arr[:-length], length)
    nearest = float(np.sqrt(np.min(np.mean((past - current) ** 2, axis=1))))
    q1, q3 = np.percentile(arr, [25, 75])
    scale = max(float(q3 - q1) / 1.349, 0.02 * float(np.ptp(arr)), 1e-9)
    return nearest / scale


def _mean_shift(values: list[float], value: float, k: int) -> float:
    """Robust z of the mean of the last k values (this one included), in standard-error units
    halved: a sustained small shift in a noisy series shows here before any single value."""
    recent = [*values[-(k - 1) :], value] if k > 1 else [value]
    ordered = sorted(values)
    n = len(ordered)
    median = ordered[n // 2]
    scale = max(
        (ordered[(3 * n) // 4] - ordered[n // 4]) / 1.349, 0.02 * (ordered[-1] - ordered[0]), 1e-9
    )
    return min(abs(sum(recent) / len(recent) - median) / scale * math.sqrt(len(recent)) / 2, 1e3)


def _robust_z(value: float, ordered: list[float]) -> float:
    """|value - median| / scale, where scale comes from the IQR, floored by the range."""
    n = len(ordered)
    median = ordered[n // 2]
    iqr = ordered[(3 * n) // 4] - ordered[n // 4]
    span = ordered[-1] - ordered[0]
    scale = max(iqr / 1.349, 0.02 * span, 1e-9)
    return min(abs(value - median) / scale, 1e3)


def _likelihood_score(short_mean: float, raw_hist: list[float]) -> float:
    n = len(raw_hist)
    mean = sum(raw_hist) / n
    var = sum((r - mean) ** 2 for r in raw_hist) / max(n - 1, 1)
    std = max(math.sqrt(var), 1e-3 + 0.1 * abs(mean))
    z = (short_mean - mean) / std
    tail = 0.5 * math.erfc(z / math.sqrt(2.0))
    tail = max(tail, 1e-300)
    return min(max(-math.log10(tail) / 12.0, 0.0), 1.0)
