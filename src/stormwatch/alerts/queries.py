"""Reads of alerts, rules, channels, deliveries and in-app notes. No writes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from stormwatch.alerts.models import (
    Alert,
    AlertEvent,
    AlertRule,
    Delivery,
    InAppNotification,
    NotificationChannel,
)
from stormwatch.alerts.rules import DEFAULT_RULE, Rule
from stormwatch.monitors.models import Monitor
from stormwatch.workspaces.models import Workspace


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
    qs = Alert.objects.filter(workspace=workspace).select_related("monitor", "source")
    if state:
        qs = qs.filter(state=state)
    return list(qs.order_by("-detected_at", "-pk")[:limit])


def get_alert(workspace: Workspace, alert_id: int) -> Alert:
    alert = (
        Alert.objects.filter(workspace=workspace, pk=alert_id)
        .select_related("monitor", "source", "acknowledged_by")
        .first()
    )
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
    qs = Delivery.objects.filter(channel__workspace=workspace).select_related("channel", "alert")
    return list(qs.order_by("-at", "-pk")[:limit])


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
