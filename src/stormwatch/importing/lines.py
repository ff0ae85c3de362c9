"""Physical lines of a file, read in bounded memory, with their numbers and byte offsets.

A line longer than the cap is skipped (its rest is read in small pieces and discarded) and
reported; a line that is not valid UTF-8 is reported with the byte offset of the first bad byte.
Either way reading goes on with the next line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

DEFAULT_MAX_LINE_BYTES = 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 64 * 1024


class LineSource(Protocol):
    def readline(self, size: int | None = -1, /) -> bytes: ...


@dataclass(frozen=True)
class RawLine:
    """One physical line: `text` keeps its line ending; `error` is set when text is None."""

    number: int
    offset: int
    text: str | None
    error: str = ""


def iter_lines(
    stream: LineSource, *, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
) -> Iterator[RawLine]:
    """Yield each line of a binary stream; a UTF-8 byte order mark at the start is dropped."""
    number, offset = 0, 0
    while chunk := stream.readline(max_line_bytes + 1):
        number += 1
        start = offset
        offset += len(chunk)
        if len(chunk) > max_line_bytes and not chunk.endswith(b"\n"):
            offset += _skip_rest_of_line(stream)
            error = f"line is longer than {max_line_bytes:,} bytes; skipped"
            yield RawLine(number, start, None, error)
            continue
        skipped = 0
        if number == 1 and chunk.startswith(_BOM):
            chunk, skipped = chunk[len(_BOM) :], len(_BOM)
        try:
            yield RawLine(number, start, chunk.decode("utf-8"))
        except UnicodeDecodeError as exc:
            bad_at = start + skipped + exc.start
            yield RawLine(number, start, None, f"invalid UTF-8 at byte offset {bad_at:,}")


def _skip_rest_of_line(stream: LineSource) -> int:
    skipped = 0
    while piece := stream.readline(_SKIP_CHUNK):
        skipped += len(piece)
        if piece.endswith(b"\n"):
            break
    return skipped
