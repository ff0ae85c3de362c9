"""A fast batched upsert for the ingest hot path.

Django's bulk_create(update_conflicts=True) prepares every value through the full field
machinery, which costs more than the database write itself at thousands of rows per second.
This writes the same INSERT ... ON CONFLICT DO UPDATE statement (valid on SQLite >= 3.24 and
PostgreSQL) with executemany over values prepared once, by the fields' own `get_db_prep_save`
for the few types that need it (JSON, datetimes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

import orjson
from django.db import connection
from django.db.models import Field, Model


def upsert_rows(
    model: type[Model],
    *,
    columns: Sequence[str],
    conflict: Sequence[str],
    update: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Insert `rows` (values in `columns` order, already Python-typed) or update `update` columns
    of the row that has the same `conflict` columns (with no `update`, leave that row alone)."""
    if not rows:
        return
    fields = [_field(model, name) for name in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_sql = ", ".join(quote(_column(model, name)) for name in columns)
    placeholders = ", ".join(["%s"] * len(fields))
    conflict_sql = ", ".join(quote(_column(model, name)) for name in conflict)
    update_sql = ", ".join(
        f"{quote(_column(model, name))} = excluded.{quote(_column(model, name))}" for name in update
    )
    action = f"DO UPDATE SET {update_sql}" if update else "DO NOTHING"
    sql = (
        f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders}) "
        f"ON CONFLICT ({conflict_sql}) {action}"
    )
    prepared = _prepare_rows(fields, rows)
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None
    return field


def _column(model: type[Model], name: str) -> str:
    column = _field(model, name).column
    assert column is not None
    return column


_NEEDS_PREP = ("JSONField", "DateTimeField")
Prepare = Callable[[Any], Any]


def _preparers(fields: Sequence[Field[Any, Any]]) -> list[Prepare | None]:
    """One converter per column, or None where the driver takes the Python value as it is.

    On SQLite the two conversions are done directly (JSON text; naive UTC datetime text, as
    Django stores them), which is several times cheaper than the generic field path.
    """
    sqlite = connection.vendor == "sqlite"
    preparers: list[Prepare | None] = []
    for f in fields:
        kind = f.get_internal_type()
        if kind not in _NEEDS_PREP:
            preparers.append(None)
        elif sqlite and kind == "JSONField":
            preparers.append(_json_text)
        elif sqlite:
            preparers.append(_sqlite_datetime)
        else:
            preparers.append(partial(_generic, f))
    return preparers


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _sqlite_datetime(value: datetime) -> str:
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _generic(field: Field[Any, Any], value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def _prepare_rows(
    fields: Sequence[Field[Any, Any]], rows: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    preparers = _preparers(fields)
    return [
        tuple(
            prep(value) if prep is not None and value is not None else value
            for prep, value in zip(preparers, row, strict=True)
        )
        for row in rows
    ]
