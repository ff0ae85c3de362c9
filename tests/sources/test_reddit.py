from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from stormwatch.core.clock import FrozenClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.publish import PublishRequest
from stormwatch.sources.reddit.config import RedditConfig
from stormwatch.sources.reddit.source import RedditPublisher, RedditSource
from stormwatch.sources.registry import list_deleted

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
NEW = "/r/poland+banking/new"


def config(server: Any, **extra: Any) -> RedditConfig:
    return RedditConfig(
        client_id="abc123",
        client_secret=SecretStr("shh"),
        user_agent="test:stormwatch:0.1 (by /u/tester)",
        subreddits=["poland", "r/banking"],
        oauth_url=server.url,
        reddit_url=server.url,
        short_url=server.url,
        **extra,
    )


def serve(server: Any, fixture: Any, later: bool = False) -> None:
    server.route(
        "POST", "/api/v1/access_token", server.reply(200, fixture("reddit", "access-token.json"))
    )

    def listing(req: Any) -> Any:
        if later:
            return server.reply(200, fixture("reddit", "new-later.json"))
        name = "new-page2.json" if req.arg("after") == "t3_1h9zk03" else "new-page1.json"
        return server.reply(200, fixture("reddit", name))

    server.route("GET", NEW, listing)


def test_it_pages_with_after_and_backfills_only_the_period(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    batch = RedditSource(config(server), FrozenClock(NOW)).fetch(None)
    assert [m.id for m in batch.mentions] == ["t3_1h9zk05", "t3_1h9zk04", "t3_1h9zk01"]
    assert [h.arg("after") for h in server.hits(NEW)] == [None, "t3_1h9zk03"]
    assert server.hits(NEW)[0].headers["authorization"] == "bearer test-access-token"
    assert batch.cursor == {"newest": {"t3": "1h9zk05"}}


def test_it_reports_deleted_and_malformed_items_and_keeps_the_rest(
    server: Any, fixture: Any
) -> None:
    serve(server, fixture)
    batch = RedditSource(config(server), FrozenClock(NOW)).fetch(None)
    assert list_deleted(batch) == ["t3_1h9zk03"]
    assert [s.reference for s in batch.skipped] == ["t3_1h9zk02"]


def test_it_resumes_from_the_newest_id_without_duplicates(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    source = RedditSource(config(server), FrozenClock(NOW))
    cursor = source.fetch(None).cursor
    serve(server, fixture, later=True)
    batch = source.fetch(cursor)
    assert [m.id for m in batch.mentions] == ["t3_1h9zk07"]
    assert batch.cursor == {"newest": {"t3": "1h9zk07"}}


def test_it_maps_posts_and_comments(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    post = RedditSource(config(server), FrozenClock(NOW)).fetch(None).mentions[0]
    assert post.title == "Awaria Example Bank?"
    assert post.text == "Od rana nie działa mi karta. U was też?"
    assert post.author is not None and post.author.handle == "kasia_pl"
    assert post.metrics == {"likes": 42, "replies": 17}
    assert post.url == "https://www.reddit.com/r/poland/comments/1h9zk05/slug/"
    assert post.created_at == datetime(2026, 11, 24, 11, 55, tzinfo=UTC)
    server.route(
        "GET", "/r/poland+banking/comments", server.reply(200, fixture("reddit", "comments.json"))
    )
    comments = RedditSource(config(server, listing="comments"), FrozenClock(NOW)).fetch(None)
    assert [m.id for m in comments.mentions] == ["t1_m1x2c3e"]
    assert comments.mentions[0].parent_id == "t3_1h9zk05"
    assert comments.mentions[0].title == "Awaria Example Bank?"
    assert list_deleted(comments) == ["t1_m1x2c3d"]


def test_it_raises_retry_later_after_x_ratelimit_reset_seconds(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-used": "100", "x-ratelimit-reset": "42"}
    server.route(
        "GET", NEW, server.reply(429, {"message": "Too Many Requests", "error": 429}, headers)
    )
    with pytest.raises(RetryLater) as caught:
        RedditSource(config(server), FrozenClock(NOW)).fetch(None)
    assert caught.value.after == NOW + timedelta(seconds=42)


def test_it_refreshes_known_items_to_catch_deletions(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    server.route("GET", "/api/info", server.reply(200, fixture("reddit", "comments.json")))
    batch = RedditSource(config(server), FrozenClock(NOW)).refresh(["t1_m1x2c3e", "t1_m1x2c3d"])
    assert server.hits("/api/info")[0].arg("id") == "t1_m1x2c3e,t1_m1x2c3d"
    assert [m.id for m in batch.mentions] == ["t1_m1x2c3e"]
    assert list_deleted(batch) == ["t1_m1x2c3d"]


def test_it_replies_as_the_script_account(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    server.route(
        "POST", "/api/comment/", server.reply(200, fixture("reddit", "comment-reply.json"))
    )
    publisher = RedditPublisher(
        config(server, username="ExampleBank_official", password="pw"), FrozenClock(NOW)
    )
    post = publisher.publish(
        PublishRequest("k", "Przepraszamy, naprawiamy.", in_reply_to="t3_1h9zk05")
    )
    assert post.external_id == "t1_m1x2d00"
    assert post.url == "https://www.reddit.com/r/poland/comments/1h9zk05/slug/m1x2d00/"
    form = server.hits("/api/comment/")[0].form()
    assert form["thing_id"] == ["t3_1h9zk05"] and form["text"] == ["Przepraszamy, naprawiamy."]
    token_form = server.hits("/api/v1/access_token")[0].form()
    assert token_form["grant_type"] == ["password"] and token_form["username"] == [
        "ExampleBank_official"
    ]


def test_it_sleeps_never_and_wakes_after_the_window_when_it_is_used_up(
    server: Any, fixture: Any
) -> None:
    serve(server, fixture, later=True)
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-used": "100", "x-ratelimit-reset": "300"}
    server.route("GET", NEW, server.reply(200, fixture("reddit", "new-later.json"), headers))
    batch = RedditSource(config(server), FrozenClock(NOW)).fetch({"newest": {"t3": "1h9zk05"}})
    assert [m.id for m in batch.mentions] == ["t3_1h9zk07"]
    assert batch.wake_at == NOW + timedelta(seconds=300)
