"""Schedules configured sources: calls each one's `fetch(cursor)` when it is due, stores what it
returns through the pipeline, then saves the cursor. The cursor is saved only after the batch
is stored, so a crash in between re-fetches (harmless: mentions upsert) and never skips.

Every fetch that stored, skipped or failed something is logged in `SourceFetch` (the health
page's history); a store failure counts as a failure of the source and, for a long-running
listener, drops it so the next round resumes from the saved cursor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from django.db.models import Q

from stormwatch.core.clock import Clock
from stormwatch.core.errors import RetryLater
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.ingest import ingest_items
from stormwatch.sources.contract import Batch, Source
from stormwatch.sources.listeners import LISTENERS
from stormwatch.sources.models import SourceConfig, SourceFetch
from stormwatch.sources.service import mark_own_authors

log = logging.getLogger(__name__)

DEFAULT_POLL = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
FETCH_LOG_KEEP = timedelta(days=7)

SourceBuilder = Callable[[SourceConfig, Clock], Source]


def run_due_sources(
    *, clock: Clock, context: StageContext, builders: Mapping[str, SourceBuilder]
) -> int:
    """Fetch every enabled source that is due; return how many mentions were stored."""
    now = clock.now()
    enabled = SourceConfig.objects.filter(is_enabled=True)
    LISTENERS.keep_only(enabled.values_list("pk", flat=True))
    due = enabled.filter(Q(wake_at__isnull=True) | Q(wake_at__lte=now))
    stored = 0
    for config in due:
        builder = builders.get(config.kind)
        if builder is None:
            _record_failure(config, now, f"no connector for kind {config.kind!r}")
            continue
        stored += fetch_source(config, clock=clock, context=context, builder=builder)
    return stored


def fetch_source(
    config: SourceConfig, *, clock: Clock, context: StageContext, builder: SourceBuilder
) -> int:
    now = clock.now()
    try:
        batch = builder(config, clock).fetch(config.cursor)
    except RetryLater as exc:
        # Rate limits and the 5xx answers connectors map to RetryLater count as failures too:
        # a platform that answers "later" for hours is a source collecting nothing.
        reason = f"rate limited or unavailable: {exc.reason}" if exc.reason else "rate limited"
        _record_failure(config, now, reason, wake_at=exc.after)
        return 0
    except Exception as exc:  # a connector failure must not stop the other sources
        log.warning("source %s failed: %s", config.pk, exc, exc_info=True)
        _record_failure(config, now, f"{type(exc).__name__}: {exc}")
        return 0
    try:
        return _store_batch(config, batch, now=now, context=context)
    except Exception as exc:  # the cursor was not saved: the next round fetches this again
        log.exception("storing a batch of source %s failed", config.pk)
        LISTENERS.stop(config.pk)  # a listener has moved past the batch; restart at the cursor
        _record_failure(config, now, f"storing failed: {type(exc).__name__}: {exc}")
        return 0


def _store_batch(
    config: SourceConfig, batch: Batch, *, now: datetime, context: StageContext
) -> int:
    items = [m.to_json_dict() for m in batch.mentions]
    result = ingest_items(
        workspace_id=config.workspace_id, items=items, context=context, raws=batch.raw or None
    )
    if result.accepted:
        mark_own_authors(workspace_id=config.workspace_id)
    problems = [f"{s.reference}: {s.reason}" for s in batch.skipped]
    problems += [f"{f.id}: {'; '.join(str(e) for e in f.errors)}" for f in result.failures]
    config.cursor = batch.cursor
    config.wake_at = batch.wake_at or now + DEFAULT_POLL
    config.last_success_at = now
    config.consecutive_failures = 0
    config.mentions_total += result.accepted
    if problems:
        config.last_error = f"{len(problems)} items skipped: " + " | ".join(problems[:5])
        config.last_error_at = now
    config.save()
    if result.accepted or problems:
        _log_fetch(config, now, stored=result.accepted, skipped=len(problems))
    return result.accepted


def _record_failure(
    config: SourceConfig, now: datetime, message: str, *, wake_at: datetime | None = None
) -> None:
    """Count a failed round; wake at the platform's time if it gave one, else back off."""
    config.consecutive_failures += 1
    backoff = min(DEFAULT_POLL * 2 ** min(config.consecutive_failures, 10), MAX_BACKOFF)
    config.wake_at = wake_at or now + backoff
    config.last_error = message[:2000]
    config.last_error_at = now
    config.save(update_fields=["consecutive_failures", "wake_at", "last_error", "last_error_at"])
    _log_fetch(config, now, error=config.last_error)


def _log_fetch(
    config: SourceConfig, now: datetime, *, stored: int = 0, skipped: int = 0, error: str = ""
) -> None:
    SourceFetch.objects.create(
        source=config, fetched_at=now, stored=stored, skipped=skipped, error=error
    )
    SourceFetch.objects.filter(source=config, fetched_at__lt=now - FETCH_LOG_KEEP).delete()
