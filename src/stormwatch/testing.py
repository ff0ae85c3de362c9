"""Builders shipped with the package, for tests and for people writing integrations."""

from __future__ import annotations

from typing import Any


def mention_json(ext_id: str, text: str, **extra: Any) -> dict[str, Any]:
    """A valid canonical mention object, as the API and the importers take it."""
    item: dict[str, Any] = {
        "id": ext_id,
        "platform": "bluesky",
        "text": text,
        "created_at": "2026-11-24T10:00:00+00:00",
        "author": {"handle": "kasia", "name": "Kasia", "followers": 120},
    }
    item.update(extra)
    return item


TEST_NOW_ISO = "2026-11-24T12:00:00+00:00"
TEST_PASSWORD = "correct-horse-battery-staple"


# --- sources: a feed builder (tests of the source pages and runtime) ---


def rss_feed(items: list[tuple[str, str, str]], *, lang: str = "pl") -> bytes:
    """An RSS 2.0 document with (guid, title, RFC 822 pubDate) items, newest first as given."""
    from xml.sax.saxutils import escape

    entries = "".join(
        f"<item><guid isPermaLink='false'>{escape(guid)}</guid><title>{escape(title)}</title>"
        f"<description>{escape(title)}</description><pubDate>{date}</pubDate></item>"
        for guid, title, date in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Test feed</title><link>https://example.org/</link><language>{lang}</language>"
        f"{entries}</channel></rss>"
    ).encode()


# --- enrichment: mentions stored with known machine labels (annotation and browser tests) ---


def store_labelled_mentions(
    workspace_id: int,
    rows: list[tuple[str, str, str, list[str]]],
    *,
    now: Any,
    **enrichment: Any,
) -> list[int]:
    """Store (external id, text, machine sentiment, machine intents) as the pipeline's store
    stage would, one minute apart going back from `now`; returns the mention ids in order."""
    from datetime import timedelta

    from stormwatch.mentions.service import upsert_mentions

    payloads = [
        {
            "workspace_id": workspace_id,
            "mention": mention_json(
                ext_id, text, created_at=(now - timedelta(minutes=i)).isoformat()
            ),
            "enrichment": {
                "sentiment": sentiment,
                "intents": intents,
                "enrichers": {"sentiment-vader": "1.0"},
                **enrichment,
            },
        }
        for i, (ext_id, text, sentiment, intents) in enumerate(rows)
    ]
    return upsert_mentions(workspace_id=workspace_id, payloads=payloads, now=now)
