from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stormwatch.core.clock import FrozenClock
from stormwatch.demo import DemoScenario, DemoSource, build_demo_source
from stormwatch.mentions.canonical import CanonicalMention
from stormwatch.sources.contract import Cursor

START_AT = datetime(2024, 5, 6, tzinfo=UTC)


def _drain(
    source: DemoSource, clock: FrozenClock, until_at: datetime, step: timedelta
) -> list[CanonicalMention]:
    got: list[CanonicalMention] = []
    cursor: Cursor | None = None
    at = clock.now()
    while at <= until_at:
        clock.advance_to(at)
        batch = source.fetch(cursor)
        got.extend(batch.mentions)
        cursor = batch.cursor
        assert batch.wake_at is not None and batch.wake_at >= at
        at = at + step if batch.wake_at > at else at  # a full batch asks to be called again now
    return got


def test_it_returns_nothing_before_the_first_mention_is_due() -> None:
    scenario = DemoScenario(start_at=START_AT)
    first = next(scenario.generate(START_AT, START_AT + timedelta(days=1)))
    clock = FrozenClock(START_AT - timedelta(hours=1))
    batch = DemoSource(scenario, clock).fetch(None)
    assert batch.mentions == []
    assert batch.wake_at == first.created_at
    clock.advance_to(first.created_at)
    assert DemoSource(scenario, clock).fetch(batch.cursor).mentions == [first]


def test_it_resumes_from_its_cursor_without_gaps_or_duplicates() -> None:
    scenario = DemoScenario(start_at=START_AT, crisis_at=timedelta(hours=10))
    until_at = START_AT + timedelta(hours=16)
    clock = FrozenClock(START_AT)
    source = DemoSource(scenario, clock, max_batch=40)
    got = _drain(source, clock, until_at, timedelta(minutes=17))
    expected = list(scenario.generate(START_AT, clock.now() + timedelta(microseconds=1)))
    assert got == expected
    assert len(expected) > 200


def test_fetching_again_with_the_same_cursor_repeats_the_batch() -> None:
    scenario = DemoScenario(start_at=START_AT)
    clock = FrozenClock(START_AT + timedelta(hours=12))
    source = DemoSource(scenario, clock, max_batch=30)
    first = source.fetch(None)
    second = source.fetch(first.cursor)
    assert source.fetch(first.cursor) == second
    assert not {m.id for m in first.mentions} & {m.id for m in second.mentions}
    assert first.wake_at == clock.now()


def test_a_new_demo_workspace_gets_two_weeks_of_history_then_a_crisis_minutes_later() -> None:
    created_at = datetime(2024, 6, 3, 9, 30, tzinfo=UTC)
    clock = FrozenClock(created_at)
    source = build_demo_source(created_at=created_at, clock=clock)
    source_batch = source.fetch(None)
    history = list(source.scenario.generate(created_at - timedelta(days=14), created_at))
    assert len(history) > 4000
    assert source_batch.mentions == history[:1000]
    episode = source.scenario.ground_truth()
    assert episode.start_at == created_at + timedelta(minutes=3)


def test_time_compression_plays_the_crisis_within_minutes() -> None:
    created_at = datetime(2024, 6, 3, 9, 30, tzinfo=UTC)
    clock = FrozenClock(created_at + timedelta(minutes=40))
    source = build_demo_source(created_at=created_at, clock=clock, time_scale=20)
    source = DemoSource(
        source.scenario, clock, time_scale=20, anchor_at=source.anchor_at, max_batch=100_000
    )
    mentions = source.fetch(None).mentions
    assert mentions[0].created_at >= created_at - timedelta(days=14) / 20
    assert mentions[-1].created_at <= clock.now()
    episode = source.scenario.ground_truth()
    assert source.to_data_time(episode.start_at) == created_at + timedelta(minutes=3)
    assert source.to_data_time(episode.end_at) < created_at + timedelta(minutes=45)
    last_minutes = [m for m in mentions if m.created_at > created_at + timedelta(minutes=5)]
    first_minutes = [
        m for m in mentions if created_at - timedelta(minutes=35) < m.created_at <= created_at
    ]
    assert len(last_minutes) > 5 * len(first_minutes)
