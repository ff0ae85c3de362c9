"""The output of a detector: one Detection per episode, with everything the UI shows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from stormwatch.detect.records import Bucket, MentionRef

VOLUME_SURGE = "volume_surge"
VOLUME_BUILD = "volume_build"
NEGATIVE_SHARE = "negative_share"
INFLUENCER_NEGATIVE = "influencer_negative"
NEGATIVE_REACH = "negative_reach"
EMERGING_NARRATIVE = "emerging_narrative"
COMPETITOR_CRISIS = "competitor_crisis"


@dataclass(frozen=True)
class Detection:
    """A detector's claim that something unusual started at `started_at`.

    `detected_at` is the end of the bucket whose data justified the claim, never earlier.
    `observed` and `expected` are in the detector's unit (mentions per window, a share in [0, 1],
    reach); `window` is the span they were counted over. `p_value` is the tail probability
    under the baseline (smaller is stronger). `severity` is 1..5 (see severity.py).
    """

    kind: str
    monitor: str
    started_at: datetime
    detected_at: datetime
    observed: float
    expected: float
    window: timedelta
    p_value: float
    severity: int = 1
    metric: str = "mentions"
    subject: str = ""  # narrative id or competitor name, when the kind has one
    # Weekday (0 Monday) and hour of the baseline's slot in the team's zone (step_monitor's
    # `zone`); -1 none. explain() names the slot from detected_at in the reader's zone.
    slot_weekday: int = -1
    slot_hour: int = -1
    velocity: float = 0.0  # ratio growth per hour over the episode's first buckets
    reach: float = 0.0
    negative_share: float = 0.0
    top_terms: tuple[str, ...] = ()
    top_mentions: tuple[MentionRef, ...] = ()
    platforms: dict[str, float] = field(default_factory=dict)
    langs: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected > 0 else float("inf")

    def to_json_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["detected_at"] = self.detected_at.isoformat()
        data["window"] = self.window.total_seconds()
        data["ratio"] = self.ratio
        return data


def shares(counts: dict[str, int]) -> dict[str, float]:
    """Counts to shares, largest first."""
    total = sum(counts.values())
    if total == 0:
        return {}
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {k: v / total for k, v in ordered}


def context_fields(buckets: list[Bucket], top_terms: int = 5) -> dict[str, Any]:
    """Terms, top mentions, platform and language shares pooled over the episode's buckets."""
    platforms: dict[str, int] = {}
    langs: dict[str, int] = {}
    terms: dict[str, int] = {}
    mentions: dict[str, MentionRef] = {}
    for b in buckets:
        for src, dst in ((b.platforms, platforms), (b.langs, langs), (b.terms, terms)):
            for k, v in src.items():
                dst[k] = dst.get(k, 0) + v
        for m in b.top_mentions:
            mentions[m.id] = m
    ranked_terms = sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:top_terms]
    ranked_mentions = sorted(mentions.values(), key=lambda m: -m.reach)[:5]
    return {
        "top_terms": tuple(t for t, _ in ranked_terms),
        "top_mentions": tuple(ranked_mentions),
        "platforms": shares(platforms),
        "langs": shares(langs),
    }
