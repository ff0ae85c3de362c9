from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

from stormwatch.importing import open_reader

FILE_BYTES = 50 * 1024 * 1024


def _write_big_jsonl(path: Path) -> int:
    text = "Awaria w Nordbanku, przelewy nie dochodzą. " * 360  # about 16 KB per line
    lines = 0
    with path.open("w", encoding="utf-8") as fp:
        while fp.tell() < FILE_BYTES:
            row = {
                "id": str(lines),
                "platform": "x",
                "text": text,
                "created_at": "2024-05-20T08:00:00Z",
            }
            fp.write(json.dumps(row, ensure_ascii=False) + "\n")
            lines += 1
    return lines


def test_it_reads_a_50_mb_file_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    lines = _write_big_jsonl(path)
    tracemalloc.start()
    try:
        with open_reader(path) as reader:
            count = sum(1 for result in reader if result.ok)
            assert reader.bytes_read == reader.total_bytes == path.stat().st_size
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == lines
    assert peak < 2 * 1024 * 1024  # under 4 % of the file


def test_it_reads_a_csv_with_multiline_cells_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    cell = '"Nie działa przelew, ""znowu""\nod rana"'
    with path.open("w", encoding="utf-8") as fp:
        fp.write("id,platform,text,created_at\n")
        for i in range(5_000):
            fp.write(f"{i},x,{cell},2024-05-20T08:00:00Z\n")
    tracemalloc.start()
    try:
        with open_reader(path) as reader:
            count = sum(1 for result in reader if result.ok)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 5_000
    assert peak < path.stat().st_size / 4
