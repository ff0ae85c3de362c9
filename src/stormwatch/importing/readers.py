"""Streaming readers for mention files: canonical JSONL and mapped CSV, optionally gzipped.

`open_reader(path, format=..., mapping=...)` returns a `MentionReader`: iterate it for one
`ReadResult` per row, either a mention or the errors that row had, always with its line number.
A bad row never stops the run. Memory stays bounded by the line cap, whatever the file size.
Problems with the file as a whole (unknown format, a mapping naming a missing column, no header)
raise `ImportFileError` from `open_reader`, before any row is read.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterator, Mapping
from datetime import tzinfo
from pathlib import Path

from stormwatch.core.errors import FieldError, InvalidItem
from stormwatch.importing.csv_rows import iter_records, sniff_delimiter
from stormwatch.importing.csv_table import CsvTable
from stormwatch.importing.lines import DEFAULT_MAX_LINE_BYTES, RawLine, iter_lines
from stormwatch.importing.results import ImportFileError, ReadResult, to_result

FORMATS = ("csv", "jsonl")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_GZIP_MAGIC = b"\x1f\x8b"


def detect_format(path: Path) -> str:
    """ "csv" or "jsonl" from the file name (.csv, .jsonl, .ndjson, each optionally + .gz)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    found = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    if found is None:
        raise ImportFileError(
            f"cannot tell the format of {path.name!r} from its name; "
            f"name it .csv, .jsonl or .ndjson (optionally .gz), or pass the format"
        )
    return found


def open_reader(
    path: Path,
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
    default_tz: tzinfo | None = None,
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
) -> MentionReader:
    """Open `path` for streaming. CSV only: `mapping` {column: field}, `defaults` {field:
    value} for fields no column provides, `default_tz` for timestamps without an offset.
    Raises ImportFileError for problems with the whole file."""
    fmt = format.lower() if format else detect_format(path)
    if fmt not in FORMATS:
        raise ImportFileError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if fmt == "jsonl" and (mapping or defaults or default_tz):
        raise ImportFileError(
            "column mapping, defaults and a default time zone apply to CSV only; "
            "JSONL must already be in the canonical format (docs/mention-format.md)"
        )
    try:
        raw = open(path, "rb")  # noqa: SIM115 (closed by MentionReader.close)
    except OSError as exc:
        raise ImportFileError(f"cannot open {path}: {exc.strerror}") from exc
    reader = MentionReader(raw, max_line_bytes=max_line_bytes)
    try:
        if fmt == "csv":
            reader.start_csv(dict(mapping or {}), dict(defaults or {}), default_tz)
        else:
            reader.start_jsonl()
    except BaseException:
        reader.close()
        raise
    return reader


class MentionReader:
    """An iterable of ReadResult over one open file; also a context manager.

    `bytes_read` and `total_bytes` measure the file on disk (compressed bytes for .gz), so a
    progress bar by bytes works for both.
    """

    def __init__(self, raw: io.BufferedReader, *, max_line_bytes: int) -> None:
        self._raw = raw
        self.total_bytes = os.fstat(raw.fileno()).st_size
        self._bytes_read = 0
        stream: io.BufferedReader | gzip.GzipFile = raw
        if raw.peek(2)[:2] == _GZIP_MAGIC:
            stream = gzip.GzipFile(fileobj=raw, mode="rb")
        self._stream = stream
        self._lines = iter_lines(stream, max_line_bytes=max_line_bytes)
        self._max_line_bytes = max_line_bytes
        self._results: Iterator[ReadResult] = iter(())
        self.columns: list[str] = []

    @property
    def bytes_read(self) -> int:
        return self._bytes_read if self._raw.closed else self._raw.tell()

    def __iter__(self) -> Iterator[ReadResult]:
        return self._results

    def __enter__(self) -> MentionReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._raw.closed:
            self._bytes_read = self._raw.tell()
            self._stream.close()
            self._raw.close()

    def start_jsonl(self) -> None:
        self._results = _jsonl_results(self._lines)

    def start_csv(
        self, mapping: dict[str, str], defaults: dict[str, str], default_tz: tzinfo | None
    ) -> None:
        header = _first_content_line(self._lines)
        if header is None:
            raise ImportFileError("the CSV file is empty: it needs a header row")
        if header.text is None:
            raise ImportFileError(f"cannot read the header row: {header.error}")
        delimiter = sniff_delimiter(header.text)
        table = CsvTable.from_header(header.text, delimiter, mapping, defaults, default_tz)
        self.columns = table.columns
        records = iter_records(
            self._lines, delimiter=delimiter, max_record_bytes=self._max_line_bytes
        )
        self._results = table.results(records)


def _first_content_line(lines: Iterator[RawLine]) -> RawLine | None:
    for line in lines:
        if line.text is None or line.text.strip():
            return line
    return None


def _jsonl_results(lines: Iterator[RawLine]) -> Iterator[ReadResult]:
    for line in lines:
        if line.text is None:
            yield ReadResult(line.number, errors=(FieldError("(line)", line.error),),
                             byte_offset=line.offset)  # fmt: skip
        elif line.text.strip():
            yield to_result(line.number, line.offset, _decode_json(line.text))


def _decode_json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return InvalidItem(
            [FieldError("(line)", f"not valid JSON: {exc.msg} at column {exc.colno}")]
        )
    except (ValueError, RecursionError) as exc:  # huge integers, absurd nesting
        return InvalidItem([FieldError("(line)", f"not valid JSON: {exc}")])
