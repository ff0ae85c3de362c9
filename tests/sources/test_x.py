from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from stormwatch.core.clock import FrozenClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.publish import PublishRequest
from stormwatch.sources.x.config import XConfig
from stormwatch.sources.x.source import XPublisher, XSource

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SEARCH = "/2/tweets/search/recent"


def make(server: Any, **extra: Any) -> XSource:
    config = XConfig(
        bearer_token=SecretStr("AAAA-bearer"),
        query='"Example Bank" -is:retweet',
        api_base_url=server.url,
        **extra,
    )
    return XSource(config, FrozenClock(NOW))


def serve_search(server: Any, fixture: Any, later: bool = False) -> None:
    def handler(req: Any) -> Any:
        if req.arg("since_id") == "1861000000000000105" and not req.arg("next_token"):
            return server.reply(
                200, fixture("x", "search-later.json" if later else "search-empty.json")
            )
        if req.arg("next_token"):
            return server.reply(200, fixture("x", "search-page2.json"))
        return server.reply(200, fixture("x", "search-page1.json"))

    server.route("GET", SEARCH, handler)


def test_it_pages_with_next_token_then_resumes_from_since_id(server: Any, fixture: Any) -> None:
    serve_search(server, fixture, later=True)
    source = make(server)
    first = source.fetch(None)
    assert [m.id[-3:] for m in first.mentions] == ["105", "104", "099", "101"]
    assert first.cursor == {"since_id": "1861000000000000105"}
    calls = server.hits(SEARCH)
    assert calls[0].arg("start_time") == "2026-11-23T12:00:00+00:00"
    assert calls[0].arg("expansions") == "author_id"
    assert calls[1].arg("next_token") == "b26v89c19zqg8o3fpzbkk3z7v5d4n1w8lqkmaz5f3n1p"
    assert calls[0].headers["authorization"] == "Bearer AAAA-bearer"
    second = source.fetch(first.cursor)
    assert [m.id for m in second.mentions] == ["1861000000000000120"]
    assert second.cursor == {"since_id": "1861000000000000120"}


def test_it_keeps_since_id_until_the_last_page_is_read(server: Any, fixture: Any) -> None:
    serve_search(server, fixture)
    source = make(server, max_pages=1)
    first = source.fetch({"since_id": "1861000000000000050"})
    assert first.cursor["since_id"] == "1861000000000000050"
    assert first.cursor["next_token"] and first.wake_at == NOW
    second = source.fetch(first.cursor)
    assert [m.id[-3:] for m in second.mentions] == ["099", "101"]
    assert second.cursor == {"since_id": "1861000000000000105"}


def test_it_maps_author_metrics_thread_and_edits(server: Any, fixture: Any) -> None:
    serve_search(server, fixture)
    by_id = {m.id: m for m in make(server).fetch(None).mentions}
    top = by_id["1861000000000000105"]
    assert top.author is not None
    assert (top.author.handle, top.author.name, top.author.followers) == ("jdoe", "Jane Doe", 15230)
    assert top.metrics == {"likes": 12, "shares": 5, "replies": 3, "views": 2400}
    assert top.url == "https://x.com/jdoe/status/1861000000000000105"
    assert top.lang == "en"
    assert by_id["1861000000000000104"].parent_id == "1861000000000000090"
    edited = by_id["1861000000000000099"]
    assert "(edited)" in edited.text and edited.url.endswith("/1861000000000000103")


def test_it_skips_a_post_without_author_and_keeps_the_rest(server: Any, fixture: Any) -> None:
    serve_search(server, fixture)
    batch = make(server).fetch(None)
    assert [s.reference for s in batch.skipped] == ["1861000000000000102"]
    assert len(batch.mentions) == 4 and "1861000000000000104" in batch.raw


def test_it_raises_retry_later_at_x_rate_limit_reset(server: Any, fixture: Any) -> None:
    headers = {
        "x-rate-limit-limit": "450",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": "1795521600",
    }
    server.route("GET", SEARCH, server.reply(429, fixture("x", "429.json"), headers))
    with pytest.raises(RetryLater) as caught:
        make(server).fetch({"since_id": "1"})
    assert caught.value.after == datetime.fromtimestamp(1795521600, tz=UTC)


def test_it_waits_for_the_window_when_the_last_call_used_it_up(server: Any, fixture: Any) -> None:
    reset = int((NOW + timedelta(minutes=9)).timestamp())
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)}
    server.route("GET", SEARCH, server.reply(200, fixture("x", "search-later.json"), headers))
    batch = make(server).fetch({"since_id": "1"})
    assert len(batch.mentions) == 1 and batch.wake_at == NOW + timedelta(minutes=9)


def test_it_replies_with_the_user_token(server: Any, fixture: Any) -> None:
    server.route("POST", "/2/tweets", server.reply(201, fixture("x", "create-tweet.json")))
    config = XConfig(
        bearer_token=SecretStr("app"),
        query="q",
        api_base_url=server.url,
        user_access_token=SecretStr("usr"),
    )
    post = XPublisher(config, FrozenClock(NOW)).publish(
        PublishRequest(
            "k1", "@jdoe We are sorry, fixing it now.", in_reply_to="1861000000000000105"
        )
    )
    assert post.external_id == "1861000000000000200"
    assert post.url == "https://x.com/i/web/status/1861000000000000200"
    sent = server.hits("/2/tweets")[0]
    assert sent.headers["authorization"] == "Bearer usr"
    assert sent.json() == {
        "text": "@jdoe We are sorry, fixing it now.",
        "reply": {"in_reply_to_tweet_id": "1861000000000000105"},
    }
