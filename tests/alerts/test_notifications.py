"""Notifications delivered for real: a local HTTP endpoint and a local SMTP server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from tests.alerts.builders import T0, make_monitor, surge
from tests.alerts.conftest import free_port

from stormwatch.alerts.models import Delivery, InAppNotification, NotificationChannel
from stormwatch.alerts.notify.service import (
    FAILURES_BEFORE_DISABLE,
    add_channel,
    notify_changes,
    send_digest,
)
from stormwatch.alerts.rules import Rule
from stormwatch.alerts.service import AlertChange, record_detections, save_rule

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def _raise(cast: Any, severity: int = 3) -> Any:
    monitor = make_monitor(cast.workspace)
    return record_detections(
        monitor=monitor, detections=[surge(monitor, severity=severity)], now=T0
    )


def test_an_alert_reaches_a_local_webhook_and_is_logged(cast: Any, webhook: Any) -> None:
    add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=webhook.url,
        min_severity=3,
        owner=cast.owner,
        now=T0,
    )
    deliveries = notify_changes(_raise(cast), now=T0)
    assert [d.ok for d in deliveries] == [True]
    assert webhook.received[0]["title"] == "Alert: Outage, severity 3 of 5"
    assert "Mentions rose to 60" in webhook.received[0]["message"]


def test_a_channel_above_the_alerts_severity_is_not_told(cast: Any, webhook: Any) -> None:
    add_channel(
        workspace=cast.workspace,
        name="Execs",
        url=webhook.url,
        min_severity=5,
        owner=cast.owner,
        now=T0,
    )
    assert notify_changes(_raise(cast, severity=3), now=T0) == []
    assert webhook.received == []


def _quiet_from_22_to_7(cast: Any, webhook: Any) -> list[AlertChange]:
    """An alert raised on a monitor whose rule keeps 22:00-07:00 quiet, and a hook to tell."""
    add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=webhook.url,
        min_severity=1,
        owner=cast.owner,
        now=T0,
    )
    changes = _raise(cast)
    save_rule(
        monitor=changes[0].alert.monitor, rule=Rule(quiet_start_hour=22, quiet_end_hour=7), now=T0
    )
    return changes


def test_quiet_hours_hold_back_mild_alerts(cast: Any, webhook: Any) -> None:
    changes = _quiet_from_22_to_7(cast, webhook)
    night = T0.replace(hour=23)  # 00:00 in Warsaw
    assert notify_changes(changes, now=night) == []
    assert len(notify_changes(changes, now=T0)) == 1


def test_quiet_hours_follow_the_teams_time_zone(cast: Any, webhook: Any, settings: Any) -> None:
    settings.TIME_ZONE = "America/New_York"
    changes = _quiet_from_22_to_7(cast, webhook)
    warsaw_night_new_york_evening = T0.replace(hour=23)  # 18:00 in New York (EST)
    assert len(notify_changes(changes, now=warsaw_night_new_york_evening)) == 1
    new_york_night = T0.replace(hour=5)  # 00:00 in New York
    assert notify_changes(changes, now=new_york_night) == []


def test_an_alert_reaches_a_local_smtp_server(cast: Any, smtp: tuple[int, Inbox]) -> None:
    port, inbox = smtp
    url = f"mailto://127.0.0.1:{port}?from=stormwatch@example.com&to=rita@example.com&mode=insecure"
    add_channel(
        workspace=cast.workspace, name="Mail", url=url, min_severity=1, owner=cast.owner, now=T0
    )
    deliveries = notify_changes(_raise(cast), now=T0)
    assert [d.ok for d in deliveries] == [True], deliveries[0].error
    for _ in range(50):  # the SMTP server stores the message on its own thread
        if inbox.messages:
            break
        time.sleep(0.1)
    mail = message_from_bytes(inbox.messages[0])
    assert "Outage" in str(mail["Subject"])
    assert mail["To"] == "rita@example.com"


def test_a_failing_channel_is_disabled_after_k_failures_and_its_owner_told(
    cast: Any, webhook: Any
) -> None:
    webhook.status = 500
    channel = add_channel(
        workspace=cast.workspace,
        name="Broken",
        url=webhook.url,
        min_severity=1,
        owner=cast.analyst,
        now=T0,
    )
    monitor = make_monitor(cast.workspace)
    for i in range(FAILURES_BEFORE_DISABLE):
        detection = surge(monitor, at=T0 + timedelta(hours=3 * i))
        notify_changes(record_detections(monitor=monitor, detections=[detection], now=T0), now=T0)
    channel = NotificationChannel.objects.get(pk=channel.pk)
    assert not channel.is_enabled
    assert Delivery.objects.filter(channel=channel, ok=False).count() == FAILURES_BEFORE_DISABLE
    note = InAppNotification.objects.get(user=cast.analyst, kind="channel_disabled")
    assert "Broken" in note.text


def test_the_digest_summarises_recent_alerts(cast: Any, webhook: Any) -> None:
    add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=webhook.url,
        min_severity=5,
        owner=cast.owner,
        now=T0,
    )
    _raise(cast)
    send_digest(workspace=cast.workspace, since=T0 - timedelta(days=1), now=T0)
    assert webhook.received[0]["title"] == "Stormwatch digest for Nordbank: 1 alerts"
    assert "[3/5] Outage" in webhook.received[0]["message"]


def test_the_channel_url_is_stored_encrypted(cast: Any, webhook: Any) -> None:
    channel = add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=webhook.url + "?token=s3cret",
        min_severity=1,
        owner=cast.owner,
        now=T0,
    )
    assert "s3cret" not in NotificationChannel.objects.get(pk=channel.pk).url_encrypted
