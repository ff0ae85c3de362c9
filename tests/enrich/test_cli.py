import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stormwatch.cli.enrich import main

GOOD = [
    {
        "id": "1",
        "text": "Aplikacja znowu nie działa, rezygnuję!",
        "platform": "x",
        "author": {"handle": "ola", "followers": 1200},
        "metrics": {"likes": 3},
    },
    {"id": 2, "text": "", "lang": "pl"},
    {"id": "3", "text": "RT @ola: Aplikacja znowu nie działa, rezygnuję!"},
]


def write_input(path: Path, extra: list[bytes]) -> None:
    lines = [json.dumps(item, ensure_ascii=False).encode() for item in GOOD] + extra
    path.write_bytes(b"\n".join(lines) + b"\n")


def read_output(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_it_enriches_a_file_and_skips_bad_lines_with_their_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    big = json.dumps({"id": "big", "text": "słowo " * 16_000}).encode()
    write_input(
        source,
        [
            b"{not json",  # line 4
            b'{"text": "no id here"}',  # line 5
            b'{"id": "7", "text": 42}',  # line 6
            b'{"id": "8", "text": "\xff\xfe broken utf-8"}',  # line 7
            b"",  # blank: ignored
            big,  # line 9: a ~100 KB text is fine
            json.dumps({"id": "x", "text": "a" * 100_001}).encode(),  # line 10: over the limit
            b"[1, 2]",  # line 11
            b'{"id": "huge", "text": "' + b"\\u0105" * 120_000 + b'"}',  # line 12: 720 KB
            b"\x00\x01\x02\xff\xfe garbage",  # line 13
            json.dumps({"id": "last", "text": "still read after all that"}).encode(),
        ],
    )
    code = main(
        [
            "enrich",
            "--input",
            str(source),
            "--output",
            str(target),
            "--langs",
            "pl,en",
            "--batch-size",
            "2",
            "--no-progress",
        ]
    )
    assert code == 0
    rows = read_output(target)
    assert [row["id"] for row in rows] == ["1", "2", "3", "big", "last"]
    assert rows[1]["lang"] == "und" and rows[1]["sentiment"] == "neutral"
    assert rows[2]["duplicate_of"] == "1"
    assert "churn_threat" in rows[0]["intents"]
    expected_keys = {
        "id",
        "lang",
        "lang_confidence",
        "sentiment",
        "sentiment_score",
        "intents",
        "emotions",
        "duplicate_of",
        "narrative",
        "narrative_label",
        "reach",
        "enrichers",
    }
    assert set(rows[0]) == expected_keys
    err = capsys.readouterr().err
    for number, reason in [
        (4, "not JSON"),
        (5, "id: is required"),
        (6, "text: expected a string"),
        (7, "not valid UTF-8"),
        (10, "text: is 100001 characters; the limit is 100000"),
        (11, "expected a JSON object"),
        (12, "line is longer than"),
        (13, "not valid UTF-8"),
    ]:
        assert f"line {number}: skipped: {reason}" in err
    assert "read 13, written 5, skipped 8" in err


def test_it_fails_with_a_message_when_the_input_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "enrich",
            "--input",
            str(tmp_path / "missing.jsonl"),
            "--output",
            str(tmp_path / "out.jsonl"),
        ]
    )
    assert code == 2
    assert "cannot read" in capsys.readouterr().err


def test_it_runs_as_a_command_with_a_progress_bar_on_stderr(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    # English only, so the child process does not pay for loading the Polish lemma table.
    english = ["The app is down again", "RT @a: The app is down again", "Thanks for the fix!"]
    source.write_text(
        "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(english))
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "stormwatch.cli.enrich",
            "enrich",
            "--input",
            str(source),
            "--output",
            str(target),
            "--tier",
            "fast",
            "--langs",
            "en",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "read 3, written 3, skipped 0" in result.stderr
    assert "100%|" in result.stderr  # tqdm's bar, sized by the input file's bytes
    rows = read_output(target)
    assert [row["duplicate_of"] for row in rows] == [None, "0", None]
