"""Small pieces every count detector shares: gap handling and warm-up bookkeeping."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from stormwatch.detect.records import Bucket


def note_time(state: dict[str, Any], bucket: Bucket, resume_buckets: int) -> dict[str, Any]:
    """Track the last bucket end; after a gap (missing buckets), hold alarms for a few buckets.

    A gap means the pipeline delivered nothing for a while (an outage, not a quiet hour: quiet
    hours arrive as empty buckets). Data right after an outage is often a backlog, so the
    detector learns from it but does not alarm on it for `resume_buckets` buckets.
    """
    last = state.get("last_end_at")
    hold = int(state.get("hold", 0))
    if last is not None and bucket.start_at > datetime.fromisoformat(last) + timedelta(0):
        hold = resume_buckets
    elif hold > 0:
        hold -= 1
    return {
        **state,
        "last_end_at": bucket.end_at.isoformat(),
        "hold": hold,
        "seen": state.get("seen", 0) + 1,
    }


def is_warm(state: dict[str, Any], bucket: Bucket, warmup: timedelta) -> bool:
    """Enough history (in data time) and no outage hold: alarms are allowed."""
    return int(state["seen"]) * bucket.width >= warmup and int(state["hold"]) == 0
