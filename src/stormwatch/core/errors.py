"""Errors shared by every layer. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class StormwatchError(Exception):
    """Base class for errors a person should read."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of one input item: says what and where."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidItem(StormwatchError):
    """An input item (a mention, a line, a row) that cannot be accepted."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class RetryLater(StormwatchError):
    """A source or channel is rate limited or temporarily down; try again at `after`."""

    def __init__(self, after: datetime, reason: str = "") -> None:
        self.after = after
        self.reason = reason
        super().__init__(f"retry after {after.isoformat()}: {reason}".rstrip(": "))


class ConfigurationError(StormwatchError):
    """A setting has a bad value; raised at start-up with the variable's name."""
