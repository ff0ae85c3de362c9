import math
import random
from datetime import UTC, datetime, timedelta
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
from stormwatch.detect.nab.seasonal import SeasonalContext, points_per_day

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "nab-dev"
CONFIG = NabConfig(probation=200)


def noisy(n: int, seed: int = 7) -> list[float]:
    rng = random.Random(seed)
    return [10.0 + rng.gauss(0.0, 1.0) for _ in range(n)]


def run(values: list[float], config: NabConfig = CONFIG) -> list[float]:
    detector = NabDetector(config)
    return [detector.step(v) for v in values]


def hourly(n: int) -> list[datetime]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [start + timedelta(hours=i) for i in range(n)]


def run_timed(values: list[float], config: NabConfig = CONFIG) -> list[float]:
    detector = NabDetector(config)
    return [detector.step(v, at) for v, at in zip(values, hourly(len(values)), strict=True)]


def daily_rhythm(days: int, seed: int = 3) -> list[float]:
    """Hourly values: busy by day, quiet by night, with a little noise."""
    rng = random.Random(seed)
    return [
        10.0 + 8.0 * math.sin(2 * math.pi * (i % 24) / 24) + rng.gauss(0.0, 0.3)
        for i in range(24 * days)
    ]


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


def test_a_near_record_scores_the_alarm_level_only_with_slack() -> None:
    history = sorted(float(i) for i in range(1, 101))
    assert record_score(95.0, history) < 0.5  # only a new record alarms by default
    assert record_score(95.0, history, slack=0.1) == 0.5  # within 10 % of the maximum 100
    assert record_score(95.0, history, slack=0.1, near=0.49) == 0.49
    assert record_score(85.0, history, slack=0.1) == record_score(85.0, history)
    assert record_score(120.0, history, slack=0.1) == record_score(120.0, history)


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


def test_it_counts_the_points_of_a_day_from_the_sampling_step() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    assert points_per_day(start, start + timedelta(minutes=5)) == 288
    assert points_per_day(start, start + timedelta(hours=1)) == 24
    assert points_per_day(start, start + timedelta(minutes=7)) == 0  # not a whole day
    assert points_per_day(start, start) == 0


def test_it_compares_the_recent_level_with_the_same_hour_of_earlier_days() -> None:
    context = SeasonalContext(day=24, smooth=24)  # no smoothing: one value per level
    values = daily_rhythm(4, seed=1)
    deviations = [context.deviation(v) for v in values[:-1]]
    assert all(d is None for d in deviations[: 3 * 24])
    assert context.deviation(values[-1] + 20.0) == pytest.approx(20.0, abs=1.5)


def test_it_alarms_on_a_day_unlike_the_earlier_ones_only_with_timestamps() -> None:
    values = daily_rhythm(40)
    quiet_day = range(30 * 24, 31 * 24)  # a holiday: flat at the usual mean, never extreme
    for i in quiet_day:
        values[i] = 10.0 + random.Random(i).gauss(0.0, 0.3)
    config = NabConfig(probation=300)
    timed = run_timed(values, config)
    assert max(timed[20 * 24 : quiet_day.start]) < 0.5  # ordinary days, once learnt
    assert max(timed[quiet_day.start : quiet_day.stop]) >= 0.5
    assert max(run(values, config)[quiet_day.start : quiet_day.stop]) < 0.5


def test_it_ignores_the_seasonal_context_of_a_series_with_no_rhythm() -> None:
    values = noisy(24 * 40)
    assert run_timed(values) == run(values)


@pytest.mark.parametrize("slack", [0.0, 0.1])
def test_a_score_does_not_change_when_later_values_change(slack: float) -> None:
    values = daily_rhythm(20)
    later = values[:300] + [v * 3.0 + 50.0 for v in values[300:]]
    config = NabConfig(probation=150, record_slack=slack)
    assert run_timed(values, config)[:300] == run_timed(later, config)[:300]


def test_the_same_stream_always_gets_the_same_scores() -> None:
    values = daily_rhythm(20, seed=9)
    values[400] += 40.0
    config = NabConfig(probation=150)
    first = run_timed(values, config)
    assert first == run_timed(values, config)
    assert max(first) >= 0.5
