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
