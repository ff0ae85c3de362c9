"""Target fields for CSV columns: `--map column=field` parsing and cell conversion.

A CSV row becomes a nested dict in the canonical JSON shape, then goes through
`stormwatch.mentions.canonical.parse_mention` like any JSONL line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from stormwatch.core.errors import FieldError
from stormwatch.importing.results import ImportFileError
from stormwatch.mentions.canonical import METRIC_NAMES

FIELDS = (
    "id",
    "platform",
    "text",
    "created_at",
    "url",
    "lang",
    "parent_id",
    "title",
    "author.handle",
    "author.name",
    "author.followers",
    *(f"metrics.{name}" for name in METRIC_NAMES),
)
REQUIRED_FIELDS = ("id", "platform", "text", "created_at")
NUMERIC_FIELDS = frozenset({"author.followers", *(f"metrics.{name}" for name in METRIC_NAMES)})
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)\s*([kKmM]?)")
_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000}


class MappingError(ImportFileError):
    """A `column=field` mapping that cannot be used; the message says how to fix it."""


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """Parse ["column=field", ...] into {column: field}; raise MappingError naming the problem."""
    mapping: dict[str, str] = {}
    for item in items:
        column, field = _split(item)
        if column in mapping:
            raise MappingError(f"column {column!r} is mapped twice")
        if field in mapping.values():
            raise MappingError(f"two columns are mapped to {field!r}; keep one")
        mapping[column] = field
    return mapping


def parse_defaults(items: Iterable[str]) -> dict[str, str]:
    """Parse ["field=value", ...]: values used where a row has no column for the field."""
    defaults: dict[str, str] = {}
    for item in items:
        field, sep, value = item.partition("=")
        if not sep:
            raise MappingError(f"{item!r}: expected FIELD=VALUE, such as platform=x")
        defaults[check_field(field.strip())] = value
    return defaults


def check_field(field: str) -> str:
    """Return `field` if it is a valid target, else raise MappingError listing valid ones."""
    if field in FIELDS:
        return field
    close = difflib.get_close_matches(field, FIELDS, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise MappingError(f"unknown field {field!r}.{hint} Valid fields: {', '.join(FIELDS)}")


def _split(item: str) -> tuple[str, str]:
    column, sep, field = item.rpartition("=")
    if not sep or not column.strip():
        raise MappingError(f"{item!r}: expected COLUMN=FIELD, such as tweet_text=text")
    return column.strip(), check_field(field.strip())


def build_item(
    cells: Mapping[str, str], *, default_tz: tzinfo | None
) -> tuple[dict[str, Any], list[FieldError]]:
    """Turn {field: cell} into the canonical JSON shape; empty cells count as absent."""
    item: dict[str, Any] = {}
    errors: list[FieldError] = []
    for field, raw in cells.items():
        cell = raw.strip()
        if not cell:
            if field == "text":
                item["text"] = ""
            continue
        value: object = cell
        if field in NUMERIC_FIELDS:
            value = _whole_number(field, cell, errors)
        elif field == "created_at":
            value = _timestamp(cell, default_tz)
        if value is not None:
            _put(item, field, value)
    return item, errors


def _put(item: dict[str, Any], field: str, value: object) -> None:
    head, _, tail = field.partition(".")
    if tail:
        item.setdefault(head, {})[tail] = value
    else:
        item[head] = value


def _whole_number(field: str, cell: str, errors: list[FieldError]) -> int | None:
    """Accept 1234, 1 234, 1,234, 1.2K, 3M: the shapes analytics exports use."""
    compact = cell.replace("\u00a0", "").replace(" ", "").replace("_", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", compact):
        compact = compact.replace(",", "")
    match = _NUMBER.fullmatch(compact)
    if not match or (("," in match.group(1) or "." in match.group(1)) and not match.group(2)):
        errors.append(FieldError(field, f"{cell[:40]!r} is not a whole number"))
        return None
    number = float(match.group(1).replace(",", "."))
    return round(number * _SUFFIX[match.group(2).lower()])


def _timestamp(cell: str, default_tz: tzinfo | None) -> str:
    """Epoch seconds become UTC; naive ISO times take `default_tz` when one is given."""
    if cell.isdigit() and 9 <= len(cell) <= 10:
        return datetime.fromtimestamp(int(cell), UTC).isoformat()
    if default_tz is None:
        return cell
    try:
        parsed = datetime.fromisoformat(cell.replace("Z", "+00:00"))
    except ValueError:
        return cell  # parse_mention reports it
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=default_tz).isoformat()
    return cell
