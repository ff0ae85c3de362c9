"""Turn a time-ordered stream of scored mentions into closed buckets at several widths.

Time comes from the data: the watermark is the latest `created_at` seen (or a `now` passed to
`advance`). A bucket [start, end) closes once the watermark reaches end + grace, so mentions
that arrive slightly out of order are still counted. A mention older than the oldest open
bucket is too late for that width: it is not counted there, and it is reported in
`late_count` and `late_mentions` (the latest 100). A mention late for the 1-minute buckets may
still count in a still-open hourly bucket.
Buckets are contiguous: an interval with no mentions closes as an empty bucket (a real zero).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from stormwatch.core.clock import ensure_aware_utc
from stormwatch.detect.records import (
    BOYCOTT,
    CHURN,
    COMPLAINT,
    SCALES,
    Bucket,
    MentionRef,
    ScoredMention,
)

MAX_LATE_KEPT = 100
EPOCH_AT = datetime(1970, 1, 5, tzinfo=UTC)  # a Monday, so weekly alignment is natural
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
_STOP = frozenset(
    (
        "that",
        "this",
        "with",
        "have",
        "from",
        "they",
        "your",
        "about",
        "what",
        "when",
        "will",
        "just",
        "there",
        "their",
        "been",
        "were",
        "jest",
        "się",
        "nie",
        "jak",
        "ale",
        "tak",
        "już",
        "jeszcze",
        "tylko",
        "przez",
        "może",
        "będzie",
        "gdzie",
        "tego",
        "tych",
        "które",
        "który",
        "która",
        "oraz",
        "https",
        "http",
    )
)


def floor_time(at: datetime, width: timedelta) -> datetime:
    """Start of the width-aligned bucket holding `at` (aligned on a Monday 00:00 UTC)."""
    steps = (at - EPOCH_AT) // width
    return EPOCH_AT + steps * width


def terms_of(text: str) -> list[str]:
    """Lower-cased words of 4+ letters, minus a tiny stop list (good enough for 'top terms')."""
    return [w for w in (m.lower() for m in _WORD.findall(text)) if w not in _STOP]


class _Accumulator:
    def __init__(self, top_k: int) -> None:
        self.top_k = top_k
        self.counts: Counter[str] = Counter()
        self.reach_negative = 0.0
        self.top_share_velocity = 0.0
        self.platforms: Counter[str] = Counter()
        self.langs: Counter[str] = Counter()
        self.narratives: Counter[str] = Counter()
        self.terms: Counter[str] = Counter()
        self.top: list[MentionRef] = []

    def add(self, m: ScoredMention) -> None:
        self.counts["volume"] += 1
        self.counts[m.sentiment] += 1
        for intent in set(m.intents):
            self.counts[intent] += 1
        if m.sentiment == "negative":
            self.reach_negative += m.reach
            self.terms.update(terms_of(m.text))
        self.top_share_velocity = max(self.top_share_velocity, m.share_velocity)
        self.platforms[m.platform or "unknown"] += 1
        self.langs[m.lang or "unknown"] += 1
        if m.narrative_id:
            self.narratives[m.narrative_id] += 1
        ref = MentionRef(m.id, m.author_handle, m.reach, m.sentiment, m.text[:280], m.platform)
        self.top = sorted([*self.top, ref], key=lambda r: -r.reach)[: self.top_k]

    def to_bucket(self, monitor: str, start_at: datetime, width: timedelta) -> Bucket:
        c = self.counts
        return Bucket(
            monitor=monitor,
            start_at=start_at,
            width=width,
            volume=c["volume"],
            negative=c["negative"],
            positive=c["positive"],
            reach_negative=self.reach_negative,
            complaints=c[COMPLAINT],
            boycott_calls=c[BOYCOTT],
            churn_threats=c[CHURN],
            top_share_velocity=self.top_share_velocity,
            platforms=dict(self.platforms),
            langs=dict(self.langs),
            narratives=dict(self.narratives),
            terms=dict(self.terms.most_common(30)),
            top_mentions=tuple(self.top),
        )


class BucketAggregator:
    """Aggregates one monitor's mentions; `add` and `advance` return newly closed buckets.

    Returned buckets are ordered by (end_at, width). Not thread-safe; one per monitor.
    """

    def __init__(
        self,
        monitor: str,
        widths: tuple[timedelta, ...] = SCALES,
        grace: timedelta = timedelta(seconds=30),
        top_k: int = 5,
    ) -> None:
        self.monitor = monitor
        self.widths = tuple(sorted(widths))
        self.grace = grace
        self.top_k = top_k
        self.late_mentions: list[ScoredMention] = []
        self.late_count = 0
        self._next: dict[timedelta, datetime] = {}
        self._open: dict[timedelta, dict[datetime, _Accumulator]] = {w: {} for w in self.widths}

    def start(self, at: datetime) -> None:
        """Declare that the monitor exists from `at` on, so leading empty buckets are emitted."""
        for w in self.widths:
            self._next.setdefault(w, floor_time(ensure_aware_utc(at), w))

    def add(self, mention: ScoredMention) -> list[Bucket]:
        self.start(mention.created_at)
        if any(mention.created_at < self._next[w] for w in self.widths):
            self.late_count += 1
            # Keep only the latest few for reporting; the count says how many there were.
            self.late_mentions = [*self.late_mentions[-(MAX_LATE_KEPT - 1) :], mention]
        for w in self.widths:
            if mention.created_at >= self._next[w]:
                start_at = floor_time(mention.created_at, w)
                acc = self._open[w].setdefault(start_at, _Accumulator(self.top_k))
                acc.add(mention)
        return self.advance(mention.created_at)

    def advance(self, now: datetime) -> list[Bucket]:
        """Close every bucket whose end + grace <= now; empty intervals close as zeros."""
        now = ensure_aware_utc(now)
        closed: list[Bucket] = []
        for w in self.widths:
            if w not in self._next:
                continue
            while self._next[w] + w + self.grace <= now:
                start_at = self._next[w]
                acc = self._open[w].pop(start_at, None) or _Accumulator(self.top_k)
                closed.append(acc.to_bucket(self.monitor, start_at, w))
                self._next[w] = start_at + w
        closed.sort(key=lambda b: (b.end_at, b.width))
        return closed
