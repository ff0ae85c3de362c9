"""Retries of failed alert deliveries, delivered for real to a local HTTP endpoint that fails
and recovers, driven by the periodic alert round on an injected clock."""

from __future__ import annotations

import logging
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from tests.alerts.builders import T0, make_monitor, surge

from stormwatch.alerts.detect_stage import run_alert_round
from stormwatch.alerts.models import Delivery, InAppNotification, NotificationChannel
from stormwatch.alerts.notify.channels import encrypt_url
from stormwatch.alerts.notify.service import (
    FAILURES_BEFORE_DISABLE,
    MAX_ATTEMPTS,
    add_channel,
    notify_changes,
    send_test,
)
from stormwatch.alerts.service import AlertChange, record_detections, transition_alert

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def _channel(cast: Any, webhook: Any) -> NotificationChannel:
    return add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=webhook.url,
        min_severity=1,
        owner=cast.analyst,
        now=T0,
    )


def _raise(cast: Any, name: str = "Outage") -> list[AlertChange]:
    monitor = make_monitor(cast.workspace, name=name)
    return record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)


def _log(channel: NotificationChannel) -> list[tuple[int, bool, str]]:
    rows = Delivery.objects.filter(channel=channel).order_by("at", "pk")
    return [(d.attempt, d.ok, d.retry_state) for d in rows]


def test_a_delivery_that_failed_is_retried_by_the_round_once_the_endpoint_recovers(
    cast: Any, webhook: Any
) -> None:
    channel = _channel(cast, webhook)
    webhook.status = 500
    [failed] = notify_changes(_raise(cast), now=T0)
    assert (failed.ok, failed.retry_state, failed.retry_at) == (False, "pending", T0 + MINUTE)
    run_alert_round(now=T0 + MINUTE / 2)
    assert _log(channel) == [(1, False, "pending")]
    webhook.status = 200
    run_alert_round(now=T0 + MINUTE)
    run_alert_round(now=T0 + MINUTE)  # a second round at the same moment sends nothing more
    run_alert_round(now=T0 + 10 * MINUTE)  # (before the alert escalates at 30 minutes)
    assert _log(channel) == [(1, False, "retried"), (2, True, "")]
    assert [m["title"] for m in webhook.received] == ["Alert: Outage, severity 3 of 5"]
    assert NotificationChannel.objects.get(pk=channel.pk).consecutive_failures == 0


def test_retries_back_off_and_give_up_after_the_last_attempt(cast: Any, webhook: Any) -> None:
    channel = _channel(cast, webhook)
    webhook.status = 503
    notify_changes(_raise(cast), now=T0)
    due_at = [T0]
    for _ in range(MAX_ATTEMPTS - 1):
        pending = Delivery.objects.get(channel=channel, retry_state="pending")
        assert pending.retry_at is not None
        due_at.append(pending.retry_at)
        run_alert_round(now=pending.retry_at)
    assert [b - a for a, b in pairwise(due_at)] == [
        MINUTE,
        5 * MINUTE,
        15 * MINUTE,
    ]
    assert _log(channel) == [
        (1, False, "retried"),
        (2, False, "retried"),
        (3, False, "retried"),
        (4, False, "exhausted"),
    ]
    run_alert_round(now=T0 + 25 * MINUTE)
    assert Delivery.objects.filter(channel=channel).count() == MAX_ATTEMPTS
    # One alert's whole schedule does not disable the channel; the next failure does.
    assert NotificationChannel.objects.get(pk=channel.pk).is_enabled
    assert MAX_ATTEMPTS < FAILURES_BEFORE_DISABLE


def test_a_disabled_channel_drops_its_pending_retries_and_says_so(
    cast: Any, webhook: Any, caplog: pytest.LogCaptureFixture
) -> None:
    channel = _channel(cast, webhook)
    webhook.status = 500
    changes = [c for i in range(FAILURES_BEFORE_DISABLE) for c in _raise(cast, f"M{i}")]
    with caplog.at_level(logging.WARNING, logger="stormwatch.alerts.notify.service"):
        notify_changes(changes, now=T0)
    channel = NotificationChannel.objects.get(pk=channel.pk)
    assert not channel.is_enabled
    assert {state for _, _, state in _log(channel)} == {"channel_disabled"}
    dropped = FAILURES_BEFORE_DISABLE - 1
    assert f"dropped {dropped} pending retries" in caplog.text
    note = InAppNotification.objects.get(user=cast.analyst, kind="channel_disabled")
    assert f"{dropped} pending retries dropped" in note.text
    webhook.status = 200
    run_alert_round(now=T0 + timedelta(hours=1))
    assert webhook.received == []
    assert Delivery.objects.filter(channel=channel).count() == FAILURES_BEFORE_DISABLE


def test_a_permanent_failure_is_not_retried(cast: Any, webhook: Any) -> None:
    channel = _channel(cast, webhook)
    # An address apprise no longer understands (say, a plugin gone after an upgrade).
    NotificationChannel.objects.filter(pk=channel.pk).update(
        url_encrypted=encrypt_url("nosuchservice://x")
    )
    [failed] = notify_changes(_raise(cast), now=T0)
    assert (failed.ok, failed.retry_state, failed.retry_at) == (False, "permanent", None)
    assert not NotificationChannel.objects.get(pk=channel.pk).is_enabled


def test_a_retry_for_an_alert_closed_meanwhile_is_dropped(cast: Any, webhook: Any) -> None:
    channel = _channel(cast, webhook)
    webhook.status = 500
    changes = _raise(cast)
    notify_changes(changes, now=T0)
    transition_alert(alert=changes[0].alert, action="resolve", actor=cast.owner, now=T0)
    webhook.status = 200
    run_alert_round(now=T0 + MINUTE)
    assert _log(channel) == [(1, False, "alert_closed")]
    assert webhook.received == []


def test_test_messages_are_not_retried(cast: Any, webhook: Any) -> None:
    channel = _channel(cast, webhook)
    webhook.status = 500
    failed = send_test(channel=channel, now=T0)
    assert (failed.ok, failed.retry_state) == (False, "")


def test_a_newer_message_that_gets_through_drops_the_older_pending_retry(
    cast: Any, webhook: Any
) -> None:
    channel = _channel(cast, webhook)
    webhook.status = 500
    changes = _raise(cast)
    notify_changes(changes, now=T0)
    webhook.status = 200
    updated = [AlertChange(changes[0].alert, "updated")]
    [newer] = notify_changes(updated, now=T0 + MINUTE / 2)
    assert newer.ok
    run_alert_round(now=T0 + 2 * MINUTE)
    assert _log(channel) == [(1, False, "superseded"), (1, True, "")]
    assert len(webhook.received) == 1
