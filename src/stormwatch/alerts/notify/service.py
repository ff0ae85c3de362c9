"""Telling people: channel management, alert deliveries with a log, digests.

Each attempt writes a Delivery row. A failure counts against the channel; after
`FAILURES_BEFORE_DISABLE` failures in a row (or one permanent failure) the channel is disabled
and its owner gets an in-app note. A success resets the count. There is no retry queue: the
next alert (or the owner's "send test") is the next attempt.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from stormwatch.alerts.models import Alert, Delivery, InAppNotification, NotificationChannel
from stormwatch.alerts.notify.channels import (
    DeliveryError,
    Message,
    decrypt_url,
    encrypt_url,
    is_valid_url,
    send,
)
from stormwatch.alerts.notify.messages import alert_message, digest_message, test_message
from stormwatch.alerts.queries import list_alerts_since, rule_for_alert
from stormwatch.alerts.rules import should_notify
from stormwatch.alerts.service import AlertChange
from stormwatch.workspaces.models import Workspace

FAILURES_BEFORE_DISABLE = 3


class ChannelError(ValueError):
    """The channel's settings are invalid; the message says which."""


def add_channel(
    *,
    workspace: Workspace,
    name: str,
    url: str,
    min_severity: int,
    owner: User,
    now: datetime,
) -> NotificationChannel:
    if not name.strip():
        raise ChannelError("give the channel a name")
    if not is_valid_url(url):
        raise ChannelError("not a notification URL apprise understands")
    if not 1 <= min_severity <= 5:
        raise ChannelError("the minimum severity must be between 1 and 5")
    return NotificationChannel.objects.create(
        workspace=workspace,
        name=name.strip()[:120],
        url_encrypted=encrypt_url(url),
        min_severity=min_severity,
        owner=owner,
        created_at=now,
    )


def enable_channel(*, channel: NotificationChannel) -> None:
    channel.is_enabled, channel.consecutive_failures, channel.disabled_reason = True, 0, ""
    channel.save(update_fields=["is_enabled", "consecutive_failures", "disabled_reason"])


def delete_channel(*, channel: NotificationChannel) -> None:
    channel.delete()


def channel_url(channel: NotificationChannel) -> str:
    return decrypt_url(channel.url_encrypted)


def mark_notes_read(*, user: User, workspace: Workspace, now: datetime) -> int:
    return InAppNotification.objects.filter(
        user_id=user.pk, workspace=workspace, read_at__isnull=True
    ).update(read_at=now)


def notify_changes(changes: list[AlertChange], *, now: datetime) -> list[Delivery]:
    """Deliver each change to the enabled channels whose minimum severity it reaches."""
    deliveries: list[Delivery] = []
    for change in changes:
        alert = change.alert
        if not should_notify(rule_for_alert(alert), alert.severity, now):
            continue  # quiet hours: the alert is in the app; the bell still rings
        channels = NotificationChannel.objects.filter(
            workspace_id=alert.workspace_id, is_enabled=True, min_severity__lte=alert.severity
        ).select_related("owner")
        message = alert_message(alert, change.reason)
        deliveries.extend(
            deliver(channel=c, message=message, alert=alert, reason=change.reason, now=now)
            for c in channels
        )
    return deliveries


def send_test(*, channel: NotificationChannel, now: datetime) -> Delivery:
    return deliver(channel=channel, message=test_message(), alert=None, reason="test", now=now)


def send_digest(*, workspace: Workspace, since: datetime, now: datetime) -> list[Delivery]:
    """A summary of the alerts detected since `since` to every enabled channel."""
    message = digest_message(workspace, list_alerts_since(workspace, since), since)
    channels = NotificationChannel.objects.filter(workspace=workspace, is_enabled=True)
    return [
        deliver(channel=c, message=message, alert=None, reason="digest", now=now) for c in channels
    ]


def deliver(
    *,
    channel: NotificationChannel,
    message: Message,
    alert: Alert | None,
    reason: str,
    now: datetime,
) -> Delivery:
    """One attempt, logged; never raises for the service's own failures."""
    try:
        send(decrypt_url(channel.url_encrypted), message)
    except DeliveryError as exc:
        return _record_failure(channel, exc, alert=alert, reason=reason, now=now)
    with transaction.atomic():
        if channel.consecutive_failures:
            channel.consecutive_failures = 0
            channel.save(update_fields=["consecutive_failures"])
        return Delivery.objects.create(channel=channel, alert=alert, reason=reason, ok=True, at=now)


def _record_failure(
    channel: NotificationChannel,
    exc: DeliveryError,
    *,
    alert: Alert | None,
    reason: str,
    now: datetime,
) -> Delivery:
    with transaction.atomic():
        channel.consecutive_failures += 1
        if exc.permanent or channel.consecutive_failures >= FAILURES_BEFORE_DISABLE:
            _disable(channel, f"{channel.consecutive_failures} failed deliveries: {exc}", now=now)
        channel.save()
        return Delivery.objects.create(
            channel=channel, alert=alert, reason=reason, ok=False, error=str(exc)[:500], at=now
        )


def _disable(channel: NotificationChannel, why: str, *, now: datetime) -> None:
    channel.is_enabled = False
    channel.disabled_reason = why[:500]
    if channel.owner_id is not None:
        InAppNotification.objects.create(
            workspace_id=channel.workspace_id,
            user_id=channel.owner_id,
            kind="channel_disabled",
            text=f"{channel.name}: {why}"[:500],
            created_at=now,
        )
