"""The only writer of mentions and authors: batched upserts, so re-ingesting never duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from stormwatch.mentions.models import Author, Mention, MentionMatch
from stormwatch.mentions.upsert import upsert_rows

MENTION_INSERT_FIELDS = [
    "workspace",
    "platform",
    "external_id",
    "ingested_at",
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
MENTION_UPDATE_FIELDS = MENTION_INSERT_FIELDS[4:]


def upsert_mentions(
    *, workspace_id: int, payloads: Sequence[dict[str, Any]], now: datetime
) -> list[int]:
    """Insert or update the batch's mentions, authors and monitor matches in one transaction.

    Returns the database id of each payload's mention, in order. Idempotent: the same batch
    twice leaves the same rows.
    """
    with transaction.atomic():
        author_ids = _upsert_authors(workspace_id, payloads)
        rows = _last_per_key([_mention_row(workspace_id, p, author_ids, now) for p in payloads])
        upsert_rows(
            Mention,
            columns=MENTION_INSERT_FIELDS,
            conflict=["workspace", "platform", "external_id"],
            update=MENTION_UPDATE_FIELDS,
            rows=rows,
        )
        ids = _mention_ids(workspace_id, payloads)
        _insert_matches(payloads, ids)
    return ids


def _last_per_key(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A batch may repeat a mention (an edit): keep the last version, as an upsert would."""
    unique: dict[tuple[str, str], tuple[Any, ...]] = {}
    for row in rows:
        unique[(row[1], row[2])] = row  # platform, external_id
    return list(unique.values())


def _upsert_authors(
    workspace_id: int, payloads: Sequence[dict[str, Any]]
) -> dict[tuple[str, str], int]:
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
    upsert_rows(
        Author,
        columns=[
            "workspace",
            "platform",
            "handle",
            "name",
            "followers",
            "is_own",
            "first_seen_at",
            "last_seen_at",
        ],
        conflict=["workspace", "platform", "handle"],
        update=["name", "followers", "last_seen_at"],
        rows=[
            (
                a.workspace_id,
                a.platform,
                a.handle,
                a.name,
                a.followers,
                False,
                a.first_seen_at,
                a.last_seen_at,
            )
            for a in authors.values()
        ],
    )
    handles_by_platform: dict[str, set[str]] = {}
    for platform, handle in authors:
        handles_by_platform.setdefault(platform, set()).add(handle)
    ids: dict[tuple[str, str], int] = {}
    for platform, handles in handles_by_platform.items():  # through the unique index's prefix
        found = Author.objects.filter(
            workspace_id=workspace_id, platform=platform, handle__in=handles
        ).values_list("handle", "id")
        ids.update(((platform, handle), pk) for handle, pk in found)
    return ids


def _mention_row(
    workspace_id: int,
    payload: dict[str, Any],
    author_ids: dict[tuple[str, str], int],
    now: datetime,
) -> tuple[Any, ...]:
    """Values in MENTION_INSERT_FIELDS order."""
    mention = payload["mention"]
    enrichment = payload.get("enrichment") or {}
    author = mention.get("author")
    return (
        workspace_id,
        mention["platform"],
        mention["id"],
        now,
        mention.get("url", ""),
        mention.get("title", ""),
        mention.get("text", ""),
        enrichment.get("lang") or mention.get("lang", ""),
        enrichment.get("lang_confidence"),
        datetime.fromisoformat(mention["created_at"]),
        author_ids.get((mention["platform"], author["handle"])) if author else None,
        mention.get("parent_id", ""),
        mention.get("metrics") or {},
        enrichment.get("reach", 0.0),
        enrichment.get("sentiment", ""),
        enrichment.get("sentiment_score"),
        enrichment.get("intents", []),
        enrichment.get("emotions", {}),
        enrichment.get("duplicate_of", ""),
        enrichment.get("narrative", ""),
        enrichment.get("enrichers", {}),
        payload.get("raw") or {},
    )


def _mention_ids(workspace_id: int, payloads: Sequence[dict[str, Any]]) -> list[int]:
    """Look the batch's rows up through the (workspace, platform, external_id) index: filtering
    on external id alone would scan the workspace's whole history on every batch."""
    keys = [(p["mention"]["platform"], p["mention"]["id"]) for p in payloads]
    by_platform: dict[str, set[str]] = {}
    for platform, external_id in keys:
        by_platform.setdefault(platform, set()).add(external_id)
    by_key: dict[tuple[str, str], int] = {}
    for platform, external_ids in by_platform.items():
        found = Mention.objects.filter(
            workspace_id=workspace_id, platform=platform, external_id__in=external_ids
        ).values_list("external_id", "id")
        by_key.update(((platform, ext), pk) for ext, pk in found)
    return [by_key[k] for k in keys]


def _insert_matches(payloads: Sequence[dict[str, Any]], mention_ids: list[int]) -> None:
    matches = {
        (mention_id, monitor_id): datetime.fromisoformat(p["mention"]["created_at"])
        for p, mention_id in zip(payloads, mention_ids, strict=True)
        for monitor_id in p.get("monitor_ids", [])
    }
    upsert_rows(
        MentionMatch,
        columns=["mention", "monitor", "created_at"],
        conflict=["mention", "monitor"],
        update=[],
        rows=[(m, o, t) for (m, o), t in matches.items()],
    )
