"""Closing buckets for a monitor whose mentions live in the database, batch after batch.

The detect package's `BucketAggregator` keeps open buckets in memory. Between pipeline
batches we keep only, per width, where the next bucket starts (`next_at`); each batch the
open interval is rebuilt from the stored mentions since the earliest of those starts (at most
one slow bucket, an hour, of mentions), so no in-memory state has to survive a restart.
Time comes from the data: buckets close when the latest mention time passes end + grace.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from stormwatch.detect.buckets import BucketAggregator, floor_time
from stormwatch.detect.monitor import DETECTORS
from stormwatch.detect.records import Bucket, ScoredMention

DETECT_WIDTHS: tuple[timedelta, ...] = tuple(sorted({width for width, _, _ in DETECTORS.values()}))
NextAt = dict[str, str]  # width in seconds -> ISO start of the next bucket to close


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
) -> tuple[list[Bucket], NextAt]:
    """Buckets that close by `watermark_at`, ordered by (end, width), and the new `next_at`.

    `mentions` are every mention of the monitor since `reopen_from(next_at, ...)`, sorted by
    time; `start_at` is where a monitor without `next_at` starts its buckets.
    """
    closed: list[Bucket] = []
    new_next: NextAt = {}
    for width in DETECT_WIDTHS:
        key = _key(width)
        begin = datetime.fromisoformat(next_at[key]) if key in next_at else start_at
        aggregator = BucketAggregator(monitor, widths=(width,))
        aggregator.start(begin)
        done: list[Bucket] = []
        for mention in mentions:
            if mention.created_at >= begin:
                done.extend(aggregator.add(mention))
        done.extend(aggregator.advance(watermark_at))
        new_next[key] = (done[-1].end_at if done else floor_time(begin, width)).isoformat()
        closed.extend(done)
    closed.sort(key=lambda b: (b.end_at, b.width))
    return closed, new_next
