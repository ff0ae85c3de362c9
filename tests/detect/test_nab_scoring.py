import math
from datetime import UTC, datetime, timedelta

import pytest

from stormwatch.detect.nab.scoring import (
    Profile,
    probation_length,
    scaled_sigmoid,
    score_corpus,
    scores_by_threshold,
    sweep_series,
)

T0 = datetime(2020, 1, 1, tzinfo=UTC)
STANDARD = Profile("standard", 1.0, 0.11, 1.0)


def stamps(n: int) -> list[datetime]:
    return [T0 + timedelta(minutes=5 * i) for i in range(n)]


def test_it_uses_the_published_sigmoid_values() -> None:
    assert scaled_sigmoid(0.0) == 0.0
    assert math.isclose(scaled_sigmoid(-1.0), 2 / (1 + math.exp(-5)) - 1)
    assert math.isclose(scaled_sigmoid(-1.0), 0.98661, abs_tol=1e-5)
    assert math.isclose(scaled_sigmoid(-0.5), 0.84828, abs_tol=1e-5)
    assert scaled_sigmoid(3.0) == -1.0


def test_it_computes_the_probationary_length() -> None:
    assert probation_length(100) == 15
    assert probation_length(10_000) == 750


def test_it_rewards_a_detection_at_the_window_start_with_the_full_tp_weight() -> None:
    # 100 points, probation 15; window [40, 49] (width 10); one detection at 40.
    ts = stamps(100)
    scores = [0.0] * 100
    scores[40] = 1.0
    result = score_corpus({"s": (ts, scores)}, {"s": [(ts[40], ts[49])]}, STANDARD)
    assert math.isclose(result.raw, 1.0)
    assert result.null == -1.0 and result.perfect == 1.0
    assert math.isclose(result.normalised, 100.0)


def test_it_scores_a_late_detection_by_the_scaled_sigmoid_of_its_position() -> None:
    ts = stamps(100)
    scores = [0.0] * 100
    scores[45] = 1.0  # position -(49 - 45 + 1) / 10 = -0.5
    result = score_corpus({"s": (ts, scores)}, {"s": [(ts[40], ts[49])]}, STANDARD)
    assert math.isclose(result.raw, scaled_sigmoid(-0.5) / scaled_sigmoid(-1.0))


def test_it_counts_only_the_first_detection_in_a_window() -> None:
    ts = stamps(100)
    scores = [0.0] * 100
    for i in (42, 44, 48):
        scores[i] = 1.0
    points = sweep_series("s", ts, scores, [(ts[40], ts[49])])
    rows = scores_by_threshold(points, STANDARD)
    expected = scaled_sigmoid(-(49 - 42 + 1) / 10) / scaled_sigmoid(-1.0)
    assert math.isclose(dict(rows)[1.0], expected)


def test_it_weights_false_positives_by_distance_from_the_preceding_window() -> None:
    ts = stamps(100)
    scores = [0.0] * 100
    scores[20] = 1.0  # before any window: full -fpWeight
    scores[54] = 1.0  # 5 points past the right edge 49 of a width-10 window: q = 5 / 9
    windows = [(ts[40], ts[49])]
    rows = dict(scores_by_threshold(sweep_series("s", ts, scores, windows), STANDARD))
    assert math.isclose(rows[1.0], -1.0 + 0.11 * (-1.0 + scaled_sigmoid(5 / 9)))
    result = score_corpus({"s": (ts, scores)}, {"s": windows}, STANDARD)
    assert result.threshold == 1.1  # detecting nothing beats two false positives and a miss


def test_it_ignores_detections_in_the_probationary_period() -> None:
    ts = stamps(100)
    scores = [0.0] * 100
    scores[5] = 1.0
    result = score_corpus({"s": (ts, scores)}, {"s": []}, STANDARD)
    assert result.raw == 0.0


def test_it_optimises_one_threshold_over_the_corpus() -> None:
    ts = stamps(100)
    a = [0.0] * 100
    b = [0.0] * 100
    a[40], b[40], b[70] = 0.9, 0.6, 0.7  # b[70] is a false positive scoring above b's hit
    windows = {"a": [(ts[40], ts[49])], "b": [(ts[40], ts[49])]}
    result = score_corpus({"a": (ts, a), "b": (ts, b)}, windows, STANDARD)
    # Threshold 0.6 catches both windows at the cost of one FP 21 points past b's window.
    assert result.threshold == 0.6
    assert math.isclose(result.raw, 2.0 + 0.11 * scaled_sigmoid(21 / 9))


def test_it_rejects_windows_whose_edges_are_not_timestamps() -> None:
    ts = stamps(10)
    with pytest.raises(KeyError):
        sweep_series("s", ts, [0.0] * 10, [(T0 - timedelta(days=1), ts[3])])


def test_it_normalises_against_the_labelled_anomaly_count_when_windows_were_merged() -> None:
    ts = stamps(100)
    scores = [0.0] * 100
    scores[40] = 1.0
    result = score_corpus({"s": (ts, scores)}, {"s": [(ts[40], ts[49])]}, STANDARD, 2)
    assert result.perfect == 2.0
    assert math.isclose(result.normalised, 100.0 * 2.0 / 3.0)
