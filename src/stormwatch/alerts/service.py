"""Every state change of alerts and their rules. Keyword-only arguments, explicit `now`.

`record_detections` turns a monitor's detections into alerts: one alert per episode (a
detection within the rule's cooldown of the monitor's latest alert updates that alert instead
of raising another). It returns what changed, so the caller can notify after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from stormwatch.alerts.access import RESPONDER_ROLES
from stormwatch.alerts.detections import detection_from_json, explain_episode
from stormwatch.alerts.models import Alert, AlertEvent, AlertRule, InAppNotification
from stormwatch.alerts.queries import rule_for
from stormwatch.alerts.rules import Rule, admits, joins_episode, lowered
from stormwatch.alerts.state import ACTIVE_STATES, next_state
from stormwatch.detect.detection import Detection
from stormwatch.monitors.models import Monitor
from stormwatch.workspaces.models import Membership

FEEDBACK = ("useful", "false_alarm")


@dataclass(frozen=True)
class AlertChange:
    alert: Alert
    reason: str  # "raised", "updated" (severity rose) or "escalated"


def record_detections(
    *, monitor: Monitor, detections: list[Detection], now: datetime
) -> list[AlertChange]:
    """Raise or update alerts for `detections` (any order); returns changes worth telling."""
    rule = rule_for(monitor)
    changes: list[AlertChange] = []
    with transaction.atomic():
        for detection in sorted(detections, key=lambda d: d.detected_at):
            if not admits(rule, detection):
                continue
            latest = Alert.objects.filter(monitor=monitor).order_by("-last_detected_at").first()
            if latest and joins_episode(latest.last_detected_at, rule, detection):
                change = _grow_alert(latest, detection, now=now)
            else:
                change = _raise_alert(monitor, detection, now=now)
            if change is not None:
                changes.append(change)
    return changes


def _raise_alert(monitor: Monitor, detection: Detection, *, now: datetime) -> AlertChange:
    alert = Alert.objects.create(
        workspace_id=monitor.workspace_id,
        monitor=monitor,
        severity=detection.severity,
        kind=detection.kind,
        started_at=detection.started_at,
        detected_at=detection.detected_at,
        last_detected_at=detection.detected_at,
        explanation_en=explain_episode([detection], "en"),
        explanation_pl=explain_episode([detection], "pl"),
        detections=[detection.to_json_dict()],
        created_at=now,
        updated_at=now,
    )
    _log(alert, "raised", now=now, note=f"severity {alert.severity}")
    _tell_responders(alert, "alert_raised", monitor.name, now=now)
    return AlertChange(alert, "raised")


def _grow_alert(alert: Alert, detection: Detection, *, now: datetime) -> AlertChange | None:
    """Add a detection to its episode's alert; a change only when an active alert got worse."""
    previous = alert.severity
    alert.detections = [*alert.detections, detection.to_json_dict()]
    ordered = [detection_from_json(d) for d in alert.detections]
    alert.severity = max(previous, detection.severity)
    alert.kind = max(ordered, key=lambda d: d.severity).kind
    # started_at stays the first detection's: a later detector's started_at is the start of
    # its (possibly hours-long) test window, not of the episode.
    alert.last_detected_at = max(alert.last_detected_at, detection.detected_at)
    alert.explanation_en = explain_episode(ordered, "en")
    alert.explanation_pl = explain_episode(ordered, "pl")
    alert.updated_at = now
    alert.save()
    _log(alert, "updated", now=now, note=f"{detection.kind}, severity {detection.severity}")
    if alert.severity > previous and alert.state in ACTIVE_STATES:
        return AlertChange(alert, "updated")
    return None


def transition_alert(
    *, alert: Alert, action: str, actor: User | None, now: datetime, note: str = ""
) -> Alert:
    """Apply a lifecycle action (state.py); raises state.TransitionError when not allowed."""
    alert.state = next_state(alert.state, action)
    if action == "acknowledge":
        alert.acknowledged_at, alert.acknowledged_by_id = now, actor.pk if actor else None
    elif action == "escalate":
        alert.escalated_at = now
    elif action in ("resolve", "dismiss"):
        alert.closed_at = now
    alert.updated_at = now
    with transaction.atomic():
        alert.save()
        _log(alert, action, now=now, actor=actor, note=note)
    return alert


def give_feedback(*, alert: Alert, verdict: str, actor: User | None, now: datetime) -> Alert:
    """Record "useful" or "false_alarm". A false alarm dismisses the alert and lowers the
    monitor's sensitivity one step (more -> balanced -> fewer); "useful" keeps it."""
    if verdict not in FEEDBACK:
        raise ValueError(f"feedback must be one of {', '.join(FEEDBACK)}")
    with transaction.atomic():
        alert.feedback = verdict
        alert.updated_at = now
        alert.save(update_fields=["feedback", "updated_at"])
        _log(alert, f"feedback_{verdict}", now=now, actor=actor)
        if verdict == "false_alarm":
            if alert.state != "dismissed":
                transition_alert(alert=alert, action="dismiss", actor=actor, now=now)
            rule = rule_for(alert.monitor)
            save_rule(
                monitor=alert.monitor,
                rule=replace(rule, sensitivity=lowered(rule.sensitivity)),
                now=now,
            )
    return alert


def escalate_overdue(*, now: datetime) -> list[AlertChange]:
    """Escalate open alerts nobody acknowledged within their rule's `escalate_after`."""
    changes: list[AlertChange] = []
    for alert in Alert.objects.filter(state="open").select_related("monitor"):
        rule = rule_for(alert.monitor)
        if alert.created_at + rule.escalate_after > now:
            continue
        minutes = round(rule.escalate_after / timedelta(minutes=1))
        note = f"not acknowledged within {minutes} minutes"
        transition_alert(alert=alert, action="escalate", actor=None, now=now, note=note)
        _tell_responders(alert, "alert_escalated", note, now=now)
        changes.append(AlertChange(alert, "escalated"))
    return changes


def save_rule(*, monitor: Monitor, rule: Rule, now: datetime) -> AlertRule:
    fields = rule.to_json_dict()
    row, _ = AlertRule.objects.update_or_create(
        monitor=monitor, defaults={**fields, "updated_at": now}
    )
    return row


def _log(
    alert: Alert,
    action: str,
    *,
    now: datetime,
    actor: User | None = None,
    note: str = "",
) -> None:
    AlertEvent.objects.create(alert=alert, action=action, actor=actor, note=note[:500], at=now)


def _tell_responders(alert: Alert, kind: str, text: str, *, now: datetime) -> None:
    members = Membership.objects.filter(workspace_id=alert.workspace_id, role__in=RESPONDER_ROLES)
    InAppNotification.objects.bulk_create(
        InAppNotification(
            workspace_id=alert.workspace_id,
            user_id=m.user_id,
            alert=alert,
            kind=kind,
            text=text[:500],
            created_at=now,
        )
        for m in members
    )
