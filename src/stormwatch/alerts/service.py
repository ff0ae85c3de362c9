"""Every state change of alerts and their rules. Keyword-only arguments, explicit `now`.

`record_detections` turns a monitor's detections into alerts: one alert per episode (a
detection within the rule's cooldown of the monitor's latest alert updates that alert instead
of raising another). `record_source_health` does the same for sources (silence is not good
news): one alert per unhealthy episode, updated while it lasts, resolved when the source is
healthy again. Both return what changed, so the caller can notify after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from stormwatch.alerts.access import RESPONDER_ROLES
from stormwatch.alerts.detections import detection_from_json, explain_episode
from stormwatch.alerts.models import Alert, AlertEvent, AlertRule, InAppNotification
from stormwatch.alerts.queries import rule_for, rule_for_alert
from stormwatch.alerts.rules import Rule, admits, joins_episode, lowered
from stormwatch.alerts.source_text import (
    KIND_OF_STATUS,
    SEVERITY_OF_KIND,
    explain_source,
    started_at,
)
from stormwatch.alerts.state import ACTIVE_STATES, next_state
from stormwatch.annotations.queries import narrative_labels
from stormwatch.detect.detection import Detection
from stormwatch.monitors.models import Monitor
from stormwatch.sources.queries import SourceHealth, list_source_health
from stormwatch.workspaces.models import Membership, Workspace

FEEDBACK = ("useful", "false_alarm")


@dataclass(frozen=True)
class AlertChange:
    alert: Alert
    reason: str  # "raised", "updated" (severity rose), "escalated" or "recovered" (a source)


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


def _labels(monitor: Monitor, detections: Sequence[Detection]) -> dict[str, str]:
    """Readable labels of the narratives these detections name, from the workspace's store."""
    keys = {d.subject for d in detections if d.kind == "emerging_narrative" and d.subject}
    return narrative_labels(monitor.workspace_id, keys) if keys else {}


def _raise_alert(monitor: Monitor, detection: Detection, *, now: datetime) -> AlertChange:
    alert = Alert.objects.create(
        workspace_id=monitor.workspace_id,
        monitor=monitor,
        severity=detection.severity,
        kind=detection.kind,
        started_at=detection.started_at,
        detected_at=detection.detected_at,
        last_detected_at=detection.detected_at,
        explanation_en=explain_episode([detection], "en", _labels(monitor, [detection])),
        explanation_pl=explain_episode([detection], "pl", _labels(monitor, [detection])),
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
    labels = _labels(alert.monitor, ordered) if alert.monitor else {}
    alert.explanation_en = explain_episode(ordered, "en", labels)
    alert.explanation_pl = explain_episode(ordered, "pl", labels)
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
            if alert.monitor is not None:  # a source alert has no sensitivity to lower
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
    for alert in Alert.objects.filter(state="open").select_related("monitor", "source"):
        rule = rule_for_alert(alert)
        if alert.created_at + rule.escalate_after > now:
            continue
        minutes = round(rule.escalate_after / timedelta(minutes=1))
        note = f"not acknowledged within {minutes} minutes"
        transition_alert(alert=alert, action="escalate", actor=None, now=now, note=note)
        _tell_responders(alert, "alert_escalated", note, now=now)
        changes.append(AlertChange(alert, "escalated"))
    return changes


def record_source_health(*, workspace: Workspace, now: datetime) -> list[AlertChange]:
    """Raise, update or resolve the workspace's source alerts from the sources' health at `now`.

    An unhealthy source (sources.queries: failing 3+ times in a row, overdue, silent) has one
    alert per episode: raised once, then updated in place (a timeline entry only when the kind
    or the platform's message changes). A healthy source ("ok", "new") ends its episode: the
    alert is resolved if still active, with a "recovered" entry. A paused source, or one that
    failed fewer times than alerts wait for, leaves its episode as it is. Idempotent per `now`.
    """
    changes: list[AlertChange] = []
    open_alerts = {
        a.source_id: a
        for a in Alert.objects.filter(
            workspace=workspace, source__isnull=False, ended_at__isnull=True
        ).select_related("source")
    }
    for health in list_source_health(workspace, now):
        alert = open_alerts.get(health.source_id)
        change: AlertChange | None = None
        if health.is_unhealthy:
            change = _track_source(alert, health, now=now)
        elif alert is not None and health.status in ("ok", "new"):
            change = _recover(alert, now=now)
        if change is not None:
            changes.append(change)
    return changes


def _track_source(
    alert: Alert | None, health: SourceHealth, *, now: datetime
) -> AlertChange | None:
    kind = KIND_OF_STATUS[health.status]
    severity = SEVERITY_OF_KIND[kind]
    texts = {lang: explain_source(health, lang, now) for lang in ("en", "pl")}
    if alert is None:
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    workspace_id=health.workspace_id,
                    source_id=health.source_id,
                    severity=severity,
                    kind=kind,
                    started_at=started_at(health, now),
                    detected_at=now,
                    last_detected_at=now,
                    explanation_en=texts["en"],
                    explanation_pl=texts["pl"],
                    detections=[_health_snapshot(health, now)],
                    created_at=now,
                    updated_at=now,
                )
                _log(alert, "raised", now=now, note=health.reason)
                _tell_responders(alert, "alert_raised", f"{health.name}: {health.reason}", now=now)
        except IntegrityError:
            return None  # another process raised this episode a moment ago
        return AlertChange(alert, "raised")
    return _update_source_alert(alert, health, kind, texts, now=now)


def _update_source_alert(
    alert: Alert, health: SourceHealth, kind: str, texts: dict[str, str], *, now: datetime
) -> AlertChange | None:
    """Refresh the alert's text; a change worth telling only when an active alert got worse."""
    if (alert.kind, alert.explanation_en) == (kind, texts["en"]):
        return None  # nothing new: no write on every round of a long outage
    previous = alert.severity
    alert.severity = max(previous, SEVERITY_OF_KIND[kind])
    alert.kind, alert.last_detected_at, alert.updated_at = kind, now, now
    alert.explanation_en, alert.explanation_pl = texts["en"], texts["pl"]
    # Durations in the text change every minute; only a new status or message is history.
    snapshot = _health_snapshot(health, now)
    grew = not alert.detections or not _same_trouble(alert.detections[-1], snapshot)
    if grew:
        alert.detections = [*alert.detections, snapshot]
    alert.save()
    if grew:
        _log(alert, "updated", now=now, note=health.reason)
    if alert.severity > previous and alert.state in ACTIVE_STATES:
        return AlertChange(alert, "updated")
    return None


def _health_snapshot(health: SourceHealth, now: datetime) -> dict[str, str]:
    """What a source alert keeps in `detections`: each distinct trouble of its episode."""
    error = health.last_error if health.status == "failing" else ""
    return {"status": health.status, "error": error, "at": now.isoformat()}


def _same_trouble(before: dict[str, str], after: dict[str, str]) -> bool:
    return (before.get("status"), before.get("error")) == (after["status"], after["error"])


def _recover(alert: Alert, *, now: datetime) -> AlertChange | None:
    """End the source's episode; resolve the alert unless a person already closed it."""
    was_active = alert.state in ACTIVE_STATES
    with transaction.atomic():
        if was_active:
            alert.state, alert.closed_at = next_state(alert.state, "resolve"), now
        alert.ended_at = alert.updated_at = now
        alert.save()
        _log(alert, "recovered", now=now, note="the source is healthy again")
    return AlertChange(alert, "recovered") if was_active else None


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
