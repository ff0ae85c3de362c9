from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from stormwatch.core.clock import FrozenClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.googleplay.config import GooglePlayConfig
from stormwatch.sources.googleplay.source import GooglePlayPublisher, GooglePlaySource
from stormwatch.sources.publish import PublishRequest

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
REVIEWS = "/androidpublisher/v3/applications/pl.examplebank.mobile/reviews"


def config(server: Any) -> GooglePlayConfig:
    return GooglePlayConfig(
        package_name="pl.examplebank.mobile",
        access_token=SecretStr("ya29.play"),
        api_base_url=server.url + "/androidpublisher/v3",
    )


def serve(server: Any, fixture: Any) -> None:
    server.route(
        "GET",
        REVIEWS,
        lambda r: server.reply(
            200,
            fixture("googleplay", "reviews-page2.json" if r.arg("token") else "reviews-page1.json"),
        ),
    )


def test_it_pages_reviews_and_keeps_the_backfill_period(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    batch = GooglePlaySource(config(server), FrozenClock(NOW)).fetch(None)
    assert [m.id[-4:] for m in batch.mentions] == ["0001", "0002", "0004"]
    calls = server.hits(REVIEWS)
    assert calls[1].arg("token") == "CjEKLwoUZXhhbXBsZVRva2VuUGFnZTI"
    assert calls[0].headers["authorization"] == "Bearer ya29.play"
    assert [s.reference for s in batch.skipped] == ["gp:AOqpTOE1exampleReview0003"]


def test_it_maps_rating_language_thumbs_and_text(server: Any, fixture: Any) -> None:
    serve(server, fixture)
    first, second, third = GooglePlaySource(config(server), FrozenClock(NOW)).fetch(None).mentions
    assert first.title == "★1/5 · a52q (Galaxy A52)"
    assert first.text == "Aplikacja nie działa od rana!"
    assert first.lang == "pl" and second.lang == "en"
    assert first.metrics == {"likes": 12}
    assert first.created_at == datetime(2026, 11, 24, 11, 40, tzinfo=UTC)
    assert third.author is not None and third.author.handle == "anonymous"


def test_it_resumes_and_returns_an_edited_review_under_the_same_id(
    server: Any, fixture: Any
) -> None:
    serve(server, fixture)
    source = GooglePlaySource(config(server), FrozenClock(NOW))
    cursor = source.fetch(None).cursor
    server.route("GET", REVIEWS, server.reply(200, fixture("googleplay", "reviews-later.json")))
    batch = source.fetch(cursor)
    assert [m.id for m in batch.mentions] == ["gp:AOqpTOE1exampleReview0002"]
    assert batch.mentions[0].title.startswith("★4/5") and "(edited)" in batch.mentions[0].text
    assert source.fetch(batch.cursor).mentions == []


def test_it_raises_retry_later_on_429(server: Any, fixture: Any) -> None:
    server.route(
        "GET", REVIEWS, server.reply(429, fixture("googleplay", "429.json"), {"Retry-After": "90"})
    )
    with pytest.raises(RetryLater) as caught:
        GooglePlaySource(config(server), FrozenClock(NOW)).fetch(None)
    assert caught.value.after == NOW + timedelta(seconds=90)


def test_it_replies_to_a_review(server: Any, fixture: Any) -> None:
    path = REVIEWS + "/gp:AOqpTOE1exampleReview0001:reply"
    server.route("POST", path, server.reply(200, fixture("googleplay", "reply.json")))
    post = GooglePlayPublisher(config(server), FrozenClock(NOW)).publish(
        PublishRequest(
            "k", "Dziękujemy, naprawiliśmy błąd.", in_reply_to="gp:AOqpTOE1exampleReview0001"
        )
    )
    assert post.external_id == "gp:AOqpTOE1exampleReview0001:reply"
    assert post.published_at == datetime(2026, 11, 24, 12, 1, 0, 500000, tzinfo=UTC)
    assert server.hits(path)[0].json() == {"replyText": "Dziękujemy, naprawiliśmy błąd."}
