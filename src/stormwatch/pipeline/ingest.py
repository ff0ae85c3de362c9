"""Ingest a batch of mentions for a workspace through the pipeline, synchronously.

Used by the HTTP ingest API, file import and the source runtime. Items are validated first so
each failure is reported with its position; the valid ones go through every stage and are
stored before this returns, so "accepted" means stored.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from stormwatch.core.errors import FieldError, InvalidItem
from stormwatch.mentions.canonical import parse_mention
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.runner import Pipeline, RunReport

_shared_context: StageContext | None = None
_shared_lock = threading.Lock()


def shared_context() -> StageContext:
    """The process-wide context, so monitor caches and enrichers are built once."""
    global _shared_context
    with _shared_lock:
        if _shared_context is None:
            from django.conf import settings

            _shared_context = StageContext(enrichment=settings.STORMWATCH_ENRICHMENT)
        return _shared_context


@dataclass(frozen=True)
class ItemFailure:
    index: int
    id: str | None
    errors: list[FieldError]


@dataclass
class IngestResult:
    accepted: int = 0
    failures: list[ItemFailure] = field(default_factory=list)
    report: RunReport | None = None


def validate_items(items: Sequence[Any]) -> tuple[list[dict[str, Any]], list[ItemFailure]]:
    valid: list[dict[str, Any]] = []
    failures: list[ItemFailure] = []
    for index, item in enumerate(items):
        try:
            parse_mention(item)
        except InvalidItem as exc:
            item_id = item.get("id") if isinstance(item, dict) else None
            failures.append(
                ItemFailure(index, str(item_id) if item_id is not None else None, exc.errors)
            )
            continue
        valid.append(item)
    return valid, failures


def ingest_items(
    *,
    workspace_id: int,
    items: Sequence[Any],
    context: StageContext | None = None,
    raws: dict[str, dict[str, Any]] | None = None,
) -> IngestResult:
    """Validate, then push the valid items through every stage. `raws` maps an item's id to
    the platform payload to keep with it."""
    valid, failures = validate_items(items)
    result = IngestResult(failures=failures)
    if not valid:
        return result
    pipeline = Pipeline(context=context or shared_context())
    raw_list = [raws.get(str(item["id"])) for item in valid] if raws else None
    pipeline.submit(workspace_id, valid, raw_list)
    result.report = pipeline.run_until_idle()
    result.accepted = len(valid) - len(result.report.rejected)
    return result
