"""Reads of mentions: the filtered stream, one mention with its thread, chart series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDay, TruncHour
from django.http import Http404
from django.utils import timezone

from stormwatch.annotations.queries import has_tag, shown_sentiment
from stormwatch.mentions.models import Mention, MentionMatch
from stormwatch.workspaces.models import Workspace

SENTIMENTS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class MentionFilter:
    monitor_id: int | None = None
    platform: str = ""
    lang: str = ""
    sentiment: str = ""
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""
    after_id: int | None = None  # for the live stream: only newer rows
    intent: str = ""  # a tag as shown (machine intent or a person's tag)
    narrative: str = ""  # a narrative key


def filtered_mentions(workspace: Workspace, flt: MentionFilter) -> QuerySet[Mention]:
    """Mentions matching every set field; sentiment and intent as shown (corrections win)."""
    qs = Mention.objects.filter(workspace=workspace)
    if flt.monitor_id:
        qs = qs.filter(matches__monitor_id=flt.monitor_id)
    if flt.platform:
        qs = qs.filter(platform=flt.platform)
    if flt.lang:
        qs = qs.filter(lang=flt.lang)
    if flt.sentiment:
        qs = qs.alias(shown_sentiment=shown_sentiment()).filter(shown_sentiment=flt.sentiment)
    if flt.intent:
        qs = qs.filter(has_tag(flt.intent))
    if flt.narrative:
        qs = qs.filter(narrative=flt.narrative)
    if flt.since:
        qs = qs.filter(created_at__gte=flt.since)
    if flt.until:
        qs = qs.filter(created_at__lt=flt.until)
    if flt.search:
        qs = qs.filter(Q(text__icontains=flt.search) | Q(author__handle__icontains=flt.search))
    if flt.after_id:
        qs = qs.filter(pk__gt=flt.after_id)
    return qs


def list_mentions(workspace: Workspace, flt: MentionFilter, *, limit: int = 50) -> list[Mention]:
    qs = filtered_mentions(workspace, flt).select_related("author").prefetch_related("monitors")
    return list(qs.order_by("-created_at", "-pk")[:limit])


def get_mention(workspace: Workspace, mention_id: int) -> Mention:
    mention = (
        Mention.objects.filter(workspace=workspace, pk=mention_id).select_related("author").first()
    )
    if mention is None:
        raise Http404("no such mention")
    return mention


def list_thread(mention: Mention) -> list[Mention]:
    """The mention's parent chain (oldest first) and its direct replies, within the workspace."""
    chain: list[Mention] = []
    current = mention
    while current.parent_external_id and len(chain) < 20:
        parent = (
            Mention.objects.filter(
                workspace_id=mention.workspace_id,
                platform=mention.platform,
                external_id=current.parent_external_id,
            )
            .select_related("author")
            .first()
        )
        if parent is None:
            break
        chain.insert(0, parent)
        current = parent
    replies = list(
        Mention.objects.filter(
            workspace_id=mention.workspace_id,
            platform=mention.platform,
            parent_external_id=mention.external_id,
        )
        .select_related("author")
        .order_by("created_at")[:50]
    )
    return [*chain, mention, *replies]


def latest_mention_id(workspace: Workspace) -> int:
    row = (
        Mention.objects.filter(workspace=workspace)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return row or 0


@dataclass(frozen=True)
class SeriesPoint:
    at: datetime
    negative: int
    neutral: int
    positive: int
    other: int

    @property
    def total(self) -> int:
        return self.negative + self.neutral + self.positive + self.other


def volume_by_sentiment(
    workspace: Workspace, *, monitor_id: int | None, since: datetime, until: datetime
) -> list[SeriesPoint]:
    """Mention counts per hour (or per day beyond 3 days) split by sentiment as shown (a
    person's correction wins over the machine), gaps filled. The brand's own posts are left
    out: they are answers, not signals."""
    step = timedelta(hours=1) if until - since <= timedelta(days=3) else timedelta(days=1)
    trunc = TruncHour if step == timedelta(hours=1) else TruncDay
    base: QuerySet[Any]
    if monitor_id:
        base = MentionMatch.objects.filter(
            monitor_id=monitor_id,
            monitor__workspace=workspace,
            created_at__gte=since,
            created_at__lt=until,
        ).exclude(mention__author__is_own=True)
        sentiment = shown_sentiment("mention_id", "mention__sentiment")
    else:
        base = Mention.objects.filter(
            workspace=workspace, created_at__gte=since, created_at__lt=until
        ).exclude(author__is_own=True)
        sentiment = shown_sentiment()
    rows = (
        base.annotate(slot=trunc("created_at"), shown=sentiment)
        .values("slot", "shown")
        .annotate(n=Count("pk"))
    )
    counts: dict[datetime, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["slot"], {})[row["shown"] or "other"] = row["n"]
    return _fill_series(counts, since=since, until=until, step=step)


def _fill_series(
    counts: dict[datetime, dict[str, int]], *, since: datetime, until: datetime, step: timedelta
) -> list[SeriesPoint]:
    # The database truncates to hours and days in the display time zone: floor the same way.
    start = timezone.localtime(since).replace(minute=0, second=0, microsecond=0)
    if step >= timedelta(days=1):
        start = start.replace(hour=0)
    points: list[SeriesPoint] = []
    at = start
    while at < until:
        c = counts.get(at, {})
        points.append(
            SeriesPoint(
                at,
                c.get("negative", 0),
                c.get("neutral", 0),
                c.get("positive", 0),
                c.get("other", 0),
            )
        )
        at = _add_wall_clock(at, step)
    return points


def _add_wall_clock(at: datetime, step: timedelta) -> datetime:
    """The next slot in local wall-clock time, so a daylight-saving change keeps days aligned."""
    naive = at.replace(tzinfo=None) + step
    return timezone.make_aware(naive, timezone.get_current_timezone())
