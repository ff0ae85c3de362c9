"""`stormwatch backtest` over a small JSONL and TOML: alerts with their own timestamps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stormwatch.cli.main import main

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)  # a Monday
SURGE_AT = START + timedelta(days=3, hours=10)


def _line(i: int, at: datetime, text: str) -> str:
    item = {
        "id": f"m{i}",
        "platform": "bluesky",
        "text": text,
        "created_at": at.isoformat(),
        "author": {"handle": f"user{i % 40}", "followers": 150},
    }
    return json.dumps(item, ensure_ascii=False)


def _write_inputs(tmp_path: Path) -> tuple[Path, Path]:
    lines: list[str] = []
    at = START
    while at < SURGE_AT + timedelta(hours=2):  # one quiet mention every 20 minutes
        lines.append(_line(len(lines), at, "Nordbank ma nową aplikację, fajnie"))
        at += timedelta(minutes=20)
    for k in range(90):  # then 90 angry ones in ten minutes
        text = "Nordbank awaria, przelew nie działa, oddajcie pieniądze!"
        lines.append(_line(len(lines), SURGE_AT + timedelta(seconds=7 * k), text))
    lines.append("{not json")
    mentions = tmp_path / "mentions.jsonl"
    mentions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monitors = tmp_path / "monitors.toml"
    monitors.write_text("Nordbank = 'nordbank*'\nCompetitor = 'rivalbank'\n", encoding="utf-8")
    return mentions, monitors


def test_the_backtest_writes_the_alert_the_surge_would_have_raised(
    tmp_path: Path, capsys: object
) -> None:
    mentions, monitors = _write_inputs(tmp_path)
    output = tmp_path / "alerts.jsonl"
    code = main(
        ["backtest", "--input", str(mentions), "--monitors", str(monitors), "--output", str(output)]
    )
    assert code == 0
    alerts = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [a["monitor"] for a in alerts] == ["Nordbank"]
    alert = alerts[0]
    started_at = datetime.fromisoformat(alert["started_at"])
    detected_at = datetime.fromisoformat(alert["detected_at"])
    assert SURGE_AT - timedelta(minutes=5) <= started_at <= detected_at
    assert SURGE_AT < detected_at <= SURGE_AT + timedelta(minutes=15)
    assert alert["severity"] >= 2
    assert "Mentions rose to" in alert["explanation"]
    assert "awaria" in alert["explanation"]


def test_a_monitors_file_that_is_not_name_equals_query_is_refused(tmp_path: Path) -> None:
    mentions, _ = _write_inputs(tmp_path)
    monitors = tmp_path / "bad.toml"
    monitors.write_text("Nordbank = 3\n", encoding="utf-8")
    code = main(
        [
            "backtest",
            "--input",
            str(mentions),
            "--monitors",
            str(monitors),
            "--output",
            str(tmp_path / "out.jsonl"),
            "--no-enrich",
        ]
    )
    assert code == 2
