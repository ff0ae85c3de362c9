"""`stormwatch backtest`: mentions JSONL + monitors TOML in, alerts JSONL out. No database.

MONITORS.toml holds `name = 'Boolean query'` lines. Each mention line is a canonical mention
object (as the API and importers take it); invalid lines are counted and skipped.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stormwatch.alerts.backtest import BacktestAlert, backtest_monitor, chunked, scored_from_parts
from stormwatch.alerts.rules import DEFAULT_RULE, Rule
from stormwatch.core.errors import InvalidItem
from stormwatch.detect.records import ScoredMention
from stormwatch.enrich.influence import impressions_from_reach
from stormwatch.mentions.canonical import CanonicalMention, parse_mention
from stormwatch.monitors.query import compile_query, prepare_document

if TYPE_CHECKING:
    from stormwatch.enrich.stage import EnrichmentStage


@dataclass(frozen=True)
class BacktestReport:
    mentions: int
    invalid: int
    matched: dict[str, int]
    alerts: list[BacktestAlert]


def read_monitors(path: Path) -> dict[str, str]:
    """name -> query; raises ValueError when a value is not a string."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    bad = [name for name, query in data.items() if not isinstance(query, str)]
    if bad:
        raise ValueError(f"monitors must be `name = 'query'` lines; not a query: {', '.join(bad)}")
    return dict(data)


def read_mentions(path: Path, invalid: list[int]) -> Iterator[CanonicalMention]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield parse_mention(json.loads(line))
            except (InvalidItem, json.JSONDecodeError):
                invalid.append(number)


def run_backtest(
    mentions_path: Path, monitors_path: Path, *, rule: Rule = DEFAULT_RULE, enrich: bool = True
) -> BacktestReport:
    """Match, enrich and detect over the file; alerts ordered by detection time."""
    queries = {
        name: compile_query(text, fold_diacritics=True)
        for name, text in read_monitors(monitors_path).items()
    }
    per_monitor: dict[str, list[ScoredMention]] = {name: [] for name in queries}
    stage = _enrichment_stage() if enrich else None
    invalid: list[int] = []
    total = 0
    for batch in chunked(read_mentions(mentions_path, invalid)):
        total += len(batch)
        enriched = _enrich(stage, batch)
        for mention, extra in zip(batch, enriched, strict=True):
            doc = prepare_document(
                mention.text,
                lang=mention.lang,
                platform=mention.platform,
                author_handle=mention.author.handle if mention.author else "",
                title=mention.title,
            )
            for name, query in queries.items():
                if query.matches(doc):
                    per_monitor[name].append(_scored(mention, extra))
    alerts = [a for name, ms in per_monitor.items() for a in backtest_monitor(name, ms, rule)]
    alerts.sort(key=lambda a: (a.detected_at, a.monitor))
    matched = {name: len(ms) for name, ms in per_monitor.items()}
    return BacktestReport(total, len(invalid), matched, alerts)


def write_alerts(alerts: list[BacktestAlert], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for alert in alerts:
            out.write(json.dumps(alert.to_json_dict(), ensure_ascii=False) + "\n")


def _enrichment_stage() -> EnrichmentStage:
    from stormwatch.enrich.stage import EnrichmentStage

    return EnrichmentStage(sentiment_tier="fast", narratives=False)


def _enrich(stage: EnrichmentStage | None, batch: list[CanonicalMention]) -> list[dict[str, Any]]:
    if stage is None:
        return [{"lang": m.lang} for m in batch]
    from stormwatch.enrich.stage import EnrichInput

    results = stage.enrich(
        [
            EnrichInput(
                id=m.id,
                text=m.text,
                lang_hint=m.lang,
                platform=m.platform,
                author_followers=m.author.followers if m.author else None,
                metrics=m.metrics,
            )
            for m in batch
        ]
    )
    return [
        {
            "lang": r.lang,
            "sentiment": r.sentiment,
            "sentiment_score": r.sentiment_score,
            "intents": r.intents,
            "reach": r.reach,
            "narrative": r.narrative,
        }
        for r in results
    ]


def _scored(mention: CanonicalMention, extra: dict[str, Any]) -> ScoredMention:
    followers = mention.author.followers if mention.author else None
    return scored_from_parts(
        mention_id=f"{mention.platform}:{mention.id}",
        created_at=mention.created_at,
        sentiment=str(extra.get("sentiment") or ""),
        sentiment_score=extra.get("sentiment_score"),
        extra={
            **extra,
            "reach": impressions_from_reach(extra["reach"])
            if extra.get("reach")
            else float(followers or 0),
            "platform": mention.platform,
            "author": mention.author.handle if mention.author else "",
            "text": mention.text,
        },
    )
