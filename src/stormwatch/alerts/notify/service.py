"""Telling people: channel management, alert deliveries with a log and retries, digests.

Each attempt writes a Delivery row. A transient failure of an alert delivery is retried after
`RETRY_DELAYS` (1, 5, 15 minutes: at most `MAX_ATTEMPTS` attempts) by `retry_due_deliveries`,
which the periodic alert round calls; the queue is the Delivery table itself (`retry_state`
"pending", `retry_at`), so it survives restarts. A permanent failure (an unusable URL) is not
retried; nor are tests and digests (the person sees a test's result at once; the next digest
is tomorrow's).

Every failed attempt, retries included, counts against the channel; after
`FAILURES_BEFORE_DISABLE` failed attempts in a row (or one permanent failure) the channel is
disabled, its pending retries are dropped (logged, and marked on their rows) and its owner gets
an in-app note. A success resets the count. The limit is above `MAX_ATTEMPTS`, so one alert's
retries alone never disable a channel; a failure after them does.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
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
from stormwatch.alerts.state import ACTIVE_STATES
from stormwatch.workspaces.models import Workspace

log = logging.getLogger(__name__)

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
)
MAX_ATTEMPTS = 1 + len(RETRY_DELAYS)
FAILURES_BEFORE_DISABLE = MAX_ATTEMPTS + 1
RETRIED_REASONS = frozenset({"raised", "updated", "escalated", "recovered"})
# What became of a failed delivery; "" for a success or a failure never retried (test, digest).
RETRY_STATES: tuple[str, ...] = (
    "pending",  # a retry is due at retry_at
    "retried",  # the next attempt is its own row
    "exhausted",  # MAX_ATTEMPTS failed; given up
    "permanent",  # the URL is unusable; retrying cannot help
    "channel_disabled",  # dropped: the channel was disabled before the retry
    "alert_closed",  # dropped: the alert was resolved or dismissed before the retry
    "superseded",  # dropped: a newer message about the alert reached the channel first
)


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
        if not should_notify(rule_for_alert(alert), alert.severity, now, settings.TIME_ZONE):
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
    attempt: int = 1,
) -> Delivery:
    """One attempt, logged; never raises for the service's own failures. A transient failure
    of an alert delivery schedules the next attempt (see the module docstring)."""
    try:
        send(decrypt_url(channel.url_encrypted), message)
    except DeliveryError as exc:
        return _record_failure(channel, exc, alert=alert, reason=reason, attempt=attempt, now=now)
    with transaction.atomic():
        if channel.consecutive_failures:
            channel.consecutive_failures = 0
            channel.save(update_fields=["consecutive_failures"])
        if alert is not None:
            _supersede_retries(channel, alert)
        return Delivery.objects.create(
            channel=channel, alert=alert, reason=reason, ok=True, at=now, attempt=attempt
        )


def retry_due_deliveries(*, now: datetime) -> list[Delivery]:
    """Make the next attempt of every pending retry due at `now`; returns the new attempts.

    Each pending row is claimed (pending -> retried) by one conditional UPDATE before its
    attempt, so rounds that overlap, in one process or several, never retry a delivery twice
    (a process that dies during the attempt loses that retry rather than risk a double).
    A retry whose channel is disabled, or whose alert was resolved or dismissed meanwhile (a
    "recovered" message excepted: it is about the closing), is dropped instead and logged.
    The message is written afresh from the alert as it is now.
    """
    due = Delivery.objects.filter(retry_state="pending", retry_at__lte=now).order_by(
        "retry_at", "pk"
    )
    attempts: list[Delivery] = []
    for failed in due.select_related("alert", "alert__monitor", "alert__source"):
        attempt = _retry(failed, now=now)
        if attempt is not None:
            attempts.append(attempt)
    return attempts


def _retry(failed: Delivery, *, now: datetime) -> Delivery | None:
    alert = failed.alert
    assert alert is not None  # only alert deliveries are ever pending
    channel = NotificationChannel.objects.get(pk=failed.channel_id)  # its count as it is now
    if not channel.is_enabled:
        outcome = "channel_disabled"
    elif alert.state not in ACTIVE_STATES and failed.reason != "recovered":
        outcome = "alert_closed"
    else:
        outcome = "retried"
    if not _claim(failed, outcome):
        return None  # another round took it, or the channel's disabling dropped it
    if outcome != "retried":
        log.info("dropped the retry of delivery %s to %s: %s", failed.pk, channel.name, outcome)
        return None
    return deliver(
        channel=channel,
        message=alert_message(alert, failed.reason),
        alert=alert,
        reason=failed.reason,
        now=now,
        attempt=failed.attempt + 1,
    )


def _supersede_retries(channel: NotificationChannel, alert: Alert) -> None:
    """The channel now has the alert as it is: an older message still waiting would repeat it."""
    Delivery.objects.filter(channel=channel, alert=alert, retry_state="pending").update(
        retry_state="superseded", retry_at=None
    )


def _claim(failed: Delivery, outcome: str) -> bool:
    claimed = Delivery.objects.filter(pk=failed.pk, retry_state="pending").update(
        retry_state=outcome, retry_at=None
    )
    return claimed == 1


def _retry_plan(
    exc: DeliveryError, *, alert: Alert | None, reason: str, attempt: int, now: datetime
) -> tuple[str, datetime | None]:
    """(retry_state, retry_at) of a failed attempt."""
    if alert is None or reason not in RETRIED_REASONS:
        return "", None
    if exc.permanent:
        return "permanent", None
    if attempt >= MAX_ATTEMPTS:
        return "exhausted", None
    return "pending", now + RETRY_DELAYS[attempt - 1]


def _record_failure(
    channel: NotificationChannel,
    exc: DeliveryError,
    *,
    alert: Alert | None,
    reason: str,
    attempt: int,
    now: datetime,
) -> Delivery:
    state, retry_at = _retry_plan(exc, alert=alert, reason=reason, attempt=attempt, now=now)
    with transaction.atomic():
        channel.consecutive_failures += 1
        disabling = exc.permanent or channel.consecutive_failures >= FAILURES_BEFORE_DISABLE
        if disabling:
            _disable(channel, f"{channel.consecutive_failures} failed deliveries: {exc}", now=now)
            if state == "pending":
                state, retry_at = "channel_disabled", None
        channel.save()
        return Delivery.objects.create(
            channel=channel,
            alert=alert,
            reason=reason,
            ok=False,
            error=str(exc)[:500],
            at=now,
            attempt=attempt,
            retry_state=state,
            retry_at=retry_at,
        )


def _disable(channel: NotificationChannel, why: str, *, now: datetime) -> None:
    """Disable the channel, drop its pending retries and tell its owner."""
    channel.is_enabled = False
    channel.disabled_reason = why[:500]
    dropped = Delivery.objects.filter(channel=channel, retry_state="pending").update(
        retry_state="channel_disabled", retry_at=None
    )
    if dropped:
        log.warning("channel %s disabled: dropped %s pending retries", channel.name, dropped)
        why = f"{why} ({dropped} pending retries dropped)"
    if channel.owner_id is not None:
        InAppNotification.objects.create(
            workspace_id=channel.workspace_id,
            user_id=channel.owner_id,
            kind="channel_disabled",
            text=f"{channel.name}: {why}"[:500],
            created_at=now,
        )
