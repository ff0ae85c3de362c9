"""Alert pages: list, detail with chart and actions, rule editor with backtest preview,
channels with their delivery log, in-app notes. Thin: logic lives in service.py / queries.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stormwatch.alerts import queries
from stormwatch.alerts.access import AlertPermission, may
from stormwatch.alerts.charts import alert_figure
from stormwatch.alerts.models import Delivery, NotificationChannel
from stormwatch.alerts.notify import service as notify
from stormwatch.alerts.notify.channels import redact_url
from stormwatch.alerts.notify.digests import save_digest_schedule
from stormwatch.alerts.preview import preview_rule
from stormwatch.alerts.rules import MIN_SEVERITY, SENSITIVITIES, Rule
from stormwatch.alerts.service import give_feedback, save_rule, transition_alert
from stormwatch.alerts.state import STATES, TransitionError, allowed_actions
from stormwatch.core.clock import SystemClock
from stormwatch.monitors.queries import get_monitor, list_monitors
from stormwatch.web.access import template_context, workspace_view
from stormwatch.workspaces.models import Membership


def _require(membership: Membership, permission: AlertPermission) -> None:
    if not may(membership.role, permission):
        raise PermissionDenied(f"your role ({membership.role}) cannot do this")


@workspace_view()
def alert_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    state = request.GET.get("state", "")
    context = template_context(
        membership,
        alerts=queries.list_alerts(membership.workspace, state=state if state in STATES else ""),
        states=STATES,
        state=state,
        can_edit_rules=may(membership.role, "edit_rules"),
        monitors=list_monitors(membership.workspace),
    )
    return render(request, "alerts/alert_list.html", context)


@workspace_view()
def alert_detail(request: HttpRequest, membership: Membership, alert_id: int) -> HttpResponse:
    alert = queries.get_alert(membership.workspace, alert_id)
    polish = translation.get_language() == "pl"
    context = template_context(
        membership,
        alert=alert,
        explanation=alert.explanation_pl if polish else alert.explanation_en,
        figure=json.dumps(alert_figure(alert)) if alert.monitor_id is not None else "",
        events=queries.list_alert_events(alert),
        deliveries=_with_retry_notes(alert.deliveries.select_related("channel").order_by("at")),
        actions=allowed_actions(alert.state) if may(membership.role, "respond") else [],
        can_respond=may(membership.role, "respond"),
    )
    return render(request, "alerts/alert_detail.html", context)


@require_POST
@workspace_view()
def alert_act(request: HttpRequest, membership: Membership, alert_id: int) -> HttpResponse:
    _require(membership, "respond")
    alert = queries.get_alert(membership.workspace, alert_id)
    action = request.POST.get("action", "")
    now = SystemClock().now()
    try:
        if action in ("useful", "false_alarm"):
            give_feedback(alert=alert, verdict=action, actor=request.user, now=now)  # type: ignore[arg-type]
        else:
            transition_alert(alert=alert, action=action, actor=request.user, now=now)  # type: ignore[arg-type]
    except TransitionError as exc:
        messages.error(request, str(exc))
    return redirect("alert-detail", slug=membership.workspace.slug, alert_id=alert.pk)


def _rule_from(request: HttpRequest) -> Rule:
    post = request.POST

    def hour(name: str) -> int | None:
        value = post.get(name, "").strip()
        return int(value) if value else None

    return Rule(
        sensitivity=post.get("sensitivity", "balanced"),
        min_volume=int(post.get("min_volume") or 0),
        cooldown=timedelta(minutes=int(post.get("cooldown_minutes") or 120)),
        quiet_start_hour=hour("quiet_start_hour"),
        quiet_end_hour=hour("quiet_end_hour"),
        quiet_min_severity=int(post.get("quiet_min_severity") or 4),
        escalate_after=timedelta(minutes=int(post.get("escalate_after_minutes") or 30)),
    )


@workspace_view()
def rule_edit(request: HttpRequest, membership: Membership, monitor_id: int) -> HttpResponse:
    _require(membership, "edit_rules")
    monitor = get_monitor(membership.workspace, monitor_id)
    rule, error = queries.rule_for(monitor), ""
    if request.method == "POST":
        try:
            rule = _rule_from(request)
        except ValueError as exc:
            error = str(exc)
        else:
            save_rule(monitor=monitor, rule=rule, now=SystemClock().now())
            messages.success(request, _("Alert rule saved."))
            return redirect("alert-list", slug=membership.workspace.slug)
    context = template_context(
        membership,
        monitor=monitor,
        rule=rule.to_json_dict(),
        error=error,
        sensitivities=SENSITIVITIES,
        min_severity=MIN_SEVERITY,
    )
    return render(request, "alerts/rule_form.html", context, status=400 if error else 200)


@require_POST
@workspace_view()
def rule_preview(request: HttpRequest, membership: Membership, monitor_id: int) -> HttpResponse:
    """htmx partial: the alerts the edited rule would have raised over the last 30 days."""
    _require(membership, "edit_rules")
    monitor = get_monitor(membership.workspace, monitor_id)
    try:
        rule = _rule_from(request)
    except ValueError as exc:
        return render(request, "alerts/_rule_preview.html", {"error": str(exc)})
    alerts = preview_rule(monitor, rule, now=SystemClock().now())
    polish = translation.get_language() == "pl"
    rows = [(a, a.to_json_dict()["explanation_pl" if polish else "explanation"]) for a in alerts]
    return render(request, "alerts/_rule_preview.html", {"rows": rows, "count": len(alerts)})


@workspace_view()
def channel_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    can_manage = may(membership.role, "manage_channels")
    error = ""
    if request.method == "POST":
        _require(membership, "manage_channels")
        try:
            notify.add_channel(
                workspace=membership.workspace,
                name=request.POST.get("name", ""),
                url=request.POST.get("url", "").strip(),
                min_severity=int(request.POST.get("min_severity") or 1),
                owner=request.user,  # type: ignore[arg-type]
                now=SystemClock().now(),
            )
        except (notify.ChannelError, ValueError) as exc:
            error = str(exc)
        else:
            return redirect("alert-channels", slug=membership.workspace.slug)
    channels = [
        (c, redact_url(notify.channel_url(c)) if can_manage else "")
        for c in queries.list_channels(membership.workspace)
    ]
    context = template_context(
        membership,
        channels=channels,
        deliveries=_with_retry_notes(queries.list_deliveries(membership.workspace)),
        can_manage=can_manage,
        error=error,
        digest=queries.find_digest_schedule(membership.workspace),
        digest_hours=range(24),
        time_zone=settings.TIME_ZONE,
    )
    return render(request, "alerts/channels.html", context, status=400 if error else 200)


def _with_retry_notes(deliveries: Iterable[Delivery]) -> list[tuple[Delivery, str]]:
    return [(d, retry_note(d)) for d in deliveries]


def retry_note(delivery: Delivery) -> str:
    """What the delivery log says about a delivery's retries ("" when there is nothing to say)."""
    if delivery.ok:
        if delivery.attempt == 1:
            return ""
        return _("on attempt %(attempt)s") % {"attempt": delivery.attempt}
    state = delivery.retry_state
    if state == "pending" and delivery.retry_at is not None:
        return _("retry %(attempt)s of %(max)s at %(time)s") % {
            "attempt": delivery.attempt + 1,
            "max": notify.MAX_ATTEMPTS,
            "time": timezone.localtime(delivery.retry_at).strftime("%H:%M"),
        }
    notes = {
        "retried": _("retried"),
        "exhausted": _("gave up after %(count)s attempts") % {"count": delivery.attempt},
        "permanent": _("not retried: the address cannot work"),
        "channel_disabled": _("retry dropped: the channel was disabled"),
        "alert_closed": _("retry dropped: the alert was closed"),
        "superseded": _("retry dropped: a newer message got through"),
    }
    return notes.get(state, "")


@require_POST
@workspace_view()
def digest_edit(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Set the daily digest's local hour, or turn it off (an empty hour)."""
    _require(membership, "manage_channels")
    raw = request.POST.get("hour", "").strip()
    try:
        hour = int(raw) if raw else None
        save_digest_schedule(workspace=membership.workspace, hour=hour, now=SystemClock().now())
    except ValueError:  # not a number, or a DigestError (out of range)
        messages.error(request, _("Choose an hour between 0 and 23, or off."))
    else:
        done = _("Daily digest turned off.") if hour is None else _("Daily digest saved.")
        messages.success(request, done)
    return redirect("alert-channels", slug=membership.workspace.slug)


@require_POST
@workspace_view()
def channel_act(request: HttpRequest, membership: Membership, channel_id: int) -> HttpResponse:
    _require(membership, "manage_channels")
    channel = get_object_or_404(NotificationChannel, workspace=membership.workspace, pk=channel_id)
    action = request.POST.get("action", "")
    if action == "test":
        delivery = notify.send_test(channel=channel, now=SystemClock().now())
        if delivery.ok:
            messages.success(request, _("Test notification delivered."))
        else:
            messages.error(request, _("Delivery failed: %(error)s") % {"error": delivery.error})
    elif action == "enable":
        notify.enable_channel(channel=channel)
    elif action == "delete":
        notify.delete_channel(channel=channel)
    return redirect("alert-channels", slug=membership.workspace.slug)


@workspace_view()
def note_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    notes = queries.list_notes(request.user, membership.workspace)
    if request.method == "POST":
        notify.mark_notes_read(
            user=request.user,  # type: ignore[arg-type]
            workspace=membership.workspace,
            now=SystemClock().now(),
        )
        return redirect("alert-notes", slug=membership.workspace.slug)
    return render(request, "alerts/notes.html", template_context(membership, notes=notes))
