"""REST API v1 for alerts and their deliveries. Thin: reads come from alerts.queries, every
change from alerts.service; here only input checks, permissions and the JSON shape.

The token's workspace is the tenancy boundary, as for every route: another workspace's alert
is answered 404, like one that does not exist. Tokens are issued only by people who may manage
the workspace (owners and admins, who may also respond to alerts), so a token may act on its
workspace's alerts; a change is attributed to the person who issued the token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router

from stormwatch.alerts import queries
from stormwatch.alerts.models import Alert, Delivery
from stormwatch.alerts.service import FEEDBACK, give_feedback, transition_alert
from stormwatch.alerts.state import STATES, TransitionError, allowed_actions
from stormwatch.api.auth import token_of
from stormwatch.api.errors import ApiProblem
from stormwatch.api.schemas import (
    AlertDetailOut,
    AlertPageOut,
    DeliveryPageOut,
    ErrorOut,
    FeedbackIn,
    NoteIn,
)
from stormwatch.core.clock import SystemClock
from stormwatch.workspaces.models import ApiToken

router = Router(tags=["alerts"])

MAX_PAGE = 200
READ_ERRORS = {400: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _page_bounds(limit: int, offset: int) -> tuple[int, int]:
    if offset < 0:
        raise ApiProblem(400, "invalid offset", "offset must be 0 or more")
    return max(1, min(limit, MAX_PAGE)), offset


def _alert_filter(status: str, monitor: int | None, since: datetime | None) -> queries.AlertFilter:
    if status and status not in STATES:
        raise ApiProblem(400, "invalid status", f"status must be one of {', '.join(STATES)}")
    if since is not None and since.tzinfo is None:
        raise ApiProblem(400, "invalid since", "since needs a UTC offset, e.g. 2026-11-24T10:00Z")
    return queries.AlertFilter(state=status, monitor_id=monitor, since=since)


def _alert(token: ApiToken, alert_id: int) -> Alert:
    alert = queries.find_alert(token.workspace, alert_id)
    if alert is None:
        raise ApiProblem(404, "not found", f"no alert {alert_id} in this workspace")
    return alert


@router.get(
    "/alerts",
    response={200: AlertPageOut, **READ_ERRORS},
    summary="The workspace's alerts, newest first, filtered and paginated",
)
def list_alerts(
    request: HttpRequest,
    status: str = "",
    monitor: int | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    limit, offset = _page_bounds(limit, offset)
    alert_filter = _alert_filter(status, monitor, since)
    page = queries.page_alerts(
        token_of(request).workspace, alert_filter, limit=limit, offset=offset
    )
    return _page([_alert_out(a) for a in page.alerts], page.total, limit, offset)


@router.get(
    "/alerts/{alert_id}",
    response={200: AlertDetailOut, **READ_ERRORS},
    summary="One alert with its explanation, detections and timeline",
)
def get_alert(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    return _alert_detail(_alert(token_of(request), alert_id))


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response={200: AlertDetailOut, **WRITE_ERRORS},
    summary="Acknowledge an open or escalated alert",
)
def acknowledge_alert(
    request: HttpRequest, alert_id: int, body: NoteIn | None = None
) -> dict[str, Any]:
    return _transition(request, alert_id, "acknowledge", body.note if body else "")


@router.post(
    "/alerts/{alert_id}/resolve",
    response={200: AlertDetailOut, **WRITE_ERRORS},
    summary="Resolve an active alert",
)
def resolve_alert(
    request: HttpRequest, alert_id: int, body: NoteIn | None = None
) -> dict[str, Any]:
    return _transition(request, alert_id, "resolve", body.note if body else "")


def _transition(request: HttpRequest, alert_id: int, action: str, note: str) -> dict[str, Any]:
    token = token_of(request)
    alert = _alert(token, alert_id)
    try:
        transition_alert(
            alert=alert,
            action=action,
            actor=token.created_by,
            now=SystemClock().now(),
            note=_note(token, note),
        )
    except TransitionError as exc:
        allowed = ", ".join(allowed_actions(alert.state)) or "none, it is closed"
        raise ApiProblem(409, "invalid transition", f"{exc}; allowed now: {allowed}") from None
    return _alert_detail(alert)


def _note(token: ApiToken, note: str) -> str:
    said = note.strip()
    return f"API token {token.name}: {said}" if said else f"API token {token.name}"


@router.post(
    "/alerts/{alert_id}/feedback",
    response={200: AlertDetailOut, **WRITE_ERRORS},
    summary="Mark an alert useful or a false alarm (which dismisses it and lowers sensitivity)",
)
def give_alert_feedback(request: HttpRequest, alert_id: int, body: FeedbackIn) -> dict[str, Any]:
    token = token_of(request)
    alert = _alert(token, alert_id)
    if body.verdict not in FEEDBACK:
        raise ApiProblem(400, "invalid verdict", f"verdict must be one of {', '.join(FEEDBACK)}")
    give_feedback(
        alert=alert, verdict=body.verdict, actor=token.created_by, now=SystemClock().now()
    )
    return _alert_detail(alert)


@router.get(
    "/deliveries",
    response={200: DeliveryPageOut, **READ_ERRORS},
    summary="The delivery log (of one alert with ?alert=ID), newest first, with retry state",
)
def list_deliveries(
    request: HttpRequest, alert: int | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    limit, offset = _page_bounds(limit, offset)
    token = token_of(request)
    if alert is not None:
        _alert(token, alert)  # another workspace's alert is a 404, not an empty log
    page = queries.page_deliveries(token.workspace, alert_id=alert, limit=limit, offset=offset)
    return _page([_delivery_out(d) for d in page.deliveries], page.total, limit, offset)


def _page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"count": total, "limit": limit, "offset": offset, "items": items}


def _alert_out(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "status": alert.state,
        "severity": alert.severity,
        "kind": alert.kind,
        "subject": alert.subject,
        "monitor": _ref(alert.monitor_id, alert.monitor.name if alert.monitor else ""),
        "source": _ref(alert.source_id, alert.source.name if alert.source else ""),
        "feedback": alert.feedback,
        "started_at": alert.started_at,
        "detected_at": alert.detected_at,
        "last_detected_at": alert.last_detected_at,
        "acknowledged_at": alert.acknowledged_at,
        "escalated_at": alert.escalated_at,
        "closed_at": alert.closed_at,
    }


def _ref(pk: int | None, name: str) -> dict[str, Any] | None:
    return {"id": pk, "name": name} if pk is not None else None


def _alert_detail(alert: Alert) -> dict[str, Any]:
    by = alert.acknowledged_by
    return {
        **_alert_out(alert),
        "explanation": {"en": alert.explanation_en, "pl": alert.explanation_pl},
        "acknowledged_by": by.get_username() if by else None,
        "ended_at": alert.ended_at,
        "allowed_actions": allowed_actions(alert.state),
        "detections": alert.detections,
        "events": [
            {
                "action": e.action,
                "actor": e.actor.get_username() if e.actor else None,
                "note": e.note,
                "at": e.at,
            }
            for e in queries.list_alert_events(alert)
        ],
    }


def _delivery_out(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "channel": {"id": delivery.channel_id, "name": delivery.channel.name},
        "alert_id": delivery.alert_id,
        "reason": delivery.reason,
        "ok": delivery.ok,
        "error": delivery.error,
        "at": delivery.at,
        "attempt": delivery.attempt,
        "retry_state": delivery.retry_state,
        "retry_at": delivery.retry_at,
    }
