from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from stormwatch.core.clock import FrozenClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.mastodon.config import MastodonConfig
from stormwatch.sources.mastodon.source import MastodonPublisher, MastodonSource
from stormwatch.sources.publish import PublishError, PublishRequest

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
TAG_PATH = "/api/v1/timelines/tag/examplebank"


def key(status: dict[str, Any]) -> tuple[int, str]:
    return (len(status["id"]), status["id"])


def paginate(server: Any, path: str, items: list[dict[str, Any]]) -> Any:
    """Mastodon's paging: newest first; max_id/min_id exclusive; Link next/prev headers."""

    def handler(req: Any) -> Any:
        limit = int(req.arg("limit") or 20)
        ordered = sorted(items, key=key, reverse=True)
        if req.arg("max_id"):
            ordered = [s for s in ordered if key(s) < key({"id": req.arg("max_id")})]
        if req.arg("min_id"):
            newer = [s for s in ordered if key(s) > key({"id": req.arg("min_id")})]
            ordered = newer[-limit:]
        page = ordered[:limit]
        headers = {}
        if page:
            base = server.url + path + f"?limit={limit}"
            headers["Link"] = (
                f'<{base}&max_id={page[-1]["id"]}>; rel="next", '
                f'<{base}&min_id={page[0]["id"]}>; rel="prev"'
            )
        return server.reply(200, page, headers)

    server.route("GET", path, handler)


def make(server: Any, **extra: Any) -> MastodonSource:
    config = MastodonConfig(api_base_url=server.url, query="examplebank", **extra)
    return MastodonSource(config, FrozenClock(NOW))


def test_it_backfills_a_hashtag_across_pages_and_stops_at_the_period(
    server: Any, fixture: Any
) -> None:
    statuses = fixture("mastodon", "hashtag-statuses.json")["statuses"]
    paginate(server, TAG_PATH, statuses)
    batch = make(server, page_size=2).fetch(None)
    assert [m.id[-1] for m in batch.mentions] == ["6", "5", "4", "3", "2"]
    assert batch.cursor == {"min_id": "113500000000000006"}
    assert len(server.hits(TAG_PATH)) == 3
    assert batch.wake_at == NOW + timedelta(minutes=2)


def test_it_resumes_forward_without_gaps_or_duplicates(server: Any, fixture: Any) -> None:
    statuses = fixture("mastodon", "hashtag-statuses.json")["statuses"]
    paginate(server, TAG_PATH, statuses[3:])
    source = make(server, page_size=2, max_pages=2)
    first = source.fetch(None)
    assert [m.id[-1] for m in first.mentions] == ["3", "2"]
    paginate(server, TAG_PATH, statuses)
    second = source.fetch(first.cursor)
    assert [m.id[-1] for m in second.mentions] == ["5", "4", "6"]
    assert second.cursor == {"min_id": "113500000000000006"}
    assert source.fetch(second.cursor).mentions == []


def test_it_asks_to_be_called_again_at_once_when_the_page_cap_stops_it(
    server: Any, fixture: Any
) -> None:
    statuses = fixture("mastodon", "hashtag-statuses.json")["statuses"]
    paginate(server, TAG_PATH, statuses)
    batch = make(server, page_size=1, max_pages=2).fetch({"min_id": "113500000000000002"})
    assert [m.id[-1] for m in batch.mentions] == ["3", "4"]
    assert batch.wake_at == NOW
    rest = make(server, page_size=1, max_pages=5).fetch(batch.cursor)
    assert [m.id[-1] for m in rest.mentions] == ["5", "6"]


def test_it_maps_status_fields_and_keeps_edits_under_the_same_id(server: Any, fixture: Any) -> None:
    paginate(server, TAG_PATH, fixture("mastodon", "hashtag-statuses.json")["statuses"])
    by_id = {m.id: m for m in make(server).fetch(None).mentions}
    first = by_id["113500000000000006"]
    assert first.text == "Znowu nie działa #examplebank\nKarta odrzucona."
    assert first.author is not None
    assert (first.author.handle, first.author.name, first.author.followers) == (
        "kasia@127.0.0.1",
        "Kasia Z.",
        230,
    )
    assert first.metrics == {"likes": 4, "shares": 2, "replies": 1}
    assert first.url == "https://mastodon.example/@kasia/113500000000000006"
    assert first.lang == "pl"
    assert by_id["113500000000000004"].parent_id == "113500000000000005"
    assert by_id["113500000000000005"].author.handle == "tom@other.example"  # type: ignore[union-attr]
    assert "(poprawione)" in by_id["113500000000000003"].text


def test_it_skips_a_malformed_status_and_keeps_the_rest(server: Any, fixture: Any) -> None:
    data = fixture("mastodon", "hashtag-statuses.json")
    paginate(server, TAG_PATH, [data["malformed"], *data["statuses"][:2]])
    batch = make(server).fetch(None)
    assert [m.id[-1] for m in batch.mentions] == ["6", "5"]
    assert [s.reference for s in batch.skipped] == ["113500000000000007"]
    assert batch.cursor == {"min_id": "113500000000000007"}


def test_it_raises_retry_later_at_the_x_ratelimit_reset_time(server: Any) -> None:
    reset = "2099-01-01T00:00:00.000Z"
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    server.route("GET", TAG_PATH, server.reply(429, {"error": "Too many requests"}, headers))
    with pytest.raises(RetryLater) as caught:
        make(server).fetch({"min_id": "1"})
    assert caught.value.after == datetime(2099, 1, 1, tzinfo=UTC)


def test_it_reads_mention_notifications_with_the_brand_token(server: Any, fixture: Any) -> None:
    notes = fixture("mastodon", "notifications-mentions.json")
    paginate(server, "/api/v1/notifications", notes)
    source = make(server, stream="notifications", access_token=SecretStr("s3cret-token"))
    batch = source.fetch(None)
    assert [m.id for m in batch.mentions] == ["113500000000000010", "113500000000000009"]
    assert batch.cursor == {"min_id": "34975862"}
    request = server.hits("/api/v1/notifications")[0]
    assert request.headers["authorization"] == "Bearer s3cret-token"
    assert request.query["types[]"] == ["mention"]


def test_it_publishes_a_reply_with_the_idempotency_key(server: Any, fixture: Any) -> None:
    server.route(
        "POST", "/api/v1/statuses", server.reply(200, fixture("mastodon", "status-posted.json"))
    )
    config = MastodonConfig(api_base_url=server.url, access_token=SecretStr("tok"), stream="public")
    post = MastodonPublisher(config, FrozenClock(NOW)).publish(
        PublishRequest(
            "reply-42", "Przepraszamy, pracujemy nad tym.", in_reply_to="113500000000000006"
        )
    )
    assert post.external_id == "113500000000000100"
    assert post.url == "https://mastodon.example/@bank/113500000000000100"
    sent = server.hits("/api/v1/statuses")[0]
    assert sent.headers["idempotency-key"] == "reply-42"
    form = sent.form() if "form" in sent.headers.get("content-type", "") else sent.json()
    assert form["in_reply_to_id"] in ("113500000000000006", ["113500000000000006"])


def test_it_reports_a_refused_post_as_permanent(server: Any) -> None:
    server.route("POST", "/api/v1/statuses", server.reply(422, {"error": "Validation failed"}))
    config = MastodonConfig(api_base_url=server.url, access_token=SecretStr("tok"), stream="public")
    with pytest.raises(PublishError) as caught:
        MastodonPublisher(config, FrozenClock(NOW)).publish(PublishRequest("k", "x"))
    assert caught.value.permanent


def test_it_searches_statuses_paging_forward_by_min_id(server: Any, fixture: Any) -> None:
    statuses = fixture("mastodon", "hashtag-statuses.json")["statuses"]

    def search(req: Any) -> Any:
        newer = [s for s in statuses if key(s) > key({"id": req.arg("min_id") or "0"})]
        page = sorted(newer, key=key)[: int(req.arg("limit"))]
        return server.reply(200, {"accounts": [], "hashtags": [], "statuses": page[::-1]})

    server.route("GET", "/api/v2/search", search)
    instance = fixture("mastodon", "instance.json")
    server.route("GET", "/api/v1/instance/", server.reply(200, instance["v1"]))
    server.route("GET", "/api/v2/instance/", server.reply(200, instance["v2"]))
    source = make(server, stream="search", access_token=SecretStr("tok"), page_size=2)
    batch = source.fetch({"min_id": "113500000000000002"})
    assert [m.id[-1] for m in batch.mentions] == ["4", "3", "6", "5"]
    assert server.hits("/api/v2/search")[0].arg("q") == "examplebank"
    assert server.hits("/api/v2/search")[0].arg("type") == "statuses"


def test_it_publishes_a_poll(server: Any, fixture: Any) -> None:
    server.route(
        "POST", "/api/v1/statuses", server.reply(200, fixture("mastodon", "status-posted.json"))
    )
    config = MastodonConfig(api_base_url=server.url, access_token=SecretStr("tok"), stream="public")
    request = PublishRequest(
        "poll-1",
        "Czy aplikacja już działa?",
        poll_options=("Tak", "Nie"),
        poll_expires_in=timedelta(hours=2),
    )
    MastodonPublisher(config, FrozenClock(NOW)).publish(request)
    sent = server.hits("/api/v1/statuses")[0]
    body = sent.json() if "json" in sent.headers.get("content-type", "") else sent.form()
    text = str(body)
    assert "Tak" in text and "Nie" in text and "7200" in text
