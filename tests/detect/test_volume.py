import json
from dataclasses import replace
from datetime import timedelta

from stormwatch.detect.detection import Detection
from stormwatch.detect.detectors import volume
from stormwatch.detect.records import Bucket
from stormwatch.detect.synthetic import START_AT, buckets

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def run(stream: list[Bucket], step=volume.step) -> list[Detection]:  # type: ignore[no-untyped-def]
    state = volume.new_state()
    found = []
    for b in stream:
        state, d = step(state, b)
        if d is not None:
            found.append(d)
    return found


def test_it_fires_once_on_a_fivefold_surge_within_five_minutes() -> None:
    onset = START_AT + timedelta(days=3, hours=9, minutes=7)
    stream = list(buckets(base=120, width=MINUTE, days=3.5, surge_at=onset))
    found = run(stream)
    assert len(found) == 1
    d = found[0]
    assert onset < d.detected_at <= onset + timedelta(minutes=5)
    assert d.ratio > 2.5 and d.p_value < 1e-6


def test_the_sequential_test_catches_a_small_surge_no_fixed_window_makes_significant() -> None:
    # About 0.5 mentions a minute at 7:00 Warsaw time, then 5x for half an hour.
    onset = START_AT + timedelta(days=3, hours=6, minutes=7)
    stream = list(buckets(base=20, width=MINUTE, days=3.5, surge_at=onset, seed=1))
    windows_only = replace(volume.SurgeConfig(), cusum_threshold=0.0)
    assert run(stream, lambda s, b: volume.step(s, b, windows_only)) == []
    (found,) = run(stream)
    assert onset < found.detected_at <= onset + timedelta(minutes=10)
    assert found.started_at >= onset - timedelta(minutes=2)
    assert found.observed >= 2.5 * found.expected


def test_a_long_surge_raises_one_detection_even_after_its_episode_closes() -> None:
    onset = START_AT + timedelta(days=2, hours=9, minutes=3)
    stream = list(buckets(base=120, width=MINUTE, days=2.5, surge_at=onset, surge_factor=6))
    assert len(run(stream)) == 1


def test_it_stays_quiet_through_normal_daily_and_weekly_rhythm() -> None:
    assert run(list(buckets(base=120, width=MINUTE, days=6, seed=7))) == []
    assert run(list(buckets(base=120, width=5 * MINUTE, days=21, seed=8))) == []


def test_it_stays_quiet_on_a_quiet_monitor_over_many_days() -> None:
    # A handful of mentions a day (about 4) in 5-minute buckets for 40 days.
    assert run(list(buckets(base=0.17, width=5 * MINUTE, days=40, seed=3))) == []


def test_it_does_not_alarm_during_cold_start() -> None:
    onset = START_AT + timedelta(hours=1)
    assert run(list(buckets(base=120, width=MINUTE, days=0.5, surge_at=onset))) == []


def test_it_never_detects_before_the_data_that_justified_it() -> None:
    onset = START_AT + timedelta(days=3, hours=10)
    stream = list(buckets(base=60, width=MINUTE, days=3.6, surge_at=onset, surge_factor=8))
    for d in run(stream):
        assert d.detected_at >= d.started_at + MINUTE
        assert d.detected_at > onset


def test_it_gives_identical_results_after_a_json_round_trip_mid_stream() -> None:
    onset = START_AT + timedelta(days=3, hours=12)
    stream = list(buckets(base=90, width=MINUTE, days=3.8, surge_at=onset))
    whole = run(stream)
    state = volume.new_state()
    found = []
    for i, b in enumerate(stream):
        if i == len(stream) // 2 or b.start_at == onset:
            state = json.loads(json.dumps(state))
        state, d = volume.step(state, b)
        if d is not None:
            found.append(d)
    assert found == whole and len(whole) == 1


def test_it_holds_alarms_right_after_a_gap_in_the_data() -> None:
    onset = START_AT + timedelta(days=3, hours=10)
    stream = list(buckets(base=120, width=MINUTE, days=3.6, surge_at=onset))
    # Drop an hour before the surge: the backlog right after the outage must not alarm at once.
    cut = [b for b in stream if not (onset - HOUR <= b.start_at < onset)]
    found = run(cut)
    assert all(d.detected_at >= onset + 3 * MINUTE for d in found)


def test_it_detects_a_slow_doubling_over_a_day_on_hourly_buckets() -> None:
    onset = START_AT + timedelta(days=14)
    stream = []
    for b in buckets(base=120, width=HOUR, days=16, seed=5):
        if b.start_at >= onset:
            grow = min((b.start_at - onset) / timedelta(days=1), 1.0)
            b = replace(b, volume=round(b.volume * (1 + grow)))
        stream.append(b)
    found = run(stream, volume.step_build)
    assert len(found) == 1
    assert onset < found[0].detected_at <= onset + timedelta(days=1)


def test_it_keeps_the_slow_detector_quiet_on_normal_weeks() -> None:
    assert run(list(buckets(base=120, width=HOUR, days=28, seed=11)), volume.step_build) == []
