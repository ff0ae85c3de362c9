"""The source contract every connector follows.

A source's `fetch(cursor)` never sleeps and never loops waiting for data: it returns what is
available now, the cursor to resume from, and when it wants to be called again. On a rate limit
it raises `stormwatch.core.errors.RetryLater`. The runtime (pipeline) does the scheduling, so a
connector is testable by calling `fetch` with recorded payloads.

Cursor semantics: the cursor is a JSON-serialisable dict owned by the connector. Passing the
cursor of the last *stored* batch again must yield no mention twice and skip none (mentions are
upserted on (platform, external id), so overlap is harmless, gaps are not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from stormwatch.mentions.canonical import CanonicalMention

Cursor = dict[str, Any]


@dataclass(frozen=True)
class SkippedItem:
    """A payload item the connector could not map: reported, never silently dropped."""

    reference: str
    reason: str


@dataclass(frozen=True)
class Batch:
    mentions: list[CanonicalMention]
    cursor: Cursor
    wake_at: datetime | None = None
    skipped: list[SkippedItem] = field(default_factory=list)
    raw: dict[str, dict[str, Any]] = field(default_factory=dict)  # external id -> raw payload


class Source(Protocol):
    kind: str

    def fetch(self, cursor: Cursor | None) -> Batch: ...
