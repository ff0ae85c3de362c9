"""Shape novelty by adaptive resonance (the ARTime idea), a signal for the NAB detector.

The series is cut into blocks of `step` points (the step follows from the probation length,
so that every series sees about `windows_per_probation` feature windows during probation);
each block is represented by its extreme point (or its mean when the extreme is within 10 % of
it), scaled to [0, 1] by NAB's inputMin / inputMax, quantised, and snapped to the running
median level when it is close to it (small wobbles around the usual level are one shape). A
feature vector is the last `window` block values plus the Haar transform of that window
stretched to [0, 1] (its shape, whatever its level), complement-coded.

A dual-vigilance fuzzy ART network learns categories of feature vectors: a vector that matches
a category at least `rho_ub` refines it; one that matches only at least `rho_lb` starts a new
category in the nearest category's cluster; one that matches no category even `rho_lb` starts
a new cluster: an anomaly. The vigilances are set from the probation period (the mean best
match of its windows) and keep adapting: `rho_ub` follows the mean best match, `rho_lb` creeps
up towards the worst recent match while nothing is anomalous and down after mismatches, never
below the mean match of past anomalies. After an anomaly (and while new clusters keep
forming) further anomalies are masked unless they match clearly worse than the last one.

The match of a vector against a category is ARTime's: (|x ^ w| / |w|)^3 times the squared
match of the newest block value alone ("energy"), so a window whose latest value is unlike the
category's counts as a worse match than one that differs only further back.

Everything is causal: a block is scored when its last point arrives.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float64]

RHO_CAP = 0.97  # the upper vigilance never asks for more than this match
LEARN_RHO = 0.8  # vigilance of the probation pass that sets the initial vigilance
SPIKE = 0.1  # a block's extreme replaces its mean only when at least this far from it (relative)
SNAP = 0.075  # block values within this of the running median level are snapped to it
RHO_CREEP = 0.19  # share of the gap to the worst recent match that rho_lb moves up per update
RHO_DROP_FLOOR = 0.05  # mismatches under this do not lower rho_lb
RHO_DROP_CAP = 0.37  # largest mismatch counted when lowering rho_lb
MASK_WINDOWS = 1.5  # masking period after an anomaly, in feature windows


def haar(values: Vector) -> Vector:
    """Full orthonormal Haar transform, approximation first (same length as `values`).

    At a level of odd length the last value passes on to the next level unchanged.
    """
    out = values.astype(np.float64)
    details: list[Vector] = []
    while len(out) > 1:
        even = len(out) - len(out) % 2
        pairs = out[:even].reshape(-1, 2)
        details.append((pairs[:, 0] - pairs[:, 1]) / math.sqrt(2.0))
        out = np.concatenate([(pairs[:, 0] + pairs[:, 1]) / math.sqrt(2.0), out[even:]])
    return np.concatenate([out, *reversed(details)])


@lru_cache(maxsize=8)
def haar_matrix(length: int) -> Vector:
    """The Haar transform as a matrix: `haar_matrix(len(v)) @ v == haar(v)`."""
    return np.column_stack([haar(column) for column in np.eye(length)])


def stretch(values: Vector) -> Vector:
    """Shift and scale to [0, 1] (all zeros when constant)."""
    low = values - values.min()
    top = low.max()
    return low / top if top > 0 else low


@dataclass(frozen=True)
class Resonance:
    """Outcome of presenting one vector: best match, its energy part, whether a new cluster."""

    similarity: float
    energy: float
    new_cluster: bool


class DualVigilanceArt:
    """Dual-vigilance fuzzy ART over complement-coded vectors with fast learning (w <- x ^ w)."""

    def __init__(self, dim: int, rho_lb: float, rho_ub: float) -> None:
        self.dim = dim  # length of the complement-coded vector
        self.rho_lb = rho_lb
        self.rho_ub = rho_ub
        self.clusters: list[int] = []
        self.n_clusters = 0
        # Rows [0, len) are the categories; the buffer doubles when full. |w| and the energy
        # part of |w| (the newest raw feature and its complement) are kept per category.
        self.buffer = np.ones((16, dim))
        self.sizes = np.ones(16)
        self.energy_sizes = np.ones(16)
        self.energy_at = [dim // 2 - 1, dim - 1]
        self.ones = np.ones(dim)

    def __len__(self) -> int:
        return len(self.clusters)

    def present(self, features: Vector, learn: bool = True) -> Resonance:
        """Match `features` (in [0, 1], not complement-coded) and learn them when `learn`."""
        x = np.concatenate([features, 1.0 - features])
        n = len(self.clusters)
        if not n:
            if learn:
                self._commit(x, cluster=None)
            return Resonance(0.0, 0.0, new_cluster=False)
        weights = self.buffer[:n]
        covered = np.minimum(weights, x)
        newest, complement = self.energy_at
        energy = (covered[:, newest] + covered[:, complement]) / self.energy_sizes[:n]
        coverage = (covered @ self.ones) / self.sizes[:n]  # a row sum, faster as a product
        match = coverage * coverage * coverage * energy * energy
        best = int(match.argmax())
        top = float(match[best])
        resonance = Resonance(top, float(energy[best]), new_cluster=False)
        if not learn:
            return resonance
        if top >= self.rho_ub:
            # Every category that resonates learns (fast learning, as in ARTime).
            rows = np.flatnonzero(match >= self.rho_ub)
            self._set(rows, covered[rows])
            return resonance
        if top >= self.rho_lb:
            self._commit(x, cluster=self.clusters[best])
            return resonance
        self._commit(x, cluster=None)
        return Resonance(top, resonance.energy, new_cluster=True)

    def _set(self, rows: NDArray[np.intp] | int, weights: Vector) -> None:
        """Store category weights (one row or several) and their cached sizes."""
        self.buffer[rows] = weights
        self.sizes[rows] = np.maximum(weights.sum(axis=-1), 1e-3)
        self.energy_sizes[rows] = np.maximum(weights[..., self.energy_at].sum(axis=-1), 1e-9)

    def _commit(self, x: Vector, cluster: int | None) -> None:
        row = len(self.clusters)
        if row == len(self.buffer):
            self.buffer = np.vstack([self.buffer, np.ones_like(self.buffer)])
            self.sizes = np.concatenate([self.sizes, np.ones_like(self.sizes)])
            self.energy_sizes = np.concatenate([self.energy_sizes, np.ones_like(self.sizes)])
        self._set(row, x)
        if cluster is None:
            self.n_clusters += 1
            cluster = self.n_clusters
        self.clusters.append(cluster)


class RunningMedianLevel:
    """Median of every level seen so far, from a histogram of the levels."""

    def __init__(self, levels: int) -> None:
        self.counts = np.zeros(levels + 1, dtype=np.int64)
        self.total = 0

    def add(self, level: int) -> int:
        self.counts[level] += 1
        self.total += 1
        return int(np.searchsorted(np.cumsum(self.counts), (self.total + 1) // 2))


class ArtNovelty:
    """Streaming ARTime-style detector: `step(value)` returns its anomaly confidence in [0, 1].

    `probation` points are learnt from (in one pass when they end) and never scored.
    `bounds` is NAB's (inputMin, inputMax); without it the probation range is used and later
    values are clipped to it. `unresonant` tells whether the last completed block started a
    new cluster, masked or not (for gating another signal on it).
    """

    def __init__(
        self,
        probation: int,
        bounds: tuple[float, float] | None = None,
        window: int = 8,
        windows_per_probation: int = 13,
        levels: int = 80,
    ) -> None:
        self.window = window
        self.levels = levels
        self.step_size = max(1, probation // (window * windows_per_probation))
        self.trend = max(probation // self.step_size, 2 * window)  # blocks in probation
        self.mask = round(MASK_WINDOWS * window)
        self.bounds = bounds
        self.block: deque[float] = deque(maxlen=self.step_size)
        self.block_average: float | None = None
        self.block_values: list[float] = []  # raw block values until the bounds are fixed
        self.recent: deque[float] = deque(maxlen=window)
        self.median = RunningMedianLevel(levels)
        self.probation_features: list[Vector] = []
        self.latest = np.zeros(2 * window)  # features of the newest complete window
        self.haar = haar_matrix(window)
        self.art = DualVigilanceArt(4 * window, LEARN_RHO, LEARN_RHO)
        self.blocks = 0  # completed blocks
        self.points = 0
        self.unresonant = False
        # Vigilance adaptation and masking state.
        self.match_total = 0.0
        self.match_count = 0
        self.recent_matches: deque[float] = deque([1.0] * (self.trend // 2 + 1))
        self.mismatches: deque[float] = deque([0.0] * (self.trend + 1))
        self.anomaly_matches: list[float] = []
        self.last_anomaly = 0
        self.last_anomaly_match = 0.0
        self.last_update = 0
        self.mask_after_cluster = False
        self.calm = 0  # blocks since the last new cluster

    def step(self, value: float) -> float:
        """Learn `value`; a confidence > 0 only at the end of a block judged anomalous."""
        self.points += 1
        self.block.append(value)
        self.unresonant = False
        if self.points % self.step_size:
            return 0.0
        return self._block(self._represent())

    def _represent(self) -> float:
        """A block's value: its extreme farther from the running block average, or its mean."""
        block = self.block
        mean = sum(block) / len(block)
        average = mean if self.block_average is None else self.block_average
        self.block_average = (average + mean) / 2.0
        top, bottom = max(block), min(block)
        extreme = (
            bottom if abs(top - self.block_average) < abs(bottom - self.block_average) else top
        )
        return extreme if abs(extreme - mean) >= SPIKE * abs(mean) else mean

    def _block(self, raw: float) -> float:
        self.blocks += 1
        if self.bounds is None and self.blocks <= self.trend:
            self.block_values.append(raw)
            if self.blocks < self.trend:
                return 0.0
            self.bounds = (min(self.block_values), max(self.block_values))
            values, self.block_values = self.block_values, []
            for held in values:
                self._features(held)
        else:
            self._features(raw)
        if self.blocks < self.trend:
            return 0.0
        if self.blocks == self.trend:
            self._learn_probation()
            return 0.0
        return self._detect(self.latest)

    def _features(self, raw: float) -> None:
        """Scale, quantise and snap one block value; queue the window's features if complete."""
        assert self.bounds is not None
        low, high = self.bounds
        scaled = (raw - low) / (high - low) if high > low else 0.0
        level = min(max(round(scaled * self.levels), 0), self.levels)
        median = self.median.add(level)
        scaled = level / self.levels
        if abs(scaled - median / self.levels) < SNAP:
            scaled = median / self.levels
        self.recent.append(scaled)
        if len(self.recent) == self.window:
            values = np.fromiter(self.recent, dtype=np.float64, count=self.window)
            self.latest = np.concatenate([stretch(self.haar @ stretch(values)), values])
            if self.blocks <= self.trend:
                self.probation_features.append(self.latest)

    def _learn_probation(self) -> None:
        """Set the vigilance from the probation windows, then learn them in arrival order."""
        features = self.probation_features
        self.probation_features = []
        if not features:
            return
        rho = initial_vigilance(features, self.window)
        self.art.rho_lb = self.art.rho_ub = rho
        for offset, vector in enumerate(features):
            self._detect(vector, index=self.window + offset)

    def _detect(self, features: Vector, index: int | None = None) -> float:
        """Present one window; its confidence when it is an unmasked new cluster, else 0."""
        i = self.blocks if index is None else index
        scoring = i > self.trend
        since = i - self.last_anomaly
        if i > self.trend + self.mask and self.mask_after_cluster and self.calm >= self.mask:
            self.mask_after_cluster = False
        resonance = self.art.present(features)
        self.calm = 0 if resonance.new_cluster else self.calm + 1
        self.unresonant = scoring and resonance.new_cluster
        match = resonance.similarity
        self.match_total += match
        self.match_count += 1
        self.recent_matches.append(match)
        self.recent_matches.popleft()
        self.mismatches.append(self.art.rho_ub - match)
        self.mismatches.popleft()
        if since < self.mask and self.anomaly_matches:
            self.anomaly_matches[-1] = min(self.anomaly_matches[-1], match)
        masked_by_anomaly = since <= self.mask
        masked = self.mask_after_cluster or masked_by_anomaly
        clearly_worse = match < self.last_anomaly_match * (0.9 if masked_by_anomaly else 0.7)
        confidence = 0.0
        if scoring and resonance.new_cluster and (not masked or clearly_worse):
            confidence = self._confidence(resonance)
            self.anomaly_matches.append(match)
            self.last_anomaly_match = match
            self.last_anomaly = i
        self.mask_after_cluster = self.mask_after_cluster or resonance.new_cluster
        if scoring and (since == self.mask or i - self.last_update >= self.trend // 2):
            self._adapt(i)
        return confidence

    def _confidence(self, resonance: Resonance) -> float:
        """How far the best match fell below both vigilances, plus the newest value's mismatch."""
        match = min(resonance.similarity, 0.999)
        upper = (self.art.rho_ub - match) / (1.0 - match)
        lower = (self.art.rho_lb - match) / (1.0 - match)
        return min(max(0.35 * upper + 0.65 * lower + 1.5 * (1.0 - resonance.energy), 0.0), 1.0)

    def _adapt(self, i: int) -> None:
        """Move the vigilances with the recent matches (see the module docstring)."""
        rho_ub = min(RHO_CAP, self.match_total / max(self.match_count, 1))
        rho_lb = self.art.rho_lb
        worst = min(self.recent_matches)
        if rho_lb <= worst:
            rho_lb += (worst - rho_lb) * RHO_CREEP
        else:
            drop = 0.0
            if i > 2 * self.trend:
                gaps = [min(g, RHO_DROP_CAP) for g in self.mismatches if g > RHO_DROP_FLOOR]
                drop = sum(gaps) / len(gaps) if gaps else 0.0
            rho_lb -= max(0.01, drop) / 2.0
            if self.anomaly_matches:
                rho_lb = max(sum(self.anomaly_matches) / len(self.anomaly_matches), rho_lb)
        self.art.rho_lb = min(rho_ub, rho_lb)
        self.art.rho_ub = rho_ub
        self.last_update = i
        self.mask_after_cluster = True


def initial_vigilance(features: list[Vector], window: int) -> float:
    """Mean best match of the later half of the probation windows, learnt least typical first."""
    matrix = np.vstack(features)
    norms = np.linalg.norm(matrix, axis=1)
    safe = np.where(norms > 0, norms, 1.0)
    cosine = (matrix @ matrix.T) / np.outer(safe, safe)
    np.fill_diagonal(cosine, 1.0)
    order = np.argsort(cosine.sum(axis=0), kind="stable")
    art = DualVigilanceArt(4 * window, LEARN_RHO, LEARN_RHO)
    matches = [art.present(matrix[k]).similarity for k in order]
    half = len(matches) // 2
    return float(np.mean(matches[half:])) if matches[half:] else LEARN_RHO
