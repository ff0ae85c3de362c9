"""Reads: configured sources with their health, the brand's own accounts, published posts.

Health contract (`SourceHealth.status`):
  paused   the source is disabled;
  new      never fetched successfully and never failed;
  failing  the last fetch failed (`consecutive_failures` >= 1), with the platform's message;
  overdue  enabled and due for longer than OVERDUE_AFTER (the pipeline is not keeping up);
  silent   no mention for much longer than its usual rate would allow (silence is not good
           news: an expired token or a changed API often returns nothing rather than an error);
  ok       otherwise.
`is_unhealthy` (what alerts raise on) is failing at least FAILING_AFTER times in a row,
overdue, or silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Q, Sum

from stormwatch.mentions.models import Author
from stormwatch.sources.kinds import find_kind
from stormwatch.sources.models import OwnAccount, PublishRecord, SourceConfig, SourceFetch
from stormwatch.workspaces.models import Workspace

FAILING_AFTER = 3
OVERDUE_AFTER = timedelta(minutes=15)
USUAL_RATE_WINDOW = timedelta(days=7)
SILENCE_FACTOR = 6.0  # silent after this many usual gaps between two mentions...
MIN_SILENCE = timedelta(hours=1)  # ...and never sooner than this
MIN_MENTIONS_FOR_SILENCE = 10  # a source this quiet in a week cannot be called silent

UNHEALTHY = ("failing", "overdue", "silent")


@dataclass(frozen=True)
class SourceHealth:
    source_id: int
    workspace_id: int
    name: str
    kind: str
    label: str
    is_enabled: bool
    status: str
    last_success_at: datetime | None
    lag: timedelta | None  # now - last successful fetch
    overdue: timedelta | None  # now - wake_at, when the source is past due
    last_error: str
    last_error_at: datetime | None
    consecutive_failures: int
    mentions_last_24h: int
    usual_per_hour: float  # over the last 7 days, or since the source was added
    last_mention_at: datetime | None

    @property
    def mentions_per_hour(self) -> float:
        """Average over the last 24 hours."""
        return self.mentions_last_24h / 24.0

    @property
    def is_unhealthy(self) -> bool:
        if self.status == "failing":
            return self.consecutive_failures >= FAILING_AFTER
        return self.status in UNHEALTHY

    @property
    def reason(self) -> str:
        """One English line for logs and alerts; the web page words it per language."""
        if self.status == "failing":
            return f"failed {self.consecutive_failures} times in a row: {self.last_error}"
        if self.status == "silent":
            return f"no mention since {self.last_mention_at}; usually {self.usual_per_hour:.1f}/h"
        if self.status == "overdue":
            return f"due for {self.overdue} and not fetched"
        return self.status


def find_source(workspace: Workspace, source_id: int) -> SourceConfig | None:
    return SourceConfig.objects.filter(workspace=workspace, pk=source_id).first()


def find_source_by_name(workspace: Workspace, name: str) -> SourceConfig | None:
    return SourceConfig.objects.filter(workspace=workspace, name=name).first()


def list_source_health(workspace: Workspace, now: datetime) -> list[SourceHealth]:
    """Every source of the workspace, by name, with its health at `now`."""
    sources = list(SourceConfig.objects.filter(workspace=workspace).order_by("name"))
    stats = _fetch_stats([s.pk for s in sources], now)
    return [_health(s, stats.get(s.pk, (0, 0, None)), now) for s in sources]


def list_unhealthy_sources(workspace: Workspace, now: datetime) -> list[SourceHealth]:
    """Sources an alert should be raised for: see the module docstring."""
    return [h for h in list_source_health(workspace, now) if h.is_unhealthy]


def own_author_ids(workspace: Workspace) -> set[int]:
    """Authors who are the brand itself, to leave out of statistics."""
    return set(Author.objects.filter(workspace=workspace, is_own=True).values_list("pk", flat=True))


def list_own_accounts(workspace: Workspace) -> list[OwnAccount]:
    return list(OwnAccount.objects.filter(workspace=workspace).order_by("platform", "handle"))


def find_own_account(workspace: Workspace, account_id: int) -> OwnAccount | None:
    return OwnAccount.objects.filter(workspace=workspace, pk=account_id).first()


def list_publish_records(workspace: Workspace, limit: int = 100) -> list[PublishRecord]:
    return list(
        PublishRecord.objects.filter(workspace=workspace)
        .select_related("approved_by")
        .order_by("-created_at")[:limit]
    )


Stats = tuple[int, int, datetime | None]  # stored in 7 days, stored in 24 h, last stored at


def _fetch_stats(source_ids: list[int], now: datetime) -> dict[int, Stats]:
    rows = (
        SourceFetch.objects.filter(
            source_id__in=source_ids, fetched_at__gte=now - USUAL_RATE_WINDOW
        )
        .values("source_id")
        .annotate(
            week=Sum("stored"),
            day=Sum("stored", filter=Q(fetched_at__gte=now - timedelta(hours=24))),
            last=Max("fetched_at", filter=Q(stored__gt=0)),
        )
    )
    return {r["source_id"]: (r["week"] or 0, r["day"] or 0, r["last"]) for r in rows}


def _health(source: SourceConfig, stats: Stats, now: datetime) -> SourceHealth:
    week, day, last_mention_at = stats
    window = max(now - max(source.created_at, now - USUAL_RATE_WINDOW), MIN_SILENCE)
    usual = week / (window.total_seconds() / 3600)
    overdue = now - source.wake_at if source.wake_at and source.wake_at < now else None
    info = find_kind(source.kind)
    return SourceHealth(
        source_id=source.pk,
        workspace_id=source.workspace_id,
        name=source.name,
        kind=source.kind,
        label=info.label if info else source.kind,
        is_enabled=source.is_enabled,
        status=_status(source, overdue, week, usual, last_mention_at, now),
        last_success_at=source.last_success_at,
        lag=now - source.last_success_at if source.last_success_at else None,
        overdue=overdue,
        last_error=source.last_error,
        last_error_at=source.last_error_at,
        consecutive_failures=source.consecutive_failures,
        mentions_last_24h=day,
        usual_per_hour=usual,
        last_mention_at=last_mention_at,
    )


def _status(
    source: SourceConfig,
    overdue: timedelta | None,
    week: int,
    usual: float,
    last_mention_at: datetime | None,
    now: datetime,
) -> str:
    if not source.is_enabled:
        return "paused"
    if source.consecutive_failures:
        return "failing"
    if overdue is not None and overdue > OVERDUE_AFTER:
        return "overdue"
    if last_mention_at and week >= MIN_MENTIONS_FOR_SILENCE:
        allowed = max(timedelta(hours=SILENCE_FACTOR / usual), MIN_SILENCE)
        if now - last_mention_at > allowed:
            return "silent"
    if source.last_success_at is None:
        return "new"
    return "ok"
