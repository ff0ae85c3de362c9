"""The user guide's examples are checked here, so docs/query-language.md cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stormwatch.monitors.query import QuerySyntaxError, parse_query

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "query-language.md"


def _table_rows(heading: str) -> list[list[str]]:
    section = GUIDE.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1].split("\n## ")[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows[2:]]  # skip header and rule


def _code(cell: str) -> str:
    spans = re.findall(r"`([^`]*)`", cell)
    return spans[0] if spans else ""


def test_it_parses_every_example_in_the_syntax_table() -> None:
    rows = _table_rows("Syntax")
    assert len(rows) >= 10
    for row in rows:
        for cell in row[2:4]:
            parse_query(_code(cell))


@pytest.mark.parametrize("row", _table_rows("Errors"), ids=lambda row: row[0])
def test_it_raises_exactly_the_error_the_guide_shows(row: list[str]) -> None:
    query, message = _code(row[0]), _code(row[1])
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert str(caught.value) == message
