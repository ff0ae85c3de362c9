"""The daily digest on a schedule: per workspace, at a local hour in the team's time zone.

`save_digest_schedule` turns it on (an hour, 0-23, in settings.TIME_ZONE) or off (None).
`send_due_digests`, called by every periodic alert round, sends each digest that is due.
Idempotent: a digest is claimed by a compare-and-set on `next_due_at` before it is sent, and
the next one is set for the same hour on a later local day, so rounds every few seconds, two
processes or a restart never send one day's digest twice (changing the hour after today's
digest moves the next one to tomorrow). At most once: a process that dies in the middle of
sending loses that day's digest rather than risk a second one.
`send_digest_now` (the `stormwatch alerts digest` command) sends one at once and counts as
that local day's digest: the scheduled one moves to the next day and starts from it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from stormwatch.alerts.models import Delivery, DigestSchedule
from stormwatch.alerts.notify.service import send_digest
from stormwatch.alerts.queries import find_digest_schedule
from stormwatch.workspaces.models import Workspace

FIRST_DIGEST_SPAN = timedelta(days=1)  # the first digest covers the last day
LONGEST_DIGEST_SPAN = timedelta(days=7)  # after a long pause, at most the last week


class DigestError(ValueError):
    """The digest settings are invalid; the message says which."""


def team_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def next_digest_at(
    hour: int, *, after: datetime, last_sent_on: date | None, zone: ZoneInfo
) -> datetime:
    """The first `hour`:00 local time strictly after `after` on a local day later than
    `last_sent_on` (the day of the previous digest), as aware UTC."""
    day = after.astimezone(zone).date()
    if last_sent_on is not None and day <= last_sent_on:
        day = last_sent_on + timedelta(days=1)
    due = datetime.combine(day, time(hour), tzinfo=zone)
    if due <= after:
        due = datetime.combine(day + timedelta(days=1), time(hour), tzinfo=zone)
    return due.astimezone(UTC)


def save_digest_schedule(
    *, workspace: Workspace, hour: int | None, now: datetime
) -> DigestSchedule:
    """Send the workspace a digest every day at `hour` local time, or never (None)."""
    if hour is not None and not 0 <= hour <= 23:
        raise DigestError("the digest hour must be between 0 and 23")
    row = find_digest_schedule(workspace) or DigestSchedule(workspace=workspace)
    row.hour = hour
    row.next_due_at = (
        None
        if hour is None
        else next_digest_at(hour, after=now, last_sent_on=row.last_sent_on, zone=team_zone())
    )
    row.updated_at = now
    row.save()
    return row


def send_due_digests(*, now: datetime) -> int:
    """Send every digest due at `now` (see the module docstring); returns how many were sent."""
    due = DigestSchedule.objects.filter(hour__isnull=False, next_due_at__lte=now)
    sent = 0
    for schedule in due.select_related("workspace"):
        since = _digest_since(schedule.last_sent_at, now)
        if _claim(schedule, now):
            send_digest(workspace=schedule.workspace, since=since, now=now)
            sent += 1
    return sent


def send_digest_now(*, workspace: Workspace, since: datetime, now: datetime) -> list[Delivery]:
    """Send a digest of the alerts since `since` now; it stands in for today's scheduled one."""
    deliveries = send_digest(workspace=workspace, since=since, now=now)
    schedule = find_digest_schedule(workspace)
    if schedule is not None and schedule.hour is not None:
        DigestSchedule.objects.filter(pk=schedule.pk).update(**_sent_today(schedule.hour, now))
    return deliveries


def _digest_since(last_sent_at: datetime | None, now: datetime) -> datetime:
    if last_sent_at is None:
        return now - FIRST_DIGEST_SPAN
    return max(last_sent_at, now - LONGEST_DIGEST_SPAN)


def _claim(schedule: DigestSchedule, now: datetime) -> bool:
    """Move the schedule past today in one conditional UPDATE; True for the one who did."""
    assert schedule.hour is not None
    claimed = DigestSchedule.objects.filter(
        pk=schedule.pk, hour=schedule.hour, next_due_at=schedule.next_due_at
    ).update(**_sent_today(schedule.hour, now))
    return claimed == 1


def _sent_today(hour: int, now: datetime) -> dict[str, object]:
    """The schedule's fields once today's digest went out at `now`: the next is on a later day."""
    zone = team_zone()
    today = now.astimezone(zone).date()
    following = next_digest_at(hour, after=now, last_sent_on=today, zone=zone)
    return {"next_due_at": following, "last_sent_at": now, "last_sent_on": today}
