"""The one error the query language raises for text a person typed."""

from __future__ import annotations

from stormwatch.core.errors import StormwatchError


class QuerySyntaxError(StormwatchError):
    """A monitor query that cannot be parsed.

    `position` is the 0-based character offset in the query text where the problem was found,
    `expected` says in words what would have been accepted there, and `detail` is the message
    without its position prefix. `str(error)` reads ``position 14: expected ')' ...``.
    """

    def __init__(self, position: int, expected: str, detail: str) -> None:
        self.position = position
        self.expected = expected
        self.detail = detail
        super().__init__(f"position {position}: {detail}")
