"""A CSV file's header turned into a column -> field plan, and rows turned into mentions."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo

from stormwatch.core.errors import FieldError
from stormwatch.importing.csv_rows import Record
from stormwatch.importing.fields import FIELDS, REQUIRED_FIELDS, build_item, check_field
from stormwatch.importing.results import ImportFileError, ReadResult, to_result


@dataclass(frozen=True)
class CsvTable:
    """Which column feeds which field. Columns matching a field name map to it by default."""

    columns: list[str]
    plan: list[tuple[int, str]]  # (column index, field)
    defaults: dict[str, str]
    default_tz: tzinfo | None

    @classmethod
    def from_header(
        cls,
        header: str,
        delimiter: str,
        mapping: dict[str, str],
        defaults: dict[str, str],
        default_tz: tzinfo | None,
    ) -> CsvTable:
        """Raise ImportFileError when the mapping and the header do not fit together."""
        columns = [c.strip() for c in next(csv.reader([header], delimiter=delimiter))]
        for field in [*mapping.values(), *defaults]:
            check_field(field)
        missing = [c for c in mapping if c not in columns]
        if missing:
            raise ImportFileError(
                f"column(s) {', '.join(map(repr, missing))} named in the mapping are not in "
                f"the header; the columns are: {', '.join(map(repr, columns))}"
            )
        plan = _plan(columns, mapping)
        provided = {field for _, field in plan} | set(defaults)
        absent = [f for f in REQUIRED_FIELDS if f not in provided]
        if absent:
            raise ImportFileError(
                f"no column provides {', '.join(absent)}; map a column to each "
                f"(COLUMN=FIELD) or give a default value; the columns are: "
                f"{', '.join(map(repr, columns))}"
            )
        return cls(columns, plan, defaults, default_tz)

    def results(self, records: Iterator[Record]) -> Iterator[ReadResult]:
        for record in records:
            yield self._result(record)

    def _result(self, record: Record) -> ReadResult:
        if record.cells is None:
            problem = "(line)" if record.error.startswith(("invalid UTF-8", "line is")) else "(row)"
            error = FieldError(problem, record.error)
            return ReadResult(record.line_number, errors=(error,), byte_offset=record.offset)
        if len(record.cells) != len(self.columns):
            error = FieldError(
                "(row)", f"has {len(record.cells)} columns; the header has {len(self.columns)}"
            )
            return ReadResult(record.line_number, errors=(error,), byte_offset=record.offset)
        cells = dict(self.defaults)
        cells.update((field, record.cells[index]) for index, field in self.plan)
        item, errors = build_item(cells, default_tz=self.default_tz)
        result = to_result(record.line_number, record.offset, item)
        if not errors:
            return result
        merged = (*errors, *result.errors)
        return ReadResult(record.line_number, errors=merged, byte_offset=record.offset)


def _plan(columns: list[str], mapping: dict[str, str]) -> list[tuple[int, str]]:
    targets = set(mapping.values())
    plan: list[tuple[int, str]] = []
    used: set[str] = set()
    for index, column in enumerate(columns):
        field = mapping.get(column)
        if field is None and column in FIELDS and column not in targets:
            field = column  # a column already named after a field needs no mapping
        if field is None or field in used:
            continue
        used.add(field)
        plan.append((index, field))
    return plan
