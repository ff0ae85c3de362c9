"""Reads of alerts, rules, channels, deliveries and in-app notes. No writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from stormwatch.alerts.models import (
    Alert,
    AlertEvent,
    AlertRule,
    Delivery,
    DigestSchedule,
    InAppNotification,
    NotificationChannel,
)
from stormwatch.alerts.rules import DEFAULT_RULE, Rule
from stormwatch.monitors.models import Monitor
from stormwatch.workspaces.models import Workspace


@dataclass(frozen=True)
class AlertFilter:
    """Which alerts of a workspace: by state, by monitor, detected at or after `since`."""

    state: str = ""
    monitor_id: int | None = None
    since: datetime | None = None


@dataclass(frozen=True)
class AlertPage:
    alerts: list[Alert]
    total: int  # how many match the filter, across all pages


@dataclass(frozen=True)
class DeliveryPage:
    deliveries: list[Delivery]
    total: int


def rule_for(monitor: Monitor) -> Rule:
    """The monitor's rule, or the default when it has none."""
    row = AlertRule.objects.filter(monitor=monitor).first()
    return rule_from_row(row) if row else DEFAULT_RULE


def rule_for_alert(alert: Alert) -> Rule:
    """The rule of the alert's monitor; source alerts follow the default rule."""
    return rule_for(alert.monitor) if alert.monitor is not None else DEFAULT_RULE


def rule_from_row(row: AlertRule) -> Rule:
    return Rule(
        sensitivity=row.sensitivity,
        min_volume=row.min_volume,
        cooldown=timedelta(minutes=row.cooldown_minutes),
        quiet_start_hour=row.quiet_start_hour,
        quiet_end_hour=row.quiet_end_hour,
        quiet_min_severity=row.quiet_min_severity,
        escalate_after=timedelta(minutes=row.escalate_after_minutes),
    )


def list_alerts(workspace: Workspace, *, state: str = "", limit: int = 100) -> list[Alert]:
    return list(_matching_alerts(workspace, AlertFilter(state=state))[:limit])


def page_alerts(
    workspace: Workspace, alert_filter: AlertFilter, *, limit: int, offset: int
) -> AlertPage:
    """Newest detected first; `total` counts every match, `alerts` is one page of them."""
    qs = _matching_alerts(workspace, alert_filter)
    return AlertPage(alerts=list(qs[offset : offset + limit]), total=qs.count())


def _matching_alerts(workspace: Workspace, alert_filter: AlertFilter) -> QuerySet[Alert]:
    qs = Alert.objects.filter(workspace=workspace)
    if alert_filter.state:
        qs = qs.filter(state=alert_filter.state)
    if alert_filter.monitor_id is not None:
        qs = qs.filter(monitor_id=alert_filter.monitor_id)
    if alert_filter.since is not None:
        qs = qs.filter(detected_at__gte=alert_filter.since)
    return qs.select_related("monitor", "source").order_by("-detected_at", "-pk")


def find_alert(workspace: Workspace, alert_id: int) -> Alert | None:
    """The workspace's alert `alert_id`, or None (also when it belongs to another workspace)."""
    return (
        Alert.objects.filter(workspace=workspace, pk=alert_id)
        .select_related("monitor", "source", "acknowledged_by")
        .first()
    )


def get_alert(workspace: Workspace, alert_id: int) -> Alert:
    alert = find_alert(workspace, alert_id)
    if alert is None:
        raise Http404("no such alert")
    return alert


def list_alert_events(alert: Alert) -> list[AlertEvent]:
    return list(alert.events.select_related("actor").order_by("at", "pk"))


def list_alerts_since(workspace: Workspace, since: datetime) -> list[Alert]:
    qs = Alert.objects.filter(workspace=workspace, detected_at__gte=since)
    return list(qs.select_related("monitor", "source").order_by("-severity", "detected_at"))


def list_channels(workspace: Workspace) -> list[NotificationChannel]:
    return list(NotificationChannel.objects.filter(workspace=workspace).order_by("name"))


def list_deliveries(workspace: Workspace, *, limit: int = 100) -> list[Delivery]:
    return list(_matching_deliveries(workspace, alert_id=None).select_related("alert")[:limit])


def page_deliveries(
    workspace: Workspace, *, alert_id: int | None, limit: int, offset: int
) -> DeliveryPage:
    """The workspace's delivery log (of one alert when `alert_id` is given), newest first."""
    qs = _matching_deliveries(workspace, alert_id=alert_id)
    return DeliveryPage(deliveries=list(qs[offset : offset + limit]), total=qs.count())


def _matching_deliveries(workspace: Workspace, *, alert_id: int | None) -> QuerySet[Delivery]:
    qs = Delivery.objects.filter(channel__workspace=workspace)
    if alert_id is not None:
        qs = qs.filter(alert_id=alert_id)
    return qs.select_related("channel").order_by("-at", "-pk")


def find_digest_schedule(workspace: Workspace) -> DigestSchedule | None:
    return DigestSchedule.objects.filter(workspace=workspace).first()


def list_notes(
    user: AbstractBaseUser | AnonymousUser, workspace: Workspace
) -> list[InAppNotification]:
    if not user.is_authenticated:
        return []
    qs = InAppNotification.objects.filter(user_id=user.pk, workspace=workspace)
    return list(qs.order_by("-created_at", "-pk")[:50])


def count_unread_notes(user: AbstractBaseUser | AnonymousUser, workspace: Workspace) -> int:
    if not user.is_authenticated:
        return 0
    return InAppNotification.objects.filter(
        user_id=user.pk, workspace=workspace, read_at__isnull=True
    ).count()
