"""The scheduled daily digest: sent by the periodic alert round to a real local endpoint, once
a local day in the team's time zone, however often the round runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from tests.alerts.builders import T0, make_monitor, surge

from stormwatch.alerts.detect_stage import run_alert_round
from stormwatch.alerts.models import Delivery, DigestSchedule
from stormwatch.alerts.notify.digests import (
    DigestError,
    next_digest_at,
    save_digest_schedule,
    send_digest_now,
    send_due_digests,
)
from stormwatch.alerts.notify.service import add_channel
from stormwatch.alerts.service import record_detections, transition_alert

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
# T0 is Tuesday 2026-11-24 10:00 UTC, 11:00 in Warsaw (UTC+1 in winter).
WEDNESDAY_9_WARSAW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def hooked(cast: Any, webhook: Any) -> Any:
    add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=webhook.url,
        min_severity=5,  # alerts themselves do not reach it; digests go to every channel
        owner=cast.owner,
        now=T0,
    )
    return webhook


def _digests(webhook: Any) -> list[str]:
    return [m["title"] for m in webhook.received if m["title"].startswith("Stormwatch digest")]


def test_the_round_sends_the_digest_once_at_the_local_hour(cast: Any, hooked: Any) -> None:
    monitor = make_monitor(cast.workspace)
    [change] = record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)
    transition_alert(alert=change.alert, action="acknowledge", actor=cast.owner, now=T0)
    schedule = save_digest_schedule(workspace=cast.workspace, hour=9, now=T0)
    assert schedule.next_due_at == WEDNESDAY_9_WARSAW
    run_alert_round(now=WEDNESDAY_9_WARSAW - timedelta(seconds=1))
    assert _digests(hooked) == []
    for seconds in (0, 5, 10, 3600, 14 * 3600):  # a round every few seconds, and later on
        run_alert_round(now=WEDNESDAY_9_WARSAW + timedelta(seconds=seconds))
    assert _digests(hooked) == ["Stormwatch digest for Nordbank: 1 alerts"]
    assert "[3/5] Outage" in hooked.received[0]["message"]
    run_alert_round(now=WEDNESDAY_9_WARSAW + timedelta(days=1))
    assert _digests(hooked) == [
        "Stormwatch digest for Nordbank: 1 alerts",
        "Stormwatch digest for Nordbank: 0 alerts",  # Thursday's: only since Wednesday's
    ]
    saved = DigestSchedule.objects.get()
    assert saved.last_sent_on == date(2026, 11, 26)
    assert saved.next_due_at == WEDNESDAY_9_WARSAW + timedelta(days=2)


def test_a_restart_never_sends_the_day_twice(cast: Any, hooked: Any) -> None:
    save_digest_schedule(workspace=cast.workspace, hour=9, now=T0)
    assert send_due_digests(now=WEDNESDAY_9_WARSAW) == 1
    # A restarted process keeps nothing in memory: what was sent is in the database.
    assert send_due_digests(now=WEDNESDAY_9_WARSAW + timedelta(seconds=1)) == 0
    assert send_due_digests(now=WEDNESDAY_9_WARSAW + timedelta(hours=15)) == 0
    assert len(_digests(hooked)) == 1
    assert Delivery.objects.filter(reason="digest").count() == 1


def test_moving_the_hour_after_todays_digest_waits_for_tomorrow(cast: Any, hooked: Any) -> None:
    save_digest_schedule(workspace=cast.workspace, hour=9, now=T0)
    run_alert_round(now=WEDNESDAY_9_WARSAW)
    moved = save_digest_schedule(workspace=cast.workspace, hour=15, now=WEDNESDAY_9_WARSAW)
    assert moved.next_due_at == datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
    run_alert_round(now=datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    assert len(_digests(hooked)) == 1


def test_a_digest_sent_by_hand_stands_in_for_todays(cast: Any, hooked: Any) -> None:
    save_digest_schedule(workspace=cast.workspace, hour=15, now=T0)
    morning = WEDNESDAY_9_WARSAW
    [delivery] = send_digest_now(
        workspace=cast.workspace, since=morning - timedelta(1), now=morning
    )
    assert delivery.ok
    run_alert_round(now=datetime(2026, 11, 25, 14, 0, tzinfo=UTC))  # 15:00 Warsaw, same day
    assert len(_digests(hooked)) == 1
    saved = DigestSchedule.objects.get()
    assert (saved.last_sent_at, saved.last_sent_on) == (morning, date(2026, 11, 25))
    run_alert_round(now=datetime(2026, 11, 26, 14, 0, tzinfo=UTC))  # the next day's goes out
    assert len(_digests(hooked)) == 2


def test_a_digest_by_hand_without_a_schedule_sends_and_schedules_nothing(
    cast: Any, hooked: Any
) -> None:
    [delivery] = send_digest_now(workspace=cast.workspace, since=T0 - timedelta(1), now=T0)
    assert delivery.ok and _digests(hooked) == ["Stormwatch digest for Nordbank: 0 alerts"]
    assert not DigestSchedule.objects.exists()


def test_a_digest_turned_off_is_not_sent(cast: Any, hooked: Any) -> None:
    save_digest_schedule(workspace=cast.workspace, hour=9, now=T0)
    off = save_digest_schedule(workspace=cast.workspace, hour=None, now=T0)
    assert (off.hour, off.next_due_at) == (None, None)
    run_alert_round(now=WEDNESDAY_9_WARSAW + timedelta(days=3))
    assert _digests(hooked) == []


def test_the_hour_is_in_the_teams_time_zone(cast: Any, hooked: Any) -> None:
    with override_settings(TIME_ZONE="America/New_York"):
        schedule = save_digest_schedule(workspace=cast.workspace, hour=9, now=T0)
    # 09:00 in New York on 2026-11-24 (UTC-5) is still ahead of T0.
    assert schedule.next_due_at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def test_an_hour_outside_the_day_is_refused(cast: Any) -> None:
    with pytest.raises(DigestError, match="between 0 and 23"):
        save_digest_schedule(workspace=cast.workspace, hour=24, now=T0)


def test_the_next_digest_follows_the_local_clock_across_summer_time() -> None:
    # Warsaw moves to UTC+2 on Sunday 2027-03-28; 09:00 local is 08:00 UTC before, 07:00 after.
    saturday = datetime(2027, 3, 27, 8, 0, tzinfo=UTC)
    assert next_digest_at(
        9, after=saturday, last_sent_on=date(2027, 3, 27), zone=WARSAW
    ) == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    assert next_digest_at(
        9, after=saturday - timedelta(hours=1), last_sent_on=None, zone=WARSAW
    ) == datetime(2027, 3, 27, 8, 0, tzinfo=UTC)
