from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from stormwatch.core.clock import FrozenClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.appstore.config import AppStoreConfig
from stormwatch.sources.appstore.source import AppStoreSource, rating_from_title

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def page_path(n: int) -> str:
    return f"/pl/rss/customerreviews/page={n}/id=1234567890/sortby=mostrecent/json"


def make(server: Any) -> AppStoreSource:
    return AppStoreSource(
        AppStoreConfig(app_id="1234567890", base_url=server.url), FrozenClock(NOW)
    )


def serve(server: Any, fixture: Any) -> None:
    server.route("GET", page_path(1), server.reply(200, fixture("appstore", "reviews-page1.json")))
    server.route("GET", page_path(2), server.reply(200, fixture("appstore", "reviews-page2.json")))


def test_it_pages_the_review_feed_until_the_backfill_period_ends(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    batch = make(server).fetch(None)
    assert len(batch.mentions) == 50
    assert batch.mentions[-1].id == "10999999800"
    assert len(server.hits(page_path(2))) == 1 and not server.hits(page_path(3))
    assert batch.cursor == {
        "newest_at": "2026-11-24T10:50:00+00:00",
        "ids_at_newest": ["11000000005"],
    }


def test_it_maps_rating_text_author_and_votes(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    first = make(server).fetch(None).mentions[0]
    assert first.title == "★1/5 · Nie działa logowanie"
    assert rating_from_title(first.title) == 1
    assert first.text == "Od rana nie mogę się zalogować do aplikacji."
    assert first.author is not None and first.author.handle == "rozczarowana_klientka"
    assert first.metrics == {"likes": 4}
    assert first.created_at == datetime(2026, 11, 24, 10, 50, tzinfo=UTC)
    assert first.platform == "appstore"


def test_it_reports_a_malformed_review_and_keeps_the_rest(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    batch = make(server).fetch(None)
    assert [s.reference for s in batch.skipped] == ["11000000003"]
    assert "11000000004" in batch.raw


def test_it_resumes_with_only_newer_reviews_and_accepts_a_single_entry(
    server: Any, fixture: Any
) -> None:
    serve(server, fixture)
    source = make(server)
    cursor = source.fetch(None).cursor
    server.route("GET", page_path(1), server.reply(200, fixture("appstore", "reviews-single.json")))
    batch = source.fetch(cursor)
    assert [m.id for m in batch.mentions] == ["11000000009"]
    serve(server, fixture)
    assert source.fetch(batch.cursor).mentions == []


def test_it_raises_retry_later_on_429(server: Any) -> None:
    server.route("GET", page_path(1), server.reply(429, "", {"Retry-After": "600"}))
    with pytest.raises(RetryLater) as caught:
        make(server).fetch(None)
    assert caught.value.after == NOW + timedelta(minutes=10)
