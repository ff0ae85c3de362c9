"""The runtime with real connectors over a local feed server: a restart mid-stream loses and
duplicates nothing; health and the fetch log follow what happened."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from stormwatch.core.clock import FrozenClock
from stormwatch.mentions.models import Mention
from stormwatch.pipeline.context import StageContext
from stormwatch.sources.builders import SOURCE_BUILDERS
from stormwatch.sources.models import SourceConfig, SourceFetch
from stormwatch.sources.queries import list_source_health, list_unhealthy_sources
from stormwatch.sources.runtime import run_due_sources
from stormwatch.sources.service import add_source

from .conftest import FEED_PATH, NOW, feed_items, serve_feed

pytestmark = pytest.mark.django_db


class SimulatedCrash(BaseException):
    """Not an Exception: like a killed process, nothing in the runtime catches it."""


class CrashingContext(StageContext):
    """A real pipeline context whose monitor lookup (inside ingest, after the fetch and before
    the cursor is saved) kills the round once."""

    crashes_left: int = 1

    def monitors_for(self, workspace_id: int) -> Any:
        if self.crashes_left:
            self.crashes_left -= 1
            raise SimulatedCrash("killed between fetch and cursor save")
        return super().monitors_for(workspace_id)


def run_round(clock: FrozenClock, context: StageContext | None = None) -> int:
    """One scheduler round of a fresh runtime (new context, as after a restart)."""
    context = context or StageContext(clock=clock, enrichment="off")
    return run_due_sources(clock=clock, context=context, builders=SOURCE_BUILDERS)


def stored_ids(cast: Any) -> list[str]:
    return sorted(
        Mention.objects.filter(workspace=cast.workspace).values_list("external_id", flat=True)
    )


@pytest.fixture
def feed_source(cast: Any, feed_server: Any) -> SourceConfig:
    return add_source(
        workspace=cast.workspace,
        kind="rss",
        name="News feed",
        config={"url": feed_server.url + FEED_PATH, "poll_every": "PT1H"},
        now=NOW,
    )


def test_a_crash_between_fetch_and_cursor_save_loses_and_duplicates_nothing(
    cast: Any, feed_server: Any, feed_source: SourceConfig
) -> None:
    clock = FrozenClock(NOW)
    assert run_round(clock) == 3
    serve_feed(feed_server, feed_items(6))  # three new items arrive mid-stream
    clock.advance_to(NOW + timedelta(minutes=61))
    with pytest.raises(SimulatedCrash):
        run_round(clock, CrashingContext(clock=clock, enrichment="off"))
    assert stored_ids(cast) == ["item-0", "item-1", "item-2"]
    cursor = SourceConfig.objects.get(pk=feed_source.pk).cursor
    assert cursor is not None
    assert cursor["seen"].keys() == {
        "item-0",
        "item-1",
        "item-2",
    }
    assert run_round(clock) == 3  # restarted: the unsaved cursor makes it fetch the new ones
    assert stored_ids(cast) == [f"item-{n}" for n in range(6)]
    clock.advance_to(NOW + timedelta(minutes=122))
    assert run_round(clock) == 0
    assert Mention.objects.filter(workspace=cast.workspace).count() == 6


def test_a_crash_after_storing_but_before_the_cursor_save_stores_each_item_once(
    cast: Any, feed_source: SourceConfig
) -> None:
    clock = FrozenClock(NOW)
    run_round(clock)
    first_rows = dict(Mention.objects.values_list("external_id", "pk"))
    # The state such a crash leaves: mentions committed, the source's cursor never saved.
    SourceConfig.objects.filter(pk=feed_source.pk).update(cursor=None, wake_at=None)
    assert run_round(clock) == 3  # fetched again from the start...
    assert dict(Mention.objects.values_list("external_id", "pk")) == first_rows  # ...once


def test_a_store_failure_is_recorded_and_the_next_round_recovers(
    cast: Any, feed_source: SourceConfig
) -> None:
    class FailingOnce(StageContext):
        failed = False

        def monitors_for(self, workspace_id: int) -> Any:
            if not self.failed:
                self.failed = True
                raise RuntimeError("database is locked")
            return super().monitors_for(workspace_id)

    clock = FrozenClock(NOW)
    context = FailingOnce(clock=clock, enrichment="off")
    assert run_round(clock, context) == 0
    source = SourceConfig.objects.get(pk=feed_source.pk)
    assert source.consecutive_failures == 1 and source.cursor is None
    assert "storing failed: RuntimeError: database is locked" in source.last_error
    assert source.wake_at is not None
    clock.advance_to(source.wake_at)
    assert run_round(clock, context) == 3
    assert SourceConfig.objects.get(pk=feed_source.pk).consecutive_failures == 0


def test_health_shows_rate_lag_and_the_platforms_error(
    cast: Any, feed_server: Any, feed_source: SourceConfig
) -> None:
    clock = FrozenClock(NOW)
    run_round(clock)
    (health,) = list_source_health(cast.workspace, NOW + timedelta(minutes=30))
    assert health.status == "ok" and health.mentions_last_24h == 3
    assert health.mentions_per_hour == pytest.approx(3 / 24)
    assert health.lag == timedelta(minutes=30) and health.last_success_at == NOW
    feed_server.route("GET", FEED_PATH, (403, b"Forbidden: token expired", {}))
    for minutes in (61, 130, 260):
        clock.advance_to(NOW + timedelta(minutes=minutes))
        run_round(clock)
    (health,) = list_source_health(cast.workspace, clock.now())
    assert health.status == "failing" and health.consecutive_failures == 3
    assert "HTTP 403" in health.last_error
    assert [h.name for h in list_unhealthy_sources(cast.workspace, clock.now())] == ["News feed"]
    assert SourceFetch.objects.filter(source=feed_source).exclude(error="").count() == 3


def test_a_source_silent_for_much_longer_than_usual_is_unhealthy(
    cast: Any, feed_source: SourceConfig
) -> None:
    for hour in range(48):  # a steady 2 mentions an hour, then nothing
        SourceFetch.objects.create(
            source=feed_source, fetched_at=NOW + timedelta(hours=hour), stored=2
        )
    SourceConfig.objects.filter(pk=feed_source.pk).update(last_success_at=NOW + timedelta(hours=52))
    later = NOW + timedelta(hours=48)
    assert list_unhealthy_sources(cast.workspace, later) == []
    (silent,) = list_unhealthy_sources(cast.workspace, NOW + timedelta(hours=52))
    assert silent.status == "silent" and silent.usual_per_hour == pytest.approx(96 / 52)


def test_the_fetch_log_keeps_seven_days(cast: Any, feed_source: SourceConfig) -> None:
    SourceFetch.objects.create(source=feed_source, fetched_at=NOW - timedelta(days=8), stored=5)
    run_round(FrozenClock(NOW))
    assert list(SourceFetch.objects.values_list("stored", flat=True)) == [3]
