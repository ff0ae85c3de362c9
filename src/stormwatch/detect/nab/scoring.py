"""NAB scoring, re-implemented from the published method (Lavin & Ahmad 2015, NAB v1.1).

Contract, step by step:
- The first `probation` part of each series (min(floor(0.15 n), 0.15 * 5000) points) is ignored.
- A point inside a labelled window, if detected, earns tpWeight * S(p) / S(-1), where
  S(p) = 2 / (1 + exp(5 p)) - 1 is the scaled sigmoid and p = -(right - i + 1) / width is the
  relative position; only the best (that is, the earliest) detection in a window counts.
- A window with no detection costs -fnWeight.
- A detection outside every window costs fpWeight * S(q), where q is the distance past the
  preceding window's right edge divided by (its width - 1), or q = 3 (S = -1) with no window
  before it.
- One threshold is optimised over the whole corpus (a detection is a score >= threshold).
- Normalisation: 100 * (raw - null) / (perfect - null), where null is the score of a detector
  that never fires and perfect is tpWeight times the number of labelled anomalies. As in NAB,
  that count comes from the point labels (combined_labels.json) when given: NAB merges
  overlapping windows, so there can be more labels than windows (85 vs 83 in nab-dev).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PROBATION_PERCENT = 0.15


@dataclass(frozen=True)
class Profile:
    name: str
    tp_weight: float
    fp_weight: float
    fn_weight: float


STANDARD_PROFILES = (
    Profile("standard", 1.0, 0.11, 1.0),
    Profile("reward_low_FP_rate", 1.0, 0.22, 1.0),
    Profile("reward_low_FN_rate", 1.0, 0.11, 2.0),
)


@dataclass(frozen=True)
class SweepPoint:
    """One scorable point: its anomaly score, its window (None outside) and unweighted value."""

    anomaly_score: float
    window: str | None
    unweighted: float


@dataclass(frozen=True)
class CorpusScore:
    profile: str
    threshold: float
    raw: float
    null: float
    perfect: float

    @property
    def normalised(self) -> float:
        return 100.0 * (self.raw - self.null) / (self.perfect - self.null)


def load_profiles(path: Path) -> tuple[Profile, ...]:
    """Read NAB's profiles.json (name -> {"CostMatrix": {tpWeight, fpWeight, fnWeight}})."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Profile(name, float(c["tpWeight"]), float(c["fpWeight"]), float(c["fnWeight"]))
        for name, body in data.items()
        for c in [body["CostMatrix"]]
    )


def scaled_sigmoid(position: float) -> float:
    """NAB's S(p): about 0.987 at p = -1, 0 at p = 0, -1 from p = 3 on."""
    if position >= 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


def probation_length(n: int, percent: float = PROBATION_PERCENT) -> float:
    return min(math.floor(percent * n), percent * 5000)


def sweep_series(
    name: str,
    timestamps: Sequence[datetime],
    scores: Sequence[float],
    windows: Sequence[tuple[datetime, datetime]],
) -> list[SweepPoint]:
    """Label every post-probation point with its window and unweighted sweep value.

    In a window the value is the relative TP reward S(p) / S(-1); outside it is S(q) (<= 0),
    to be multiplied by the profile's tpWeight or fpWeight respectively.
    Raises ValueError when a window edge is not one of the timestamps.
    """
    if len(timestamps) != len(scores):
        raise ValueError("timestamps and scores differ in length")
    index = {t: i for i, t in enumerate(timestamps)}
    spans = [(index[a], index[b]) for a, b in windows]
    owner = [-1] * len(timestamps)
    for k, (left, right) in enumerate(spans):
        owner[left : right + 1] = [k] * (right - left + 1)
    max_tp = scaled_sigmoid(-1.0)
    probation = probation_length(len(timestamps))
    points: list[SweepPoint] = []
    prev: tuple[int, int] | None = None
    for i, score in enumerate(scores):
        k = owner[i]
        if k >= 0:
            left, right = spans[k]
            value = scaled_sigmoid(-(right - i + 1) / (right - left + 1)) / max_tp
        else:
            past = 3.0 if prev is None else abs(prev[1] - i) / max(prev[1] - prev[0], 1)
            value = scaled_sigmoid(past)
        if i >= probation:
            window = None if k < 0 else f"{name}|{windows[k][0].isoformat()}"
            points.append(SweepPoint(float(score), window, value))
        if k >= 0 and i == spans[k][1]:
            prev = spans[k]
    return points


def scores_by_threshold(
    points: Sequence[SweepPoint], profile: Profile
) -> list[tuple[float, float]]:
    """(threshold, total score) for every distinct threshold, highest threshold first.

    The first row, threshold 1.1, detects nothing: every window counts as missed.
    """
    ranked = sorted(points, key=lambda p: p.anomaly_score, reverse=True)
    best: dict[str, float] = {p.window: -profile.fn_weight for p in ranked if p.window}
    in_windows = sum(best.values())
    fp_total = 0.0
    rows: list[tuple[float, float]] = []
    threshold = 1.1
    for p in ranked:
        if p.anomaly_score != threshold:
            rows.append((threshold, in_windows + fp_total))
            threshold = p.anomaly_score
        if p.window is None:
            fp_total += p.unweighted * profile.fp_weight
        else:
            gain = p.unweighted * profile.tp_weight
            if gain > best[p.window]:
                in_windows += gain - best[p.window]
                best[p.window] = gain
    rows.append((threshold, in_windows + fp_total))
    return rows


def score_corpus(
    series: Mapping[str, tuple[Sequence[datetime], Sequence[float]]],
    windows: Mapping[str, Sequence[tuple[datetime, datetime]]],
    profile: Profile,
    anomaly_count: int | None = None,
) -> CorpusScore:
    """Optimise one threshold over all series and normalise against null and perfect.

    `anomaly_count` is the number of labelled anomalies (perfect = tpWeight x it); by default
    the number of windows of the scored series.
    """
    points: list[SweepPoint] = []
    null_points: list[SweepPoint] = []
    n_windows = 0
    for name, (timestamps, scores) in series.items():
        spans = windows.get(name, [])
        n_windows += len(spans)
        points.extend(sweep_series(name, timestamps, scores, spans))
        null_points.extend(sweep_series(name, timestamps, [0.0] * len(scores), spans))
    threshold, raw = max(scores_by_threshold(points, profile), key=lambda row: row[1])
    null = max(row[1] for row in scores_by_threshold(null_points, profile))
    perfect = (n_windows if anomaly_count is None else anomaly_count) * profile.tp_weight
    return CorpusScore(profile.name, threshold, raw, null, perfect)
