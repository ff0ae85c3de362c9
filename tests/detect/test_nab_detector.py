import math
import random
from pathlib import Path

import pytest

from stormwatch.detect.nab.detector import (
    ContextNovelty,
    NabConfig,
    NabDetector,
    SlidingOrder,
    record_score,
)
from stormwatch.detect.nab.runner import load_windows, read_series, score_series

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "nab-dev"
CONFIG = NabConfig(probation=200)


def noisy(n: int, seed: int = 7) -> list[float]:
    rng = random.Random(seed)
    return [10.0 + rng.gauss(0.0, 1.0) for _ in range(n)]


def run(values: list[float], config: NabConfig = CONFIG) -> list[float]:
    detector = NabDetector(config)
    return [detector.step(v) for v in values]


def test_it_keeps_a_sliding_window_sorted() -> None:
    rng = random.Random(1)
    window = SlidingOrder(50)
    seen: list[float] = []
    for _ in range(300):
        value = rng.choice([rng.random(), 0.5])  # duplicates must be removed one at a time
        window.push(value)
        seen.append(value)
        assert window.ordered == sorted(seen[-50:])


def test_it_ranks_a_new_record_above_half_by_its_margin() -> None:
    history = sorted(float(i) for i in range(1, 101))
    assert record_score(50.0, history) < 0.5
    assert 0.5 < record_score(110.0, history) < record_score(200.0, history) < 1.0


def test_it_never_alarms_during_the_probation_period() -> None:
    values = noisy(400)
    values[100] = 1000.0  # inside probation: learnt from, not reported
    scores = run(values)
    assert all(s == 0.0 for s in scores[:200])


def test_it_alarms_on_a_new_level_and_then_stays_quiet_for_the_suppression() -> None:
    values = noisy(600)
    values[400:] = [v + 50.0 for v in values[400:]]
    scores = run(values, NabConfig(probation=200, suppress=0.5))
    assert max(range(600), key=scores.__getitem__) == 400
    assert scores[400] >= 0.5
    assert all(s == 0.0 for s in scores[401:501])


def test_it_learns_that_a_daily_jump_is_normal() -> None:
    day = [0.0] * 80 + [10.0] * 20  # a square wave: the same jump every 100 points
    scores = run(day * 12, NabConfig(probation=150))
    assert max(scores[500:]) < 0.5


def test_it_flags_a_shape_never_seen_even_inside_the_usual_range() -> None:
    cycle = [5.0 + 5.0 * math.sin(2 * math.pi * i / 50) for i in range(50)]
    fast = [5.0 + 5.0 * math.sin(2 * math.pi * i / 8) for i in range(24)]  # same range, faster
    values = cycle * 10 + fast + cycle * 2
    scores = run(values, NabConfig(probation=150))
    assert max(scores[:500]) < 0.5
    assert max(scores[500:530]) >= 0.5


def test_it_treats_a_word_near_a_known_one_as_known() -> None:
    novelty = ContextNovelty(levels=10, context=3, tolerance=1)
    novelty.fit([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0] * 3)
    assert [novelty.observe(v) for v in (0.0, 1.0, 2.0)] == [False, False, False]
    assert novelty.observe(2.5) is False  # (1, 2, 2) is one level from the known (1, 2, 3)
    assert novelty.observe(9.5) is True  # (2, 2, 9): a jump never seen


def test_it_scores_non_finite_values_zero_without_learning_them() -> None:
    values = noisy(300)
    values[250] = math.nan
    scores = run(values)
    assert scores[250] == 0.0
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_it_detects_the_anomaly_of_a_real_nab_series_without_a_false_alarm() -> None:
    if not DATA.exists():
        pytest.skip("nab-dev corpus not present")
    name = "artificialWithAnomaly/art_daily_jumpsdown.csv"
    series = read_series(DATA / "data" / name, name)
    scores = score_series(series.values)
    ((start, end),) = load_windows(DATA / "combined_windows.json")[name]
    left, right = series.timestamps.index(start), series.timestamps.index(end)
    alarms = [i for i, s in enumerate(scores) if s >= 0.5]
    assert alarms and left <= alarms[0] <= right
