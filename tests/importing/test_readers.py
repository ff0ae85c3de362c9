from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from stormwatch.demo import DemoScenario
from stormwatch.importing import (
    ImportFileError,
    MappingError,
    ReadResult,
    open_reader,
    parse_mapping,
    write_jsonl,
)

GOOD = {
    "id": "1",
    "platform": "x",
    "text": "Nie działa przelew",
    "created_at": "2024-05-20T10:00:00+02:00",
}


def _read(path: Path, **kwargs: object) -> list[ReadResult]:
    with open_reader(path, **kwargs) as reader:  # type: ignore[arg-type]
        return list(reader)


def _line(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode() + b"\n"


def test_it_reads_back_what_it_exports(tmp_path: Path) -> None:
    start_at = datetime(2024, 5, 6, tzinfo=UTC)
    mentions = list(
        DemoScenario(start_at=start_at).generate(start_at, start_at + timedelta(days=1))
    )
    path = tmp_path / "mentions.jsonl"
    with path.open("w", encoding="utf-8") as fp:
        assert write_jsonl(mentions, fp) == len(mentions)
    results = _read(path)
    assert [r.mention for r in results] == mentions
    assert "ł" in path.read_text(encoding="utf-8")  # Polish stays readable, not \u-escaped


def test_it_reports_each_bad_jsonl_line_and_carries_on(tmp_path: Path) -> None:
    path = tmp_path / "bad.ndjson"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + _line(GOOD)  # 1: with a byte order mark
        + b"\n   \n"  # 2, 3: blank
        + b'{"id": "2", "platform": \n'  # 4: broken JSON
        + b'{"id": "3", "text": "z\xc5\x82y \xff bajt"}\n'  # 5: invalid UTF-8
        + _line({**GOOD, "id": "x" * 300, "text": "a" * 2000})  # 6: longer than the cap
        + _line({**GOOD, "created_at": "2024-05-20 10:00"})  # 7: no offset
        + _line([1, 2])  # 8: not an object
        + _line({**GOOD, "created_at": "0001-01-01T00:00:00+01:00"})  # 9: out of range
        + b"[" * 5000
        + b"\n"  # 10: absurd nesting
        + _line({**GOOD, "id": "last"})  # 11
    )
    results = _read(path, max_line_bytes=1024)
    by_line = {r.line_number: r for r in results}
    assert sorted(by_line) == [1, 4, 5, 6, 7, 8, 9, 10, 11]
    assert by_line[1].ok and by_line[11].mention and by_line[11].mention.id == "last"
    assert "not valid JSON" in by_line[4].describe()
    assert "invalid UTF-8 at byte offset" in by_line[5].describe()
    assert "longer than 1,024 bytes" in by_line[6].describe()
    assert by_line[7].describe() == "line 7: created_at: needs a UTC offset, such as +00:00 or Z"
    assert by_line[8].errors[0].field == "(item)"
    assert by_line[9].errors[0].field == "created_at"
    assert not by_line[10].ok


def test_it_gives_the_exact_byte_offset_of_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bytes.jsonl"
    first = _line(GOOD)
    path.write_bytes(first + b'{"text": "ab\xff"}\n')
    bad = _read(path)[1]
    assert bad.line_number == 2
    assert f"byte offset {len(first) + 12}" in bad.describe()  # 0-based: the 13th byte
    assert bad.byte_offset == len(first)


def test_it_maps_csv_columns_to_fields(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "tweet_id,tweet_text,user,followers,likes,date,source\n"
        '17,"Nordbank, serio? ""awaria"" znowu",kasia_k,"1,234",1.2K,2024-05-20T08:00:00Z,x\n',
        encoding="utf-8",
    )
    mapping = parse_mapping(
        ["tweet_id=id", "tweet_text=text", "user=author.handle", "followers=author.followers",
         "likes=metrics.likes", "date=created_at", "source=platform"]
    )  # fmt: skip
    [result] = _read(path, mapping=mapping)
    mention = result.mention
    assert mention is not None and mention.text == 'Nordbank, serio? "awaria" znowu'
    assert mention.author is not None and mention.author.followers == 1234
    assert mention.metrics == {"likes": 1200}
    assert mention.created_at == datetime(2024, 5, 20, 8, tzinfo=UTC)


def test_it_reads_polish_excel_csv_with_naive_local_times(tmp_path: Path) -> None:
    path = tmp_path / "eksport.csv"
    path.write_bytes(
        "\ufeffid;platform;text;created_at;metrics.views\n"
        "a1;facebook;Świetna obsługa;2024-01-15 12:30:00;12 500\n".encode()
    )
    [result] = _read(path, default_tz=ZoneInfo("Europe/Warsaw"))
    assert result.mention is not None
    assert result.mention.created_at == datetime(2024, 1, 15, 11, 30, tzinfo=UTC)
    assert result.mention.metrics == {"views": 12500}
    [strict] = _read(path)
    assert strict.errors[0].field == "created_at"


def test_it_reports_each_bad_csv_row_and_carries_on(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b"id,platform,text,created_at,author.followers\n"  # 1
        b"1,x,ok,2024-05-20T08:00:00Z,10\n"  # 2
        b"2,x,too,many,columns,here\n"  # 3
        b"\n"  # 4
        b'3,x,"two\nlines",2024-05-20T08:00:00Z,\n'  # 5-6: a quoted line break is fine
        b'4,x,"never closed,2024-05-20T08:00:00Z,\n'  # 7: unterminated quote
        b"5,x,\xff,2024-05-20T08:00:00Z,\n"  # 8: invalid UTF-8
        b"6,x,ok,2024-05-20T08:00:00Z,lots\n"  # 9: not a number
        b"7,x," + b"a" * 3000 + b",2024-05-20T08:00:00Z,\n"  # 10: longer than the cap
        b"8,x,last,2024-05-20T08:00:00Z,\n"  # 11
    )
    results = _read(path, max_line_bytes=1024)
    by_line = {r.line_number: r for r in results}
    assert sorted(by_line) == [2, 3, 5, 7, 8, 9, 10, 11]
    assert by_line[3].describe() == "line 3: (row): has 6 columns; the header has 5"
    assert by_line[5].mention is not None and by_line[5].mention.text == "two\nlines"
    assert "unterminated quoted field" in by_line[7].describe()
    assert "invalid UTF-8" in by_line[8].describe()
    assert by_line[9].describe() == "line 9: author.followers: 'lots' is not a whole number"
    assert "longer than" in by_line[10].describe()
    assert by_line[11].mention is not None and by_line[11].mention.id == "8"


def test_it_reads_gzipped_files_and_reports_progress_in_file_bytes(tmp_path: Path) -> None:
    path = tmp_path / "mentions.jsonl.gz"
    with gzip.open(path, "wb") as fp:
        for i in range(2000):
            fp.write(_line({**GOOD, "id": str(i)}))
    with open_reader(path) as reader:
        assert reader.total_bytes == path.stat().st_size
        assert reader.bytes_read == 0
        count = sum(1 for r in reader if r.ok)
        assert reader.bytes_read == reader.total_bytes
    assert count == 2000


def test_it_explains_a_mapping_it_cannot_use(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"Did you mean 'author.handle'.*Valid fields: id, "):
        parse_mapping(["user=author.hande"])
    with pytest.raises(MappingError, match="COLUMN=FIELD"):
        parse_mapping(["tweet_text"])
    with pytest.raises(MappingError, match="two columns"):
        parse_mapping(["a=text", "b=text"])
    path = tmp_path / "e.csv"
    path.write_text("id,body,when\n1,hi,2024-05-20T08:00:00Z\n", encoding="utf-8")
    with pytest.raises(
        ImportFileError, match=r"'tweet_text'.*the columns are: 'id', 'body', 'when'"
    ):
        open_reader(path, mapping={"tweet_text": "text"})
    with pytest.raises(ImportFileError, match="no column provides platform, text, created_at"):
        open_reader(path)
    with pytest.raises(ImportFileError, match="cannot tell the format"):
        open_reader(tmp_path / "e.txt")
    with pytest.raises(ImportFileError, match="CSV only"):
        open_reader(tmp_path / "e.jsonl", mapping={"a": "text"})


def test_defaults_fill_fields_no_column_provides(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("id,body,when\n1,hi,1716192000\n", encoding="utf-8")
    [result] = _read(
        path, mapping={"body": "text", "when": "created_at"}, defaults={"platform": "x"}
    )
    assert result.mention is not None and result.mention.platform == "x"
    assert result.mention.created_at == datetime(2024, 5, 20, 8, tzinfo=UTC)


def test_write_jsonl_writes_one_object_per_line() -> None:
    start_at = datetime(2024, 5, 6, tzinfo=UTC)
    mentions = list(
        DemoScenario(start_at=start_at).generate(start_at, start_at + timedelta(hours=12))
    )
    out = io.StringIO()
    write_jsonl(mentions, out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(mentions) and json.loads(lines[0])["id"] == mentions[0].id
