import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stormwatch.cli.eval import main
from stormwatch.detect.buckets import BucketAggregator
from stormwatch.detect.monitor import MONITOR_WIDTHS, new_monitor_state, step_monitor
from stormwatch.detect.records import ScoredMention
from stormwatch.detect.synthetic import START_AT, buckets


def write_series(path: Path, values: list[float]) -> list[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = datetime(2020, 1, 1)
    stamps = [
        (t0 + timedelta(minutes=5 * i)).strftime("%Y-%m-%d %H:%M:%S") for i in range(len(values))
    ]
    with path.open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["timestamp", "value"])
        w.writerows(zip(stamps, values, strict=True))
    return stamps


def test_it_runs_and_scores_a_tiny_nab_corpus_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = [10.0 + (i % 7) * 0.1 for i in range(400)]
    values[300:305] = [90.0] * 5
    stamps = write_series(tmp_path / "data" / "realX" / "a.csv", values)
    write_series(tmp_path / "data" / "artificialNoAnomaly" / "b.csv", values[:250])
    labels = tmp_path / "windows.json"
    labels.write_text(
        json.dumps(
            {
                "realX/a.csv": [[stamps[300] + ".000000", stamps[330]]],
                "artificialNoAnomaly/b.csv": [],
            }
        )
    )
    out = tmp_path / "results"
    code = main(["eval", "nab", str(tmp_path / "data"), "--out", str(out), "--labels", str(labels)])
    assert code == 0
    with (out / "realX" / "a.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 400 and rows[0]["timestamp"] == stamps[0]
    scores = [float(r["anomaly_score"]) for r in rows]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert max(range(400), key=scores.__getitem__) == 300
    printed = capsys.readouterr().out
    assert "standard" in printed and "100.0" in printed
    assert (out / "artificialNoAnomaly" / "b.csv").exists()


def test_it_reports_a_missing_corpus_folder(tmp_path: Path) -> None:
    assert main(["eval", "nab", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2


def test_it_runs_every_detector_of_a_monitor_from_raw_mentions() -> None:
    agg = BucketAggregator("bank", widths=MONITOR_WIDTHS)
    state = new_monitor_state()
    found = []
    onset = START_AT + timedelta(days=2, hours=9, minutes=3)
    for b in buckets(
        base=120, width=timedelta(minutes=1), days=2.5, surge_at=onset, surge_factor=6
    ):
        for k in range(b.volume):
            m = ScoredMention(
                id=f"{b.start_at}-{k}",
                created_at=b.start_at + timedelta(seconds=k * 60 / max(b.volume, 1)),
                sentiment="negative" if k < b.negative else "neutral",
                sentiment_score=0.0,
                reach=100.0,
                platform="x",
                lang="pl",
            )
            for bucket in agg.add(m):
                state, detections = step_monitor(state, bucket)
                found.extend(detections)
        state = json.loads(json.dumps(state))
    surges = [d for d in found if d.kind == "volume_surge"]
    assert len(surges) == 1 and surges[0].detected_at > onset
    assert 1 <= surges[0].severity <= 5
    assert datetime(2026, 1, 1, tzinfo=UTC) < surges[0].started_at


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "America/New_York"])
def test_the_volume_detectors_learn_the_rhythm_in_the_teams_zone(zone: str) -> None:
    state = new_monitor_state()
    onset = START_AT + timedelta(days=2, hours=9, minutes=3)
    stream = buckets(base=120, width=timedelta(minutes=1), days=2.5, surge_at=onset, surge_factor=6)
    found = []
    for bucket in stream:
        state, detections = step_monitor(state, bucket, zone)
        found.extend(detections)
    [surge] = [d for d in found if d.kind == "volume_surge"]
    local = surge.started_at.astimezone(ZoneInfo(zone))
    assert (surge.slot_weekday, surge.slot_hour) == (local.weekday(), local.hour)
