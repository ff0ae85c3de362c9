"""One row's outcome when reading a mention file."""

from __future__ import annotations

from dataclasses import dataclass

from stormwatch.core.errors import FieldError, InvalidItem, StormwatchError
from stormwatch.mentions.canonical import CanonicalMention, parse_mention


class ImportFileError(StormwatchError):
    """The file as a whole cannot be read (as opposed to one bad row)."""


@dataclass(frozen=True)
class ReadResult:
    """One row: `mention` when it parsed, otherwise `errors` (never both)."""

    line_number: int
    mention: CanonicalMention | None = None
    errors: tuple[FieldError, ...] = ()
    byte_offset: int = 0

    @property
    def ok(self) -> bool:
        return self.mention is not None

    def describe(self) -> str:
        """ "line 17: created_at: needs a UTC offset, such as +00:00 or Z; text: is required"."""
        return f"line {self.line_number}: " + "; ".join(str(e) for e in self.errors)


def to_result(line_number: int, offset: int, item: object) -> ReadResult:
    """Validate a decoded item (or carry a decoding failure) into a ReadResult."""
    if isinstance(item, InvalidItem):
        return ReadResult(line_number, errors=tuple(item.errors), byte_offset=offset)
    try:
        return ReadResult(line_number, parse_mention(item), byte_offset=offset)
    except InvalidItem as exc:
        return ReadResult(line_number, errors=tuple(exc.errors), byte_offset=offset)
    except OverflowError:  # parse_mention lets this through for years like 0001 with an offset
        error = FieldError("created_at", "is out of the supported date range")
        return ReadResult(line_number, errors=(error,), byte_offset=offset)
