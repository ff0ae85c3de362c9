"""Source-health alerts through the real pipeline: a local feed server that fails, recovers or
goes quiet, the pipeline service's rounds on a frozen clock, a local webhook channel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from tests.alerts.conftest import Webhook
from tests.localhttp import LocalServer

from stormwatch.alerts.models import Alert, InAppNotification
from stormwatch.alerts.notify.service import add_channel
from stormwatch.alerts.service import record_source_health, transition_alert
from stormwatch.alerts.source_text import duration
from stormwatch.core.clock import FrozenClock
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.service import PipelineService
from stormwatch.sources.builders import SOURCE_BUILDERS
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.service import add_source, disable_source
from stormwatch.testing import TEST_NOW_ISO, rss_feed

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat(TEST_NOW_ISO)
FEED = "/feed.xml"
BROKEN = (403, b"Forbidden: token expired", {"Content-Type": "text/plain"})
# The RSS connector answers a 5xx with RetryLater; the runtime counts those rounds as failures.
UNAVAILABLE = (503, b"Service Unavailable", {"Content-Type": "text/plain", "Retry-After": "600"})


def serve_items(server: LocalServer, count: int, *, start: int = 0) -> None:
    items = [
        (f"item-{n}", f"Awaria aplikacji Nordbanku numer {n}", format_datetime(NOW))
        for n in range(start + count - 1, start - 1, -1)
    ]
    server.route("GET", FEED, (200, rss_feed(items), {"Content-Type": "application/rss+xml"}))


@pytest.fixture
def feed() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


@pytest.fixture
def source(cast: Any, feed: LocalServer) -> SourceConfig:
    return add_source(
        workspace=cast.workspace,
        kind="rss",
        name="News feed",
        config={"url": feed.url + FEED, "poll_every": "PT1H"},
        now=NOW,
    )


class Rounds:
    """The pipeline service on a frozen clock: each round fetches due sources, then runs the
    alert round (health, escalation, notifications), as `stormwatch serve` does."""

    def __init__(self) -> None:
        self.clock = FrozenClock(NOW)
        context = StageContext(clock=self.clock, enrichment="off")
        self.service = PipelineService(builders=SOURCE_BUILDERS, clock=self.clock, context=context)

    def at_next_wake(self, source: SourceConfig) -> None:
        """Advance to the moment the source is due again (a new one is due now), then run
        one round."""
        wake_at = SourceConfig.objects.get(pk=source.pk).wake_at or self.clock.now()
        self.clock.advance_to(max(wake_at, self.clock.now()))
        self.service.run_once()

    def at(self, delta: timedelta) -> None:
        self.clock.advance_to(NOW + delta)
        self.service.run_once()


def hook_channel(cast: Any, webhook: Webhook, min_severity: int) -> None:
    add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=webhook.url,
        min_severity=min_severity,
        owner=cast.owner,
        now=NOW,
    )


def test_a_failing_feed_raises_one_alert_after_three_failures_and_resolves_on_recovery(
    cast: Any, feed: LocalServer, source: SourceConfig, webhook: Webhook
) -> None:
    hook_channel(cast, webhook, min_severity=3)
    feed.route("GET", FEED, BROKEN)
    rounds = Rounds()
    rounds.at_next_wake(source)
    rounds.at_next_wake(source)
    assert Alert.objects.count() == 0  # two failures in a row may be a blip
    rounds.at_next_wake(source)
    rounds.at_next_wake(source)  # a fourth failure updates the same alert
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.state, alert.monitor) == (
        "source_failing",
        3,
        "open",
        None,
    )
    assert "News feed" in alert.explanation_en and "HTTP 403" in alert.explanation_en
    assert "It has never fetched successfully." in alert.explanation_en
    assert "nie działa" in alert.explanation_pl and "HTTP 403" in alert.explanation_pl
    assert [m["title"] for m in webhook.received] == ["Alert: News feed, severity 3 of 5"]
    assert "HTTP 403" in webhook.received[0]["message"]
    assert InAppNotification.objects.filter(alert=alert, user=cast.responder).count() == 1

    serve_items(feed, 3)
    rounds.at_next_wake(source)
    alert.refresh_from_db()
    assert alert.state == "resolved" and alert.ended_at == rounds.clock.now()
    assert [e.action for e in alert.events.order_by("at", "pk")][-1] == "recovered"
    assert webhook.received[-1]["title"] == (
        "Resolved, the source is healthy again: News feed, severity 3 of 5"
    )
    rounds.at(timedelta(hours=12))
    assert Alert.objects.count() == 1 and len(webhook.received) == 2


def test_a_feed_answering_503_for_three_rounds_raises_a_failing_alert(
    cast: Any, feed: LocalServer, source: SourceConfig
) -> None:
    feed.route("GET", FEED, UNAVAILABLE)
    rounds = Rounds()
    for _ in range(3):
        rounds.at_next_wake(source)
    alert = Alert.objects.get()
    assert alert.kind == "source_failing" and "News feed" in alert.explanation_en
    assert SourceConfig.objects.get(pk=source.pk).consecutive_failures == 3


def test_a_source_failing_again_after_recovering_raises_a_new_alert(
    cast: Any, feed: LocalServer, source: SourceConfig
) -> None:
    feed.route("GET", FEED, BROKEN)
    rounds = Rounds()
    for _ in range(3):
        rounds.at_next_wake(source)
    serve_items(feed, 3)
    rounds.at_next_wake(source)
    feed.route("GET", FEED, BROKEN)
    for _ in range(3):
        rounds.at_next_wake(source)
    first, second = Alert.objects.order_by("pk")
    assert (first.state, second.state) == ("resolved", "open")
    assert "Last successful fetch" in second.explanation_en  # it did succeed once in between
    assert second.started_at < second.detected_at


def test_a_feed_gone_quiet_raises_a_silent_alert_below_a_severity_3_channel(
    cast: Any, feed: LocalServer, source: SourceConfig, webhook: Webhook
) -> None:
    hook_channel(cast, webhook, min_severity=3)
    serve_items(feed, 12)
    rounds = Rounds()
    rounds.at(timedelta(0))  # 12 mentions, then the same items every hour: nothing new
    rounds.at(timedelta(hours=1))
    assert Alert.objects.count() == 0
    rounds.at(timedelta(hours=2))
    rounds.at(timedelta(hours=3))
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.source_id) == ("source_silent", 2, source.pk)
    assert "no new mention for 3 hours" in alert.explanation_en
    assert "usually brings one every 15 minutes" in alert.explanation_en  # 12 in 3 hours
    assert "zamilkło" in alert.explanation_pl
    assert webhook.received == []  # the channel asked for severity 3 and up
    serve_items(feed, 5, start=12)
    rounds.at(timedelta(hours=4))
    alert.refresh_from_db()
    assert alert.state == "resolved"


def test_a_silent_alert_reaches_a_severity_2_channel_and_escalates_when_nobody_acknowledges(
    cast: Any, feed: LocalServer, source: SourceConfig, webhook: Webhook
) -> None:
    hook_channel(cast, webhook, min_severity=2)
    serve_items(feed, 12)
    rounds = Rounds()
    for hour in range(4):
        rounds.at(timedelta(hours=hour))
    assert [m["title"] for m in webhook.received] == [
        "Alert: News feed, severity 2 of 5",  # raised at hour 2, escalated an hour later
        "Alert escalated, nobody acknowledged it: News feed, severity 2 of 5",
    ]


def test_a_person_closing_the_alert_does_not_bring_it_back_while_the_source_still_fails(
    cast: Any, feed: LocalServer, source: SourceConfig
) -> None:
    feed.route("GET", FEED, BROKEN)
    rounds = Rounds()
    for _ in range(3):
        rounds.at_next_wake(source)
    alert = Alert.objects.get()
    transition_alert(alert=alert, action="resolve", actor=cast.responder, now=rounds.clock.now())
    rounds.at_next_wake(source)
    assert Alert.objects.count() == 1
    serve_items(feed, 3)
    rounds.at_next_wake(source)
    alert.refresh_from_db()
    assert alert.ended_at is not None and alert.events.filter(action="recovered").exists()


def test_a_paused_source_keeps_its_alert_as_it_is(
    cast: Any, feed: LocalServer, source: SourceConfig
) -> None:
    feed.route("GET", FEED, BROKEN)
    rounds = Rounds()
    for _ in range(3):
        rounds.at_next_wake(source)
    disable_source(source=SourceConfig.objects.get(pk=source.pk))
    later = rounds.clock.now() + timedelta(hours=5)
    assert record_source_health(workspace=cast.workspace, now=later) == []
    assert Alert.objects.get().state == "open"


def test_an_overdue_source_raises_an_overdue_alert(cast: Any, source: SourceConfig) -> None:
    SourceConfig.objects.filter(pk=source.pk).update(wake_at=NOW, last_success_at=NOW)
    (change,) = record_source_health(workspace=cast.workspace, now=NOW + timedelta(minutes=40))
    assert (change.reason, change.alert.kind, change.alert.severity) == (
        "raised",
        "source_overdue",
        3,
    )
    assert "due for a fetch 40 minutes ago" in change.alert.explanation_en
    assert change.alert.started_at == NOW


def test_durations_read_like_a_person_would_say_them() -> None:
    assert duration(timedelta(seconds=1), "en") == "1 second"
    assert duration(timedelta(seconds=90), "pl") == "90 s"
    assert duration(timedelta(minutes=40), "en") == "40 minutes"
    assert duration(timedelta(hours=5), "pl") == "5 godz."
    assert duration(timedelta(days=3), "en") == "3 days"
