"""`stormwatch import`: streams a file through the pipeline, reports bad rows, never duplicates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stormwatch.cli.main import main
from stormwatch.mentions.models import Mention
from stormwatch.testing import mention_json

pytestmark = pytest.mark.django_db


def _jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    )
    return path


def test_it_imports_jsonl_and_reports_each_bad_line(tmp_path: Path, cast: Any, capsys: Any) -> None:
    source = _jsonl(
        tmp_path / "m.jsonl",
        [
            mention_json("1", "Nordbank ok"),
            "{not json",
            mention_json("2", "x", created_at="soon"),
            mention_json("3", "fine"),
        ],
    )
    errors = tmp_path / "errors.txt"
    code = main(
        [
            "import",
            str(source),
            "--workspace",
            "nordbank",
            "--enrichment",
            "off",
            "--errors",
            str(errors),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "read 4 rows: stored 2, rejected 2" in out
    assert "line 2:" in err and "line 3: created_at:" in err
    assert errors.read_text().count("\n") == 2
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == ["1", "3"]


def test_importing_the_same_file_twice_changes_nothing(
    tmp_path: Path, cast: Any, capsys: Any
) -> None:
    source = _jsonl(tmp_path / "m.jsonl", [mention_json(str(i), f"text {i}") for i in range(30)])
    for _ in range(2):
        assert (
            main(
                [
                    "import",
                    str(source),
                    "--workspace",
                    "nordbank",
                    "--enrichment",
                    "off",
                    "--batch-size",
                    "7",
                ]
            )
            == 0
        )
    assert Mention.objects.count() == 30


def test_it_maps_csv_columns_and_defaults(tmp_path: Path, cast: Any, capsys: Any) -> None:
    source = tmp_path / "export.csv"
    source.write_text(
        "tweet_id;tweet_text;user;date\n"
        "10;Przelew nie doszedł;kasia;2026-11-20 10:00\n"
        "11;Dzięki za szybką pomoc;tomek;2026-11-20 11:30\n",
        encoding="utf-8",
    )
    code = main(
        [
            "import",
            str(source),
            "--workspace",
            "nordbank",
            "--enrichment",
            "off",
            "--map",
            "tweet_id=id",
            "--map",
            "tweet_text=text",
            "--map",
            "user=author.handle",
            "--map",
            "date=created_at",
            "--set",
            "platform=x",
            "--timezone",
            "Europe/Warsaw",
        ]
    )
    assert code == 0, capsys.readouterr().err
    first = Mention.objects.get(external_id="10")
    assert first.platform == "x" and first.author is not None and first.author.handle == "kasia"
    assert first.created_at.isoformat() == "2026-11-20T09:00:00+00:00"


def test_a_bad_mapping_or_workspace_is_a_clear_error(
    tmp_path: Path, cast: Any, capsys: Any
) -> None:
    source = _jsonl(tmp_path / "m.jsonl", [mention_json("1", "x")])
    assert main(["import", str(source), "--workspace", "nope"]) == 2
    assert "no workspace with slug 'nope'" in capsys.readouterr().err
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("a,b\n1,2\n")
    assert main(["import", str(csv_file), "--workspace", "nordbank", "--map", "a=txt"]) == 2
    assert "txt" in capsys.readouterr().err


def test_invalid_utf8_is_reported_and_the_rest_imported(
    tmp_path: Path, cast: Any, capsys: Any
) -> None:
    good = json.dumps(mention_json("ok", "dobry")).encode()
    bad = b'{"id": "bad", "text": "\xff\xfe"}'
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(bad + b"\n" + good + b"\n")
    assert main(["import", str(source), "--workspace", "nordbank", "--enrichment", "off"]) == 0
    err = capsys.readouterr().err
    assert "line 1:" in err and "UTF-8" in err
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["ok"]
