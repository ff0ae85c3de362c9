"""The pipeline's detect stage: stored mentions in, alerts raised or updated, people told.

Consumes `mentions.stored` (payload shape in pipeline/handlers.py). For each monitor the batch
touched, it closes the buckets the data now allows (windows.py), steps the monitor's
detectors (detect.monitor.step_monitor) with their JSON state from `DetectorState`, records
the detections as alerts (service.py) and delivers notifications after the commit.
Idempotent enough for redelivery: a repeated batch moves no watermark, so no bucket closes
twice. Mentions older than an already-closed bucket are not counted again (they are late).
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from stormwatch.alerts.models import DetectorState
from stormwatch.alerts.notify.digests import send_due_digests
from stormwatch.alerts.notify.service import notify_changes, retry_due_deliveries
from stormwatch.alerts.service import (
    AlertChange,
    escalate_overdue,
    record_detections,
    record_source_health,
)
from stormwatch.alerts.windows import (
    NextAt,
    OpenWindows,
    advance_windows,
    close_buckets,
    reopen_from,
)
from stormwatch.detect.detection import Detection
from stormwatch.detect.monitor import new_monitor_state, step_monitor
from stormwatch.detect.records import Bucket, ScoredMention
from stormwatch.enrich.influence import impressions_from_reach
from stormwatch.mentions.models import MentionMatch
from stormwatch.monitors.models import Monitor
from stormwatch.pipeline.bus import Payload
from stormwatch.pipeline.context import StageContext
from stormwatch.workspaces.models import Workspace

SENTIMENTS = frozenset({"negative", "neutral", "positive"})


def detect_batch(ctx: StageContext, batch: list[Payload]) -> list[Payload]:
    """Run detection for every monitor in the batch; returns one payload per alert change."""
    spans: dict[int, tuple[datetime, datetime]] = {}
    for payload in batch:
        at = datetime.fromisoformat(payload["created_at"])
        for monitor_id in payload.get("monitor_ids", []):
            first, last = spans.get(monitor_id, (at, at))
            spans[monitor_id] = (min(first, at), max(last, at))
    now = ctx.clock.now()
    changes: list[AlertChange] = []
    monitors = Monitor.objects.filter(pk__in=spans, is_active=True)
    for monitor in monitors:
        first_at, last_at = spans[monitor.pk]
        detections = advance_monitor(monitor, first_seen_at=first_at, latest_at=last_at, now=now)
        changes.extend(record_detections(monitor=monitor, detections=detections, now=now))
    notify_changes(changes, now=now)
    return [_change_event(c) for c in changes]


# One process's open buckets per monitor id (see windows.py); a lock because the pipeline
# thread and API requests may detect for the same monitor at once.
_OPEN_WINDOWS: dict[int, OpenWindows] = {}
_OPEN_WINDOWS_LOCK = threading.Lock()


def advance_monitor(
    monitor: Monitor, *, first_seen_at: datetime, latest_at: datetime, now: datetime
) -> list[Detection]:
    """Close the buckets the data allows and step the detectors over them."""
    with _OPEN_WINDOWS_LOCK, transaction.atomic():
        row, _ = DetectorState.objects.select_for_update().get_or_create(
            monitor=monitor, defaults={"state": {}, "updated_at": now}
        )
        saved: dict[str, Any] = row.state or {}
        watermark_at = max(latest_at, row.watermark_at or latest_at)
        buckets, windows = _close_windows(
            monitor, saved.get("next", {}), first_seen_at=first_seen_at, watermark_at=watermark_at
        )
        # Merging with a fresh state lets a newly registered detector join an old monitor.
        state = {**new_monitor_state(), **saved.get("detectors", {})}
        found: list[Detection] = []
        for bucket in buckets:
            state, detections = step_monitor(state, bucket, settings.TIME_ZONE)
            found.extend(detections)
        row.state = {"next": windows.next_at, "detectors": state}
        row.watermark_at, row.updated_at = watermark_at, now
        row.save()
        transaction.on_commit(lambda: _OPEN_WINDOWS.__setitem__(monitor.pk, windows))
    return found


def _close_windows(
    monitor: Monitor, next_at: NextAt, *, first_seen_at: datetime, watermark_at: datetime
) -> tuple[list[Bucket], OpenWindows]:
    """Incremental when this process holds the monitor's open buckets as stored; otherwise
    rebuilt from the database (another process moved on, or a restart)."""
    since = reopen_from(next_at, first_seen_at)
    # Taken out, not read: if this round fails, its half-fed aggregators must not be reused.
    kept = _OPEN_WINDOWS.pop(monitor.pk, None)
    if kept is not None and next_at and kept.next_at == next_at:
        new = load_scored_mentions(monitor, since=since, after_mention_id=kept.last_mention_id)
        buckets, new_next = advance_windows(kept, new, watermark_at=watermark_at)
        last_id = max([kept.last_mention_id, *(int(m.id) for m in new)])
        return buckets, OpenWindows(new_next, kept.aggregators, last_id)
    mentions = load_scored_mentions(monitor, since=since)
    buckets, new_next, aggregators = close_buckets(
        monitor.name, mentions, next_at=next_at, start_at=since, watermark_at=watermark_at
    )
    last_id = max([0, *(int(m.id) for m in mentions)])
    return buckets, OpenWindows(new_next, aggregators, last_id)


SCORED_COLUMNS = (
    "mention_id",
    "created_at",
    "mention__sentiment",
    "mention__sentiment_score",
    "mention__intents",
    "mention__reach",
    "mention__platform",
    "mention__lang",
    "mention__narrative",
    "mention__author__handle",
    "mention__author__followers",
    "mention__text",
)


def load_scored_mentions(
    monitor: Monitor, *, since: datetime, after_mention_id: int = 0
) -> list[ScoredMention]:
    """The monitor's stored mentions from `since` on, oldest first, as the detectors see them.

    Without enrichment a mention counts as neutral; its reach (stored on a log10 scale, turned
    back into estimated impressions here) falls back on the author's followers, so an
    influential post still weighs when the influence enricher is off. Rows are
    read as plain tuples: this runs for every batch, and model instances cost more than the
    query itself.
    """
    rows = (
        MentionMatch.objects.filter(
            monitor=monitor, created_at__gte=since, mention_id__gt=after_mention_id
        )
        .exclude(mention__author__is_own=True)  # the brand's own posts are not signals
        .order_by("created_at", "mention_id")
        .values_list(*SCORED_COLUMNS)
    )
    return [_scored(row) for row in rows]


def _scored(row: tuple[Any, ...]) -> ScoredMention:
    (pk, created_at, sentiment, score, intents, reach, platform, lang, narrative, handle,
     followers, text) = row  # fmt: skip
    return ScoredMention(
        id=str(pk),
        created_at=created_at,
        sentiment=sentiment if sentiment in SENTIMENTS else "neutral",
        sentiment_score=score or 0.0,
        intents=tuple(intents or ()),
        reach=impressions_from_reach(reach) if reach else float(followers or 0),
        platform=platform,
        lang=lang,
        narrative_id=narrative or None,
        author_handle=handle or "",
        text=text,
    )


def _change_event(change: AlertChange) -> Payload:
    alert = change.alert
    return {
        "workspace_id": alert.workspace_id,
        "alert_id": alert.pk,
        "monitor_id": alert.monitor_id,
        "source_id": alert.source_id,
        "reason": change.reason,
        "severity": alert.severity,
    }


def run_alert_round(*, now: datetime) -> int:
    """Work that time alone triggers, called once per pipeline round: raise, update and
    resolve source-health alerts of every workspace with sources, escalate alerts nobody
    acknowledged in time, and notify about both; then retry the failed deliveries that are
    due and send the digests that are due (both idempotent per `now`). Returns how many
    changes were notified."""
    changes: list[AlertChange] = []
    for workspace in Workspace.objects.filter(sources__isnull=False).distinct():
        changes.extend(record_source_health(workspace=workspace, now=now))
    changes.extend(escalate_overdue(now=now))
    notify_changes(changes, now=now)
    retry_due_deliveries(now=now)
    send_due_digests(now=now)
    return len(changes)
