"""Closing buckets for a monitor whose mentions live in the database, batch after batch.

The detect package's `BucketAggregator` keeps open buckets in memory. What is persisted
between pipeline batches is only, per width, where the next bucket starts (`next_at`). A
process that has just seen the previous batch keeps its aggregators (`OpenWindows`) and adds
only the new mentions (`advance_windows`); any other process, or one after a restart, rebuilds
the open interval from the stored mentions since the earliest of those starts
(`close_buckets`), so no in-memory state has to survive a restart. Both paths close the same
buckets. Time comes from the data: buckets close when the latest mention passes end + grace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from stormwatch.detect.buckets import BucketAggregator, floor_time
from stormwatch.detect.monitor import DETECTORS
from stormwatch.detect.records import Bucket, ScoredMention

DETECT_WIDTHS: tuple[timedelta, ...] = tuple(sorted({width for width, _, _ in DETECTORS.values()}))
NextAt = dict[str, str]  # width in seconds -> ISO start of the next bucket to close


@dataclass
class OpenWindows:
    """One monitor's open buckets in this process, valid while `next_at` matches the stored one."""

    next_at: NextAt
    aggregators: dict[str, BucketAggregator]
    last_mention_id: int


def _key(width: timedelta) -> str:
    return str(int(width.total_seconds()))


def reopen_from(next_at: NextAt, first_seen_at: datetime) -> datetime:
    """Earliest mention time the next `close_buckets` call needs to see."""
    if not next_at:
        return floor_time(first_seen_at, max(DETECT_WIDTHS))
    return min(datetime.fromisoformat(v) for v in next_at.values())


def close_buckets(
    monitor: str,
    mentions: Sequence[ScoredMention],
    *,
    next_at: NextAt,
    start_at: datetime,
    watermark_at: datetime,
) -> tuple[list[Bucket], NextAt, dict[str, BucketAggregator]]:
    """Buckets that close by `watermark_at`, ordered by (end, width), the new `next_at`, and the
    aggregators holding what is still open (for `advance_windows` on the next batch).

    `mentions` are every mention of the monitor since `reopen_from(next_at, ...)`, sorted by
    time; `start_at` is where a monitor without `next_at` starts its buckets.
    """
    begins: dict[str, datetime] = {}
    aggregators: dict[str, BucketAggregator] = {}
    for width in DETECT_WIDTHS:
        key = _key(width)
        begins[key] = datetime.fromisoformat(next_at[key]) if key in next_at else start_at
        aggregators[key] = BucketAggregator(monitor, widths=(width,))
        aggregators[key].start(begins[key])
    return (*_feed(aggregators, begins, mentions, watermark_at), aggregators)


def advance_windows(
    windows: OpenWindows, new_mentions: Sequence[ScoredMention], *, watermark_at: datetime
) -> tuple[list[Bucket], NextAt]:
    """Like `close_buckets`, for a process that kept the aggregators: only new mentions."""
    begins = {key: datetime.fromisoformat(at) for key, at in windows.next_at.items()}
    return _feed(windows.aggregators, begins, new_mentions, watermark_at)


def _feed(
    aggregators: dict[str, BucketAggregator],
    begins: dict[str, datetime],
    mentions: Sequence[ScoredMention],
    watermark_at: datetime,
) -> tuple[list[Bucket], NextAt]:
    closed: list[Bucket] = []
    new_next: NextAt = {}
    for key, aggregator in aggregators.items():
        begin = begins[key]
        width = aggregator.widths[0]
        done: list[Bucket] = []
        for mention in mentions:
            if mention.created_at >= begin:
                done.extend(aggregator.add(mention))
        done.extend(aggregator.advance(watermark_at))
        new_next[key] = (done[-1].end_at if done else floor_time(begin, width)).isoformat()
        closed.extend(done)
    closed.sort(key=lambda b: (b.end_at, b.width))
    return closed, new_next
