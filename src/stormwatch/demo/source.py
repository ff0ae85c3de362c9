"""Replays the demo scenario live, as a source that follows `stormwatch.sources.contract`.

Two clocks are involved. Scenario time is the scenario's own timeline; data time is what the
emitted mentions carry and what the injected clock reads. They are related by
    data_at = anchor_at + (scenario_at - scenario.start_at) / time_scale
With time_scale 1 they coincide. With time_scale 20 the whole scenario, backfill included, runs
twenty times faster, so the baseline the detectors learn from has the same shape as the crisis
they must find (every rate is twenty times higher per data hour, everywhere).

Cursor: {"scenario_at": ISO timestamp, "id": mention id, "last_at": ISO data timestamp} of the
last emitted mention. Mentions are totally ordered by (scenario time, id); a fetch returns those
strictly after the cursor whose data time is <= clock.now(), so passing a cursor again yields no
mention twice and skips none. `fetch` never sleeps: `wake_at` says when the next one is due.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

from stormwatch.core.clock import Clock, ensure_aware_utc
from stormwatch.demo.scenario import DEFAULT_RATE_PER_HOUR, DemoScenario
from stormwatch.mentions.canonical import CanonicalMention
from stormwatch.sources.contract import Batch, Cursor

_TICK = timedelta(microseconds=1)
_LOOKAHEAD = (timedelta(hours=1), timedelta(hours=12), timedelta(days=2))
DEFAULT_HISTORY = timedelta(days=14)
DEFAULT_CRISIS_AFTER = timedelta(minutes=3)


class DemoSource:
    """A source that emits the scenario's mentions as the clock reaches them."""

    kind = "demo"

    def __init__(
        self,
        scenario: DemoScenario,
        clock: Clock,
        *,
        time_scale: float = 1.0,
        anchor_at: datetime | None = None,
        max_batch: int = 1000,
    ) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.scenario = scenario
        self._clock = clock
        self.time_scale = time_scale
        self.anchor_at = ensure_aware_utc(anchor_at) if anchor_at else scenario.start_at
        self._max_batch = max_batch

    def fetch(self, cursor: Cursor | None) -> Batch:
        """Mentions due by now after `cursor`, at most `max_batch` of them (then wake_at is now)."""
        now = ensure_aware_utc(self._clock.now())
        horizon_at = self.to_scenario_time(now)
        after = _read_cursor(cursor)
        due: list[CanonicalMention] = []
        for mention in self._after(after, horizon_at + _TICK):
            if len(due) == self._max_batch:  # more are due: ask to be called again at once
                return self._batch(due, cursor, wake_at=now)
            due.append(mention)
        return self._batch(due, cursor, wake_at=self._next_due(horizon_at))

    def to_scenario_time(self, data_at: datetime) -> datetime:
        return self.scenario.start_at + (data_at - self.anchor_at) * self.time_scale

    def to_data_time(self, scenario_at: datetime) -> datetime:
        return self.anchor_at + (scenario_at - self.scenario.start_at) / self.time_scale

    def _after(
        self, after: tuple[datetime, str] | None, end_at: datetime
    ) -> Iterator[CanonicalMention]:
        start_at = after[0] if after else self.scenario.start_at
        for mention in self.scenario.generate(start_at, end_at):
            if after is None or (mention.created_at, mention.id) > after:
                yield mention

    def _next_due(self, horizon_at: datetime) -> datetime:
        start_at = horizon_at + _TICK
        for window in _LOOKAHEAD:  # short windows first: usually the next post is minutes away
            upcoming = next(self.scenario.generate(start_at, start_at + window), None)
            if upcoming is not None:
                return self.to_data_time(upcoming.created_at)
        return self.to_data_time(start_at + _LOOKAHEAD[-1])

    def _batch(
        self, due: list[CanonicalMention], cursor: Cursor | None, *, wake_at: datetime
    ) -> Batch:
        new_cursor = _cursor_for(due[-1], self) if due else dict(cursor or {})
        return Batch([self._to_data(m) for m in due], new_cursor, wake_at=wake_at)

    def _to_data(self, mention: CanonicalMention) -> CanonicalMention:
        if self.time_scale == 1.0 and self.anchor_at == self.scenario.start_at:
            return mention
        return replace(mention, created_at=self.to_data_time(mention.created_at))


def build_demo_source(
    *,
    created_at: datetime,
    clock: Clock,
    seed: int = 7,
    time_scale: float = 1.0,
    history: timedelta = DEFAULT_HISTORY,
    crisis_after: timedelta = DEFAULT_CRISIS_AFTER,
    rate_per_hour: float = DEFAULT_RATE_PER_HOUR,
) -> DemoSource:
    """The demo workspace's source, for a workspace created at `created_at` (data time).

    The first fetch returns `history` of scenario time as backfill (two weeks: a baseline with
    its daily and weekly rhythm), ending at `created_at`. The crisis then erupts `crisis_after`
    later in data time (3 minutes by default) and plays out over about 10 scenario hours,
    i.e. 10 / time_scale hours of data time.
    """
    created_at = ensure_aware_utc(created_at)
    scenario = DemoScenario(
        seed=seed,
        start_at=created_at - history,
        crisis_at=history + crisis_after * time_scale,
        rate_per_hour=rate_per_hour,
    )
    anchor_at = created_at - history / time_scale
    return DemoSource(scenario, clock, time_scale=time_scale, anchor_at=anchor_at)


def _read_cursor(cursor: Cursor | None) -> tuple[datetime, str] | None:
    if not cursor or "scenario_at" not in cursor:
        return None
    return datetime.fromisoformat(cursor["scenario_at"]), str(cursor["id"])


def _cursor_for(mention: CanonicalMention, source: DemoSource) -> Cursor:
    return {
        "scenario_at": mention.created_at.isoformat(),
        "id": mention.id,
        "last_at": source.to_data_time(mention.created_at).isoformat(),
    }
