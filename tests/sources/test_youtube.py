from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from stormwatch.core.clock import FrozenClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.publish import PublishRequest
from stormwatch.sources.youtube.config import YouTubeConfig
from stormwatch.sources.youtube.source import YouTubePublisher, YouTubeSource

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def make(server: Any, **extra: Any) -> YouTubeSource:
    settings: dict[str, Any] = {"api_key": "AIza-test", "video_id": "Xq9sV3kRb0E", **extra}
    return YouTubeSource(
        YouTubeConfig(api_base_url=server.url + "/youtube/v3", **settings), FrozenClock(NOW)
    )


def serve(server: Any, fixture: Any, name: str | None = None) -> None:
    def handler(req: Any) -> Any:
        if name:
            return server.reply(200, fixture("youtube", name))
        page = "threads-page2.json" if req.arg("pageToken") else "threads-page1.json"
        return server.reply(200, fixture("youtube", page))

    server.route("GET", "/youtube/v3/commentThreads", handler)


def test_it_pages_comment_threads_and_backfills_the_period(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    batch = make(server).fetch(None)
    assert [m.id[:12] for m in batch.mentions] == [
        "UgzQ5example",
        "UgzQ5example",
        "UgzQ4example",
        "UgzQ2example",
    ]
    first = server.hits("/youtube/v3/commentThreads")[0]
    assert (first.arg("videoId"), first.arg("order"), first.arg("key")) == (
        "Xq9sV3kRb0E",
        "time",
        "AIza-test",
    )
    assert server.hits("/youtube/v3/commentThreads")[1].arg("pageToken") == "QURTSl9pMlZ2"
    assert batch.cursor == {
        "newest_at": "2026-11-24T11:59:00+00:00",
        "ids_at_newest": ["UgzQ5example5AaABAg.9zRe1"],
    }


def test_it_reports_the_malformed_thread_and_keeps_the_rest(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    batch = make(server).fetch(None)
    assert [s.reference for s in batch.skipped] == ["UgzQ3broken3AaABAg"]
    assert len(batch.mentions) == 4


def test_it_resumes_without_repeating_items_of_the_same_second(server: Any, fixture: Any) -> None:
    serve(server, fixture, "threads-later.json")
    cursor = {"newest_at": "2026-11-24T11:58:00+00:00", "ids_at_newest": ["UgzQ5example5AaABAg"]}
    batch = make(server).fetch(cursor)
    assert [m.id for m in batch.mentions] == [
        "UgzQ6example6AaABAg",
        "UgzQ5example5AaABAg.9zRe1",
        "UgzQ4example4AaABAg",
    ]
    again = make(server).fetch(batch.cursor)
    assert again.mentions == [] and again.cursor == batch.cursor


def test_it_maps_comments_replies_and_threads(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    top, reply = make(server).fetch(None).mentions[:2]
    assert top.text == "Znowu awaria? Nie mogę zapłacić"
    assert top.author is not None and top.author.handle == "janek"
    assert top.metrics == {"likes": 3, "replies": 1}
    assert top.url == "https://www.youtube.com/watch?v=Xq9sV3kRb0E&lc=UgzQ5example5AaABAg"
    assert reply.parent_id == "UgzQ5example5AaABAg"


def test_it_maps_search_results_to_videos(server: Any, fixture: Any) -> None:
    server.route("GET", "/youtube/v3/search", server.reply(200, fixture("youtube", "search.json")))
    batch = make(server, mode="search", query="Example Bank").fetch(None)
    assert batch.mentions[0].title == "Awaria Example Bank - relacja"
    assert batch.mentions[0].url == "https://www.youtube.com/watch?v=Abc123xyz00"
    assert server.hits("/youtube/v3/search")[0].arg("publishedAfter") == "2026-11-23T12:00:00Z"


def test_it_waits_for_the_pacific_midnight_when_the_quota_is_spent(
    server: Any, fixture: Any
) -> None:
    server.route(
        "GET", "/youtube/v3/commentThreads", server.reply(403, fixture("youtube", "403-quota.json"))
    )
    with pytest.raises(RetryLater) as caught:
        make(server).fetch(None)
    assert caught.value.after == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_it_raises_retry_later_on_429_with_retry_after(server: Any) -> None:
    server.route(
        "GET",
        "/youtube/v3/commentThreads",
        server.reply(429, {"error": {"code": 429}}, {"Retry-After": "30"}),
    )
    with pytest.raises(RetryLater) as caught:
        make(server).fetch(None)
    assert caught.value.after == NOW + timedelta(seconds=30)


def test_it_replies_with_comments_insert(server: Any, fixture: Any) -> None:
    server.route(
        "POST",
        "/youtube/v3/comments",
        server.reply(200, fixture("youtube", "comment-inserted.json")),
    )
    config = YouTubeConfig(
        api_base_url=server.url + "/youtube/v3",
        oauth_token=SecretStr("ya29.token"),
        video_id="Xq9sV3kRb0E",
    )
    post = YouTubePublisher(config, FrozenClock(NOW)).publish(
        PublishRequest("k", "Dziękujemy za zgłoszenie.", in_reply_to="UgzQ5example5AaABAg")
    )
    assert post.external_id == "UgzQ5example5AaABAg.9zRf0"
    assert post.url == "https://www.youtube.com/watch?v=Xq9sV3kRb0E&lc=UgzQ5example5AaABAg.9zRf0"
    sent = server.hits("/youtube/v3/comments")[0]
    assert sent.headers["authorization"] == "Bearer ya29.token" and sent.arg("part") == "snippet"
    assert sent.json() == {
        "snippet": {"parentId": "UgzQ5example5AaABAg", "textOriginal": "Dziękujemy za zgłoszenie."}
    }
