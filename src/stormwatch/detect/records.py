"""Input and aggregate records of the detection layer: scored mentions in, buckets out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from stormwatch.core.clock import ensure_aware_utc

# 1 minute feeds the fast surge detector (a 5-minute detection target needs finer buckets);
# 5 minutes the share detector; hours and days the slow ones and the UI.
SCALES: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(hours=1),
    timedelta(days=1),
)
COMPLAINT = "complaint"
BOYCOTT = "boycott_call"
CHURN = "churn_threat"


@dataclass(frozen=True)
class ScoredMention:
    """One enriched mention of one monitor, as the detectors need it.

    `sentiment` is "negative", "neutral" or "positive"; `sentiment_score` in [-1, 1].
    `reach` is the author's audience (followers) or another non-negative reach estimate.
    `share_velocity` is shares per hour at scoring time (0 when unknown).
    """

    id: str
    created_at: datetime
    sentiment: str
    sentiment_score: float
    intents: tuple[str, ...] = ()
    reach: float = 0.0
    platform: str = ""
    lang: str = ""
    narrative_id: str | None = None
    author_handle: str = ""
    text: str = ""
    share_velocity: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "created_at", ensure_aware_utc(self.created_at))


@dataclass(frozen=True)
class MentionRef:
    """A pointer to a notable mention, small enough to travel inside a detection."""

    id: str
    author_handle: str
    reach: float
    sentiment: str
    text: str
    platform: str


@dataclass(frozen=True)
class Bucket:
    """Everything the detectors know about one monitor during [start_at, start_at + width)."""

    monitor: str
    start_at: datetime
    width: timedelta
    volume: int = 0
    negative: int = 0
    positive: int = 0
    reach_negative: float = 0.0
    complaints: int = 0
    boycott_calls: int = 0
    churn_threats: int = 0
    top_share_velocity: float = 0.0
    platforms: dict[str, int] = field(default_factory=dict)
    langs: dict[str, int] = field(default_factory=dict)
    narratives: dict[str, int] = field(default_factory=dict)
    terms: dict[str, int] = field(default_factory=dict)
    top_mentions: tuple[MentionRef, ...] = ()

    @property
    def end_at(self) -> datetime:
        return self.start_at + self.width

    def to_json_dict(self) -> dict[str, Any]:
        """A JSON-safe dict that `bucket_from_json` turns back into an equal Bucket."""
        data = asdict(self)
        data["start_at"] = self.start_at.isoformat()
        data["width"] = self.width.total_seconds()
        data["top_mentions"] = [asdict(m) for m in self.top_mentions]
        return data


def bucket_from_json(data: dict[str, Any]) -> Bucket:
    fields = dict(data)
    fields["start_at"] = datetime.fromisoformat(data["start_at"])
    fields["width"] = timedelta(seconds=data["width"])
    fields["top_mentions"] = tuple(MentionRef(**m) for m in data["top_mentions"])
    return Bucket(**fields)
