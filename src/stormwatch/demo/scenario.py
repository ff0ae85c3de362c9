"""The demo scenario: a Polish digital bank's mention stream with a crisis that erupts and fades.

"Nordbank" (fictional) is talked about in Polish and English on social platforms, news sites and
app stores, with a daily and weekly rhythm. At `crisis_at` after `start_at`, transfers start
failing; a news account with about 1.2M followers amplifies the story and its post is copied
widely; the bank posts a holding statement, a fix and an apology; volume and negativity decay back
to baseline within about twelve hours. `ground_truth()` gives the episode's times for evaluation.

Determinism: everything is a function of the seed, the scenario's times and the rate. Time is cut
into ten-minute slots on a fixed grid; each slot draws from its own generator, so any window can
be generated alone and agrees with every other window, and mention ids are stable across runs.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from stormwatch.core.clock import ensure_aware_utc
from stormwatch.demo.events import REPLY_HORIZON, SlotWriter
from stormwatch.demo.people import AMPLIFIER, build_population
from stormwatch.demo.posts import DemoMention
from stormwatch.demo.rhythm import (
    AMPLIFIED_AFTER,
    RESOLVED_AFTER,
    crisis_intensity,
    crisis_peak_and_end,
    rhythm_factor,
)
from stormwatch.demo.script import (
    APOLOGY_AFTER,
    FIXED_AFTER,
    HOLDING_AFTER,
    amplifier_id,
    scripted_posts,
)
from stormwatch.mentions.canonical import CanonicalMention

SLOT = timedelta(minutes=10)
_SLOT_HOURS = SLOT / timedelta(hours=1)
_GRID_ORIGIN_AT = datetime(2000, 1, 3, tzinfo=UTC)
_CHUNK = timedelta(hours=6)
# Live replay regenerates the same recent slots on every fetch; remembering them keeps it cheap.
_SLOT_CACHE_SIZE = 256
DEFAULT_CRISIS_AT = timedelta(days=14, minutes=3)
DEFAULT_RATE_PER_HOUR = 20.0


@dataclass(frozen=True)
class CrisisEpisode:
    """When the crisis happened, for scoring detection and response (all aware UTC)."""

    start_at: datetime
    amplified_at: datetime
    peak_at: datetime
    holding_statement_at: datetime
    resolved_at: datetime
    apology_at: datetime
    end_at: datetime
    amplifier_id: str
    amplifier_handle: str
    summary: str


class DemoScenario:
    """A deterministic, bilingual mention stream for the fictional bank Nordbank.

    `start_at`: when the scenario begins (nothing is generated before it). `crisis_at`: offset of
    the outage from `start_at`. `rate_per_hour`: mean mentions per hour on a weekday, before
    replies (nights are about a tenth of that, lunch and evenings about 1.7 times).
    """

    kind = "demo"

    def __init__(
        self,
        *,
        start_at: datetime,
        seed: int = 7,
        crisis_at: timedelta = DEFAULT_CRISIS_AT,
        rate_per_hour: float = DEFAULT_RATE_PER_HOUR,
    ) -> None:
        if rate_per_hour <= 0:
            raise ValueError("rate_per_hour must be positive")
        if crisis_at < timedelta(0):
            raise ValueError("crisis_at must not be negative")
        self.seed = seed
        self.start_at = ensure_aware_utc(start_at)
        self.crisis_start_at = self.start_at + crisis_at
        self.rate_per_hour = rate_per_hour
        self.prefix = f"nb{seed}"
        self._writer = SlotWriter(seed, self.prefix, build_population(seed), self.crisis_start_at)
        self._scripted = scripted_posts(seed, self.prefix, self.crisis_start_at)
        self._cache: OrderedDict[int, list[DemoMention]] = OrderedDict()

    def generate(self, start_at: datetime, end_at: datetime) -> Iterator[CanonicalMention]:
        """Mentions with start_at <= created_at < end_at, ordered by (created_at, id)."""
        for post in self.generate_labelled(start_at, end_at):
            yield post.mention

    def generate_labelled(self, start_at: datetime, end_at: datetime) -> Iterator[DemoMention]:
        """Like `generate`, with each mention's ground-truth labels. Streams six hours at a time."""
        chunk_start_at = max(ensure_aware_utc(start_at), self.start_at)
        end_at = ensure_aware_utc(end_at)
        while chunk_start_at < end_at:
            chunk_end_at = min(chunk_start_at + _CHUNK, end_at)
            yield from self._window(chunk_start_at, chunk_end_at)
            chunk_start_at = chunk_end_at

    def expected_rate(self, at: datetime) -> float:
        """Expected root mentions per hour at `at` (baseline rhythm plus crisis)."""
        return self._base_rate(at) + self._crisis_rate(at)

    def ground_truth(self) -> CrisisEpisode:
        peak, end = crisis_peak_and_end()
        start_at = self.crisis_start_at
        return CrisisEpisode(
            start_at=start_at,
            amplified_at=start_at + AMPLIFIED_AFTER,
            peak_at=start_at + peak,
            holding_statement_at=start_at + HOLDING_AFTER,
            resolved_at=start_at + FIXED_AFTER,
            apology_at=start_at + APOLOGY_AFTER,
            end_at=start_at + end,
            amplifier_id=amplifier_id(self.prefix),
            amplifier_handle=AMPLIFIER.handle,
            summary=(
                "Outage: transfers and the app fail for about "
                f"{RESOLVED_AFTER / timedelta(hours=1):.0f} hours; a news account with "
                f"{AMPLIFIER.followers:,} followers amplifies it; holding statement, fix, apology."
            ),
        )

    def _window(self, start_at: datetime, end_at: datetime) -> list[DemoMention]:
        first = (start_at - REPLY_HORIZON - _GRID_ORIGIN_AT) // SLOT
        last = (end_at - _GRID_ORIGIN_AT) // SLOT
        posts = [p for p in self._scripted if start_at <= p.at < end_at]
        for index in range(first, last + 1):
            for post in self._slot(index):
                if start_at <= post.at < end_at:
                    posts.append(post)
        return sorted(posts, key=lambda post: (post.at, post.mention.id))

    def _slot(self, index: int) -> list[DemoMention]:
        if index in self._cache:
            self._cache.move_to_end(index)
            return self._cache[index]
        posts = self._write_slot(index)
        self._cache[index] = posts
        if len(self._cache) > _SLOT_CACHE_SIZE:
            self._cache.popitem(last=False)
        return posts

    def _write_slot(self, index: int) -> list[DemoMention]:
        slot_start_at = _GRID_ORIGIN_AT + index * SLOT
        mid_at = slot_start_at + SLOT / 2
        base = self._base_rate(mid_at) * _SLOT_HOURS
        crisis = self._crisis_rate(mid_at) * _SLOT_HOURS
        posts = self._writer.write(index, slot_start_at, base, crisis)
        # A root from before the scenario began takes its replies with it, so no reply dangles.
        dropped = {p.mention.id for p in posts if p.at < self.start_at and not p.mention.parent_id}
        return [p for p in posts if p.mention.id.split(".")[0] not in dropped]

    def _base_rate(self, at: datetime) -> float:
        return self.rate_per_hour * rhythm_factor(at)

    def _crisis_rate(self, at: datetime) -> float:
        return self.rate_per_hour * crisis_intensity(at - self.crisis_start_at)
