"""Backtesting: which alerts would have fired over past mentions, at full speed, no database.

The same parts as the live pipeline, in memory: matching (monitors.query), enrichment
(enrich.stage.EnrichmentStage), buckets and detectors (detect/), and the alert rules with
their one-alert-per-episode grouping (rules.py). Time is the mentions' own `created_at`;
every alert's `detected_at` is the end of the bucket whose data justified it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings

from stormwatch.alerts.detections import explain_episode
from stormwatch.alerts.rules import DEFAULT_RULE, Rule, admits, joins_episode
from stormwatch.alerts.windows import DETECT_WIDTHS
from stormwatch.detect.buckets import BucketAggregator
from stormwatch.detect.detection import Detection
from stormwatch.detect.monitor import new_monitor_state, step_monitor
from stormwatch.detect.records import ScoredMention

SENTIMENTS = frozenset({"negative", "neutral", "positive"})
ENRICH_BATCH = 1000


@dataclass
class BacktestAlert:
    monitor: str
    detections: list[Detection] = field(default_factory=list)

    @property
    def started_at(self) -> datetime:
        return self.detections[0].started_at

    @property
    def detected_at(self) -> datetime:
        return self.detections[0].detected_at

    @property
    def severity(self) -> int:
        return max(d.severity for d in self.detections)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "monitor": self.monitor,
            "started_at": self.started_at.isoformat(),
            "detected_at": self.detected_at.isoformat(),
            "last_detected_at": self.detections[-1].detected_at.isoformat(),
            "severity": self.severity,
            "kinds": sorted({d.kind for d in self.detections}),
            "explanation": explain_episode(self.detections, "en"),
            "explanation_pl": explain_episode(self.detections, "pl"),
        }


def backtest_monitor(
    monitor: str, mentions: Iterable[ScoredMention], rule: Rule = DEFAULT_RULE
) -> list[BacktestAlert]:
    """Alerts `rule` would have raised for one monitor over `mentions` (sorted here), with the
    detectors' daily rhythm in the team's time zone, as in the live pipeline."""
    zone = settings.TIME_ZONE
    aggregator = BucketAggregator(monitor, widths=DETECT_WIDTHS)
    state = new_monitor_state()
    alerts: list[BacktestAlert] = []
    ordered = sorted(mentions, key=lambda m: m.created_at)
    for mention in ordered:
        for bucket in aggregator.add(mention):
            state, detections = step_monitor(state, bucket, zone)
            _group(alerts, monitor, detections, rule)
    if ordered:  # close the last buckets: the data ends here, so they are complete
        for bucket in aggregator.advance(ordered[-1].created_at + max(DETECT_WIDTHS) * 2):
            state, detections = step_monitor(state, bucket, zone)
            _group(alerts, monitor, detections, rule)
    return alerts


def _group(
    alerts: list[BacktestAlert], monitor: str, detections: Sequence[Detection], rule: Rule
) -> None:
    for detection in detections:
        if not admits(rule, detection):
            continue
        last = alerts[-1] if alerts else None
        if last and joins_episode(last.detections[-1].detected_at, rule, detection):
            last.detections.append(detection)
        else:
            alerts.append(BacktestAlert(monitor, [detection]))


def scored_from_parts(
    *,
    mention_id: str,
    created_at: datetime,
    sentiment: str,
    sentiment_score: float | None,
    extra: dict[str, Any],
) -> ScoredMention:
    """A ScoredMention; `extra` may hold intents, reach, platform, lang, narrative, author, text."""
    return ScoredMention(
        id=mention_id,
        created_at=created_at,
        sentiment=sentiment if sentiment in SENTIMENTS else "neutral",
        sentiment_score=sentiment_score or 0.0,
        intents=tuple(extra.get("intents") or ()),
        reach=float(extra.get("reach") or 0.0),
        platform=str(extra.get("platform") or ""),
        lang=str(extra.get("lang") or ""),
        narrative_id=extra.get("narrative") or None,
        author_handle=str(extra.get("author") or ""),
        text=str(extra.get("text") or ""),
    )


def chunked(items: Iterable[Any], size: int = ENRICH_BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
