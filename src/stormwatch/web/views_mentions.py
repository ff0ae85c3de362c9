"""Overview, live mention stream and mention detail pages."""

from __future__ import annotations

import json
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from stormwatch.annotations.charts import emotions_figure
from stormwatch.annotations.labels import LabelError, clean_tag
from stormwatch.annotations.queries import (
    count_copies,
    find_narrative,
    find_original,
    list_narrative_choices,
    list_tags,
    shown_labels_for,
    shown_labels_of,
)
from stormwatch.core.clock import SystemClock
from stormwatch.mentions.queries import (
    SENTIMENTS,
    MentionFilter,
    get_mention,
    latest_mention_id,
    list_mentions,
    list_thread,
    volume_by_sentiment,
)
from stormwatch.monitors.queries import list_monitors
from stormwatch.web.access import can, template_context, workspace_view
from stormwatch.web.charts import sentiment_volume_figure
from stormwatch.workspaces.models import Membership

PERIODS = {
    "1h": timedelta(hours=1),
    "24h": timedelta(days=1),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}


@workspace_view()
def overview(request: HttpRequest, membership: Membership) -> HttpResponse:
    now = SystemClock().now()
    period = request.GET.get("period", "7d")
    span = PERIODS.get(period, PERIODS["7d"])
    since = now - span
    workspace = membership.workspace
    charts = []
    for monitor in [None, *list_monitors(workspace)]:
        series = volume_by_sentiment(
            workspace, monitor_id=monitor.pk if monitor else None, since=since, until=now
        )
        title = monitor.name if monitor else _("All mentions")
        charts.append(
            {
                "id": f"chart-{monitor.pk if monitor else 'all'}",
                "title": title,
                "total": sum(p.total for p in series),
                "negative": sum(p.negative for p in series),
                "figure": json.dumps(sentiment_volume_figure(series)),
                "monitor": monitor,
            }
        )
    context = template_context(membership, charts=charts, period=period, periods=list(PERIODS))
    return render(request, "web/overview.html", context)


def _filter_from(request: HttpRequest) -> MentionFilter:
    get = request.GET
    monitor = get.get("monitor", "")
    since = PERIODS.get(get.get("period", ""))
    after = get.get("after", "")
    return MentionFilter(
        monitor_id=int(monitor) if monitor.isdigit() else None,
        platform=get.get("platform", "")[:64],
        lang=get.get("lang", "")[:16],
        sentiment=get.get("sentiment", "") if get.get("sentiment") in SENTIMENTS else "",
        since=SystemClock().now() - since if since else None,
        search=get.get("q", "")[:200],
        after_id=int(after) if after.isdigit() else None,
        intent=_tag_or_blank(get.get("intent", "")),
        narrative=get.get("narrative", "")[:64],
    )


def _tag_or_blank(raw: str) -> str:
    try:
        return clean_tag(raw) if raw else ""
    except LabelError:
        return ""


@workspace_view()
def mention_stream(request: HttpRequest, membership: Membership) -> HttpResponse:
    workspace = membership.workspace
    flt = _filter_from(request)
    mentions = list_mentions(workspace, flt, limit=100)
    context = template_context(
        membership,
        mentions=mentions,
        shown=shown_labels_for(mentions),
        can_correct=can(membership, "correct_labels"),
        monitors=list_monitors(workspace),
        sentiments=SENTIMENTS,
        tags=list_tags(workspace),
        narratives=list_narrative_choices(workspace),
        periods=list(PERIODS),
        params=request.GET,
        latest_id=latest_mention_id(workspace),
        query_string=request.GET.urlencode(),
    )
    return render(request, "web/mentions.html", context)


@workspace_view()
def mention_stream_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    """htmx partial: rows newer than `after`, prepended to the stream every few seconds."""
    flt = _filter_from(request)
    mentions = list_mentions(membership.workspace, flt, limit=100)
    latest = max([m.pk for m in mentions], default=flt.after_id or 0)
    params = request.GET.copy()
    params["after"] = str(latest)
    context = template_context(
        membership,
        mentions=mentions,
        shown=shown_labels_for(mentions),
        can_correct=can(membership, "correct_labels"),
        poll_query=params.urlencode(),
    )
    return render(request, "web/_mention_rows_new.html", context)


@workspace_view()
def mention_detail(request: HttpRequest, membership: Membership, mention_id: int) -> HttpResponse:
    mention = get_mention(membership.workspace, mention_id)
    context = template_context(
        membership,
        mention=mention,
        m=mention,
        labels=shown_labels_of(mention),
        can_correct=can(membership, "correct_labels"),
        detail=True,
        narrative=find_narrative(membership.workspace, mention.narrative),
        copies=count_copies(mention),
        original=find_original(mention),
        emotions_figure=json.dumps(emotions_figure(mention.emotions)) if mention.emotions else "",
        thread=list_thread(mention),
        author_recent=(
            list(mention.author.mentions.order_by("-created_at")[:10]) if mention.author else []
        ),
        raw_json=json.dumps(mention.raw, indent=2, ensure_ascii=False)[:20000],
    )
    return render(request, "web/mention_detail.html", context)
