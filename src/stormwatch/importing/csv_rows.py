"""CSV records over physical lines, in bounded memory, with a bad row never stopping the run.

A record may span several lines when a quoted field holds line breaks. Whether a record is
complete is decided by quote parity, which is exact for well-formed CSV. A stray quote makes a
record look unterminated: once it runs past the cap (lines or bytes) or reaches the end of the
file, the first line is reported and reading resumes on the line after it.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from stormwatch.importing.lines import RawLine

MAX_RECORD_LINES = 500
_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Record:
    """One CSV record starting at `line_number`, or the reason it could not be read."""

    line_number: int
    offset: int
    cells: list[str] | None
    error: str = ""
    last_line: int = 0


def sniff_delimiter(header: str) -> str:
    """The most frequent of , ; TAB | outside quotes in the header line (Polish Excel uses ;)."""
    outside = header.split('"')[::2]
    counts = {d: sum(part.count(d) for part in outside) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_records(
    lines: Iterator[RawLine], *, delimiter: str, max_record_bytes: int
) -> Iterator[Record]:
    """Yield every record; blank lines between records are skipped."""
    pending: deque[RawLine] = deque()

    def next_line() -> RawLine | None:
        return pending.popleft() if pending else next(lines, None)

    while (line := next_line()) is not None:
        if line.text is None:
            yield Record(line.number, line.offset, None, line.error)
        elif line.text.strip():
            parts = _gather(line, next_line, pending, max_record_bytes)
            if parts is None:
                error = "unterminated quoted field; row skipped, reading resumes on the next line"
                yield Record(line.number, line.offset, None, error)
            else:
                yield _parse(parts, delimiter)


def _gather(
    first: RawLine,
    next_line: Callable[[], RawLine | None],
    pending: deque[RawLine],
    max_record_bytes: int,
) -> list[RawLine] | None:
    """The lines of the record starting at `first`, or None (lines after it pushed back)."""
    parts, size = [first], len(first.text or "")
    quotes = (first.text or "").count('"')
    while quotes % 2:
        line = next_line()
        too_big = len(parts) >= MAX_RECORD_LINES or size > max_record_bytes
        if line is None or line.text is None or too_big:
            rest = parts[1:] + ([line] if line is not None else [])
            pending.extendleft(reversed(rest))
            return None
        parts.append(line)
        size += len(line.text)
        quotes += line.text.count('"')
    return parts


def _parse(parts: list[RawLine], delimiter: str) -> Record:
    first, last = parts[0], parts[-1].number
    try:
        rows = list(csv.reader((p.text or "" for p in parts), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return Record(first.number, first.offset, None, f"malformed CSV{_span(parts)}: {exc}", last)
    if len(rows) != 1:
        error = f"malformed CSV{_span(parts)}: a stray quote joined several rows"
        return Record(first.number, first.offset, None, error, last)
    return Record(first.number, first.offset, rows[0], "", last)


def _span(parts: list[RawLine]) -> str:
    return f" (lines {parts[0].number}-{parts[-1].number})" if len(parts) > 1 else ""
