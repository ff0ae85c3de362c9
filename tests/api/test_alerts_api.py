"""The alerts REST API through the HTTP front door, with the named cast's tokens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from tests.alerts.builders import T0, make_monitor, surge
from tests.localhttp import LocalServer

from stormwatch.alerts.models import Alert
from stormwatch.alerts.notify.service import add_channel, notify_changes
from stormwatch.alerts.queries import rule_for
from stormwatch.alerts.service import record_detections
from stormwatch.workspaces.service import issue_api_token

pytestmark = pytest.mark.django_db


def _token(cast: Any, *, outsider: bool = False) -> str:
    """A token issued by Olga (owner of Nordbank), or by Oskar for his Rivalbank."""
    workspace, user = (
        (cast.other_workspace, cast.outsider) if outsider else (cast.workspace, cast.owner)
    )
    return issue_api_token(workspace=workspace, name="ops", created_by=user, now=T0).secret


def _get(client: Client, token: str, url: str, **params: Any) -> Any:
    return client.get(f"/api/v1{url}", params, HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(client: Client, token: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.post(
        f"/api/v1{url}",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _alerts(cast: Any) -> list[Alert]:
    """Two monitors, three alerts: Outage at T0 (severity 3) and T0+3h (4), Fees at T0+1h."""
    outage = make_monitor(cast.workspace)
    fees = make_monitor(cast.workspace, name="Fees", query="opłaty")
    changes = [
        *record_detections(monitor=outage, detections=[surge(outage)], now=T0),
        *record_detections(
            monitor=fees, detections=[surge(fees, at=T0 + timedelta(hours=1))], now=T0
        ),
        *record_detections(
            monitor=outage,
            detections=[surge(outage, at=T0 + timedelta(hours=3), severity=4)],
            now=T0,
        ),
    ]
    return [c.alert for c in changes]


@pytest.fixture
def endpoint() -> Iterator[LocalServer]:
    with LocalServer() as server:
        server.route("POST", "/hook", (200, b"{}", {}))
        yield server


def test_it_lists_the_workspaces_alerts_newest_first_with_filters(
    client: Client, cast: Any
) -> None:
    first, fees, latest = _alerts(cast)
    token = _token(cast)
    everything = _get(client, token, "/alerts").json()
    assert everything["count"] == 3
    assert [a["id"] for a in everything["items"]] == [latest.pk, fees.pk, first.pk]
    assert everything["items"][0]["monitor"] == {"id": latest.monitor_id, "name": "Outage"}
    by_monitor = _get(client, token, "/alerts", monitor=fees.monitor_id).json()
    assert [a["id"] for a in by_monitor["items"]] == [fees.pk]
    recent = _get(client, token, "/alerts", since=(T0 + timedelta(minutes=30)).isoformat()).json()
    assert [a["id"] for a in recent["items"]] == [latest.pk, fees.pk]
    _post(client, token, f"/alerts/{fees.pk}/acknowledge")
    acknowledged = _get(client, token, "/alerts", status="acknowledged").json()
    assert [a["id"] for a in acknowledged["items"]] == [fees.pk]


def test_it_pages_through_alerts_and_says_how_many_match(client: Client, cast: Any) -> None:
    first, fees, _latest = _alerts(cast)
    token = _token(cast)
    page = _get(client, token, "/alerts", limit=2, offset=1).json()
    assert (page["count"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [a["id"] for a in page["items"]] == [fees.pk, first.pk]


def test_bad_filters_are_answered_400_with_what_is_wrong(client: Client, cast: Any) -> None:
    token = _token(cast)
    unknown = _get(client, token, "/alerts", status="sleeping")
    assert unknown.status_code == 400
    assert unknown.json() == {
        "error": "invalid status",
        "detail": "status must be one of open, acknowledged, escalated, resolved, dismissed",
    }
    naive = _get(client, token, "/alerts", since="2026-11-24T10:00:00")
    assert naive.status_code == 400
    assert "UTC offset" in naive.json()["detail"]
    assert _get(client, token, "/alerts", offset=-1).status_code == 400


def test_one_alert_comes_with_its_explanation_and_timeline(client: Client, cast: Any) -> None:
    alert = _alerts(cast)[0]
    body = _get(client, _token(cast), f"/alerts/{alert.pk}").json()
    assert body["status"] == "open"
    assert body["severity"] == 3
    assert body["detected_at"] == T0.isoformat().replace("+00:00", "Z")
    assert "Mentions rose to 60" in body["explanation"]["en"]
    assert body["explanation"]["pl"]
    assert [e["action"] for e in body["events"]] == ["raised"]
    assert body["allowed_actions"] == ["acknowledge", "escalate", "resolve", "dismiss"]
    assert body["detections"][0]["kind"] == "volume_surge"


def test_a_token_acknowledges_then_resolves_as_its_issuer(client: Client, cast: Any) -> None:
    alert = _alerts(cast)[0]
    token = _token(cast)
    acked = _post(client, token, f"/alerts/{alert.pk}/acknowledge", {"note": "on it"})
    assert acked.status_code == 200
    assert (acked.json()["status"], acked.json()["acknowledged_by"]) == ("acknowledged", "olga")
    resolved = _post(client, token, f"/alerts/{alert.pk}/resolve").json()
    assert resolved["status"] == "resolved"
    timeline = [(e["action"], e["actor"], e["note"]) for e in resolved["events"]]
    assert timeline[1:] == [
        ("acknowledge", "olga", "API token ops: on it"),
        ("resolve", "olga", "API token ops"),
    ]
    assert Alert.objects.get(pk=alert.pk).state == "resolved"


def test_an_invalid_transition_is_a_409_that_says_why(client: Client, cast: Any) -> None:
    alert = _alerts(cast)[0]
    token = _token(cast)
    _post(client, token, f"/alerts/{alert.pk}/resolve")
    again = _post(client, token, f"/alerts/{alert.pk}/acknowledge")
    assert again.status_code == 409
    assert again.json() == {
        "error": "invalid transition",
        "detail": "cannot acknowledge an alert that is resolved; allowed now: dismiss",
    }
    assert Alert.objects.get(pk=alert.pk).state == "resolved"


def test_a_false_alarm_dismisses_and_lowers_the_sensitivity(client: Client, cast: Any) -> None:
    alert = _alerts(cast)[0]
    token = _token(cast)
    answer = _post(client, token, f"/alerts/{alert.pk}/feedback", {"verdict": "false_alarm"})
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["feedback"]) == ("dismissed", "false_alarm")
    assert alert.monitor is not None and rule_for(alert.monitor).sensitivity == "fewer"
    wrong = _post(client, token, f"/alerts/{alert.pk}/feedback", {"verdict": "meh"})
    assert wrong.status_code == 400
    assert wrong.json()["detail"] == "verdict must be one of useful, false_alarm"


def test_another_workspaces_alert_is_a_404_for_reads_and_writes(client: Client, cast: Any) -> None:
    alert = _alerts(cast)[0]
    token = _token(cast, outsider=True)
    assert _get(client, token, "/alerts").json()["count"] == 0
    missing = _get(client, token, f"/alerts/{alert.pk}")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "not found",
        "detail": f"no alert {alert.pk} in this workspace",
    }
    assert _post(client, token, f"/alerts/{alert.pk}/acknowledge").status_code == 404
    assert _get(client, token, "/deliveries", alert=alert.pk).status_code == 404
    assert Alert.objects.get(pk=alert.pk).state == "open"


def test_a_change_is_attributed_to_the_tokens_issuer(client: Client, cast: Any) -> None:
    alert = _alerts(cast)[0]
    token = _token(cast)
    body = _post(client, token, f"/alerts/{alert.pk}/feedback", {"verdict": "useful"}).json()
    assert (body["feedback"], body["status"]) == ("useful", "open")
    assert body["events"][-1] == {
        "action": "feedback_useful",
        "actor": "olga",
        "note": "",
        "at": body["events"][-1]["at"],
    }


def test_requests_without_a_valid_token_are_401(client: Client, cast: Any) -> None:
    assert client.get("/api/v1/alerts").status_code == 401
    assert _get(client, "swt_made-up", "/alerts").status_code == 401


def test_it_lists_deliveries_with_their_retry_state(
    client: Client, cast: Any, endpoint: LocalServer
) -> None:
    host, port = endpoint.url.removeprefix("http://").split(":")
    add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=f"json://{host}:{port}/hook",
        min_severity=1,
        owner=cast.owner,
        now=T0,
    )
    monitor = make_monitor(cast.workspace)
    changes = record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)
    notify_changes(changes, now=T0)
    endpoint.route("POST", "/hook", (500, b"{}", {}))
    notify_changes(changes, now=T0 + timedelta(minutes=1))
    token = _token(cast)
    log = _get(client, token, "/deliveries", alert=changes[0].alert.pk).json()
    assert log["count"] == 2
    failed, delivered = log["items"]
    assert (delivered["ok"], delivered["attempt"], delivered["retry_state"]) == (True, 1, "")
    assert (failed["ok"], failed["retry_state"]) == (False, "pending")
    assert failed["retry_at"] == (T0 + timedelta(minutes=2)).isoformat().replace("+00:00", "Z")
    assert failed["channel"]["name"] == "Hook"
