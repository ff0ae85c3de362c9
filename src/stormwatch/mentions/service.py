"""The only writer of mentions and authors: batched upserts, so re-ingesting never duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from stormwatch.mentions.models import Author, Mention, MentionMatch

MENTION_UPDATE_FIELDS = [
    "url",
    "title",
    "text",
    "lang",
    "lang_confidence",
    "created_at",
    "author",
    "parent_external_id",
    "metrics",
    "reach",
    "sentiment",
    "sentiment_score",
    "intents",
    "emotions",
    "duplicate_of",
    "narrative",
    "enrichers",
    "raw",
]


def upsert_mentions(*, workspace_id: int, payloads: Sequence[dict[str, Any]], now: datetime) -> list[int]:
    """Insert or update the batch's mentions, authors and monitor matches in one transaction.

    Returns the database id of each payload's mention, in order. Idempotent: the same batch
    twice leaves the same rows.
    """
    with transaction.atomic():
        author_ids = _upsert_authors(workspace_id, payloads)
        rows = [_mention_row(workspace_id, p, author_ids, now) for p in payloads]
        Mention.objects.bulk_create(
            _last_per_key(rows),
            update_conflicts=True,
            unique_fields=["workspace", "platform", "external_id"],
            update_fields=MENTION_UPDATE_FIELDS,
            batch_size=500,
        )
        ids = _mention_ids(workspace_id, payloads)
        _insert_matches(payloads, ids)
    return ids


def _last_per_key(rows: list[Mention]) -> list[Mention]:
    """A batch may repeat a mention (an edit): keep the last version, as an upsert would."""
    unique: dict[tuple[str, str], Mention] = {}
    for row in rows:
        unique[(row.platform, row.external_id)] = row
    return list(unique.values())


def _upsert_authors(workspace_id: int, payloads: Sequence[dict[str, Any]]) -> dict[tuple[str, str], int]:
    authors: dict[tuple[str, str], Author] = {}
    for payload in payloads:
        mention = payload["mention"]
        ref = mention.get("author")
        if not ref:
            continue
        seen_at = datetime.fromisoformat(mention["created_at"])
        key = (mention["platform"], ref["handle"])
        previous = authors.get(key)
        authors[key] = Author(
            workspace_id=workspace_id,
            platform=key[0],
            handle=key[1],
            name=ref.get("name", "") or (previous.name if previous else ""),
            followers=ref.get("followers"),
            first_seen_at=min(seen_at, previous.first_seen_at) if previous else seen_at,
            last_seen_at=max(seen_at, previous.last_seen_at) if previous else seen_at,
        )
    if not authors:
        return {}
    Author.objects.bulk_create(
        list(authors.values()),
        update_conflicts=True,
        unique_fields=["workspace", "platform", "handle"],
        update_fields=["name", "followers", "last_seen_at"],
        batch_size=500,
    )
    found = Author.objects.filter(
        workspace_id=workspace_id, handle__in={h for _, h in authors}
    ).values_list("platform", "handle", "id")
    return {(platform, handle): pk for platform, handle, pk in found}


def _mention_row(
    workspace_id: int, payload: dict[str, Any], author_ids: dict[tuple[str, str], int], now: datetime
) -> Mention:
    mention = payload["mention"]
    enrichment = payload.get("enrichment") or {}
    author = mention.get("author")
    return Mention(
        workspace_id=workspace_id,
        platform=mention["platform"],
        external_id=mention["id"],
        url=mention.get("url", ""),
        title=mention.get("title", ""),
        text=mention.get("text", ""),
        lang=enrichment.get("lang") or mention.get("lang", ""),
        lang_confidence=enrichment.get("lang_confidence"),
        created_at=datetime.fromisoformat(mention["created_at"]),
        ingested_at=now,
        author_id=author_ids.get((mention["platform"], author["handle"])) if author else None,
        parent_external_id=mention.get("parent_id", ""),
        metrics=mention.get("metrics") or {},
        reach=enrichment.get("reach", 0.0),
        sentiment=enrichment.get("sentiment", ""),
        sentiment_score=enrichment.get("sentiment_score"),
        intents=enrichment.get("intents", []),
        emotions=enrichment.get("emotions", {}),
        duplicate_of=enrichment.get("duplicate_of", ""),
        narrative=enrichment.get("narrative", ""),
        enrichers=enrichment.get("enrichers", {}),
        raw=payload.get("raw") or {},
    )


def _mention_ids(workspace_id: int, payloads: Sequence[dict[str, Any]]) -> list[int]:
    keys = [(p["mention"]["platform"], p["mention"]["id"]) for p in payloads]
    found = Mention.objects.filter(
        workspace_id=workspace_id, external_id__in={k[1] for k in keys}
    ).values_list("platform", "external_id", "id")
    by_key = {(platform, ext): pk for platform, ext, pk in found}
    return [by_key[k] for k in keys]


def _insert_matches(payloads: Sequence[dict[str, Any]], mention_ids: list[int]) -> None:
    matches = {
        (mention_id, monitor_id): datetime.fromisoformat(p["mention"]["created_at"])
        for p, mention_id in zip(payloads, mention_ids, strict=True)
        for monitor_id in p.get("monitor_ids", [])
    }
    MentionMatch.objects.bulk_create(
        [MentionMatch(mention_id=m, monitor_id=o, created_at=t) for (m, o), t in matches.items()],
        ignore_conflicts=True,
        batch_size=1000,
    )
