"""The Mastodon streaming listener against a local server speaking Mastodon's SSE format."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from tests.localhttp import LocalServer

from stormwatch.core.clock import FrozenClock
from stormwatch.sources.mastodon.stream import MastodonStreamConfig, MastodonStreamListener
from stormwatch.sources.registry import list_deleted
from stormwatch.sources.streaming import StreamListener

from .conftest import drain, first_retry_later

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
TAG_STREAM = "/api/v1/streaming/hashtag"
USER_STREAM = "/api/v1/streaming/user"
TAG_TIMELINE = "/api/v1/timelines/tag/examplebank"
NOTIFICATIONS = "/api/v1/notifications"
SSE = "text/event-stream; charset=utf-8"

Load = Callable[[str, str], Any]


def sse(event: str, payload: Any) -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload)
    return f"event: {event}\ndata: {data}\n\n".encode()


@pytest.fixture
def instance(api_server: LocalServer, stream_server: LocalServer) -> LocalServer:
    """The API host names a separate streaming host in `urls.streaming_api`, as Mastodon does."""
    streaming = stream_server.url.replace("http://", "ws://")
    instance: tuple[int, Any, dict[str, str]] = (200, {"urls": {"streaming_api": streaming}}, {})
    api_server.route("GET", "/api/v1/instance/", instance)  # Mastodon.py adds the slash
    # The polling endpoints the listener backfills from; nothing was missed unless a test says so.
    api_server.route("GET", TAG_TIMELINE, (200, [], {}))
    api_server.route("GET", NOTIFICATIONS, (200, [], {}))
    stream_server.stream(TAG_STREAM, SSE)
    stream_server.stream(USER_STREAM, SSE)
    return api_server


def make_listener(api: LocalServer, **overrides: Any) -> MastodonStreamListener:
    options: dict[str, Any] = {
        "api_base_url": api.url,
        "query": "examplebank",
        "reconnect_min": "PT0.05S",
        **overrides,
    }
    return MastodonStreamListener(
        MastodonStreamConfig.model_validate(options), clock=FrozenClock(NOW)
    )


def wait_for_hits(server: LocalServer, path: str, count: int, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while len(server.hits(path)) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def test_hashtag_updates_arrive_through_fetch_from_the_discovered_streaming_host(
    instance: LocalServer,
    stream_server: LocalServer,
    load: Load,
    running: list[StreamListener],
) -> None:
    statuses = load("mastodon", "hashtag-statuses.json")["statuses"]
    listener = make_listener(instance)
    running.append(listener)
    listener.start(None)
    connection = stream_server.next_connection()
    stream_server.send(connection, b":thump\n\n")
    stream_server.send(connection, sse("update", statuses[1]))
    stream_server.send(connection, b":thump\n\n")
    stream_server.send(connection, sse("update", statuses[0]))

    batches = drain(listener, 2)

    mentions = [m for b in batches for m in b.mentions]
    assert [m.id for m in mentions] == [statuses[1]["id"], statuses[0]["id"]]
    assert mentions[1].author is not None
    assert mentions[1].author.handle == f"kasia@{instance.url.split('//')[1].split(':')[0]}"
    assert "Karta odrzucona." in mentions[1].text
    assert batches[-1].cursor == {"min_id": statuses[0]["id"]}
    (opened,) = stream_server.hits(TAG_STREAM)
    assert opened.query == {"tag": ["examplebank"]}


def test_a_delete_event_is_flagged_as_deleted_and_emits_no_mention(
    instance: LocalServer, stream_server: LocalServer, running: list[StreamListener]
) -> None:
    listener = make_listener(instance)
    running.append(listener)
    listener.start(None)
    connection = stream_server.next_connection()
    stream_server.send(connection, sse("delete", "113500000000000004"))

    batches = drain(listener, 1)

    assert [d for b in batches for d in list_deleted(b)] == ["113500000000000004"]
    assert [m for b in batches for m in b.mentions] == []


def test_the_notifications_stream_keeps_only_mentions_of_the_brand_account(
    instance: LocalServer,
    stream_server: LocalServer,
    load: Load,
    running: list[StreamListener],
) -> None:
    notes = load("mastodon", "notifications-mentions.json")
    timeline_status = load("mastodon", "hashtag-statuses.json")["statuses"][0]
    favourite = {**notes[1], "id": "34975863", "type": "favourite"}
    listener = make_listener(instance, stream="notifications", query="", access_token="tok")
    running.append(listener)
    listener.start(None)
    connection = stream_server.next_connection()
    stream_server.send(connection, sse("update", timeline_status))  # the home timeline
    stream_server.send(connection, sse("notification", favourite))
    stream_server.send(connection, sse("notification", notes[0]))

    batches = drain(listener, 1)

    assert [m.id for b in batches for m in b.mentions] == [notes[0]["status"]["id"]]
    assert batches[-1].cursor == {"min_id": notes[0]["id"]}
    (opened,) = stream_server.hits(USER_STREAM)
    assert opened.headers["authorization"] == "Bearer tok"


def test_after_a_reconnect_a_status_sent_again_is_not_emitted_twice(
    instance: LocalServer,
    stream_server: LocalServer,
    load: Load,
    running: list[StreamListener],
) -> None:
    statuses = load("mastodon", "hashtag-statuses.json")["statuses"]
    listener = make_listener(instance)
    running.append(listener)
    listener.start(None)
    first = stream_server.next_connection()
    stream_server.send(first, sse("update", statuses[2]))
    assert len(drain(listener, 1)[-1].mentions) == 1
    stream_server.hang_up(first)

    second = stream_server.next_connection()
    stream_server.send(second, sse("update", statuses[2]))
    stream_server.send(second, sse("update", statuses[1]))
    batches = drain(listener, 1)

    assert [m.id for b in batches for m in b.mentions] == [statuses[1]["id"]]
    assert listener.connections == 2


def test_a_restart_from_the_saved_cursor_backfills_the_gap_by_polling_then_streams(
    instance: LocalServer,
    stream_server: LocalServer,
    load: Load,
    running: list[StreamListener],
) -> None:
    statuses = load("mastodon", "hashtag-statuses.json")["statuses"]
    missed = [statuses[1], statuses[2]]  # newer than the cursor, published while we were down
    instance.route("GET", TAG_TIMELINE, (200, missed, {}))
    listener = make_listener(instance)
    running.append(listener)
    listener.start({"min_id": statuses[3]["id"]})
    connection = stream_server.next_connection()
    stream_server.send(connection, sse("update", statuses[1]))  # also in the backfill
    stream_server.send(connection, sse("update", statuses[0]))

    batches = drain(listener, 3)

    ids = [m.id for b in batches for m in b.mentions]
    assert sorted(ids) == sorted([statuses[0]["id"], statuses[1]["id"], statuses[2]["id"]])
    (poll,) = instance.hits(TAG_TIMELINE)
    assert poll.query["min_id"] == [statuses[3]["id"]]
    assert batches[-1].cursor == {"min_id": statuses[0]["id"]}


def test_a_new_source_first_reads_the_recent_past_by_polling_then_streams(
    instance: LocalServer,
    stream_server: LocalServer,
    load: Load,
    running: list[StreamListener],
) -> None:
    statuses = load("mastodon", "hashtag-statuses.json")["statuses"]
    recent = [statuses[1], statuses[2]]  # published in the last hours, before the source existed
    instance.route("GET", TAG_TIMELINE, (200, recent, {}))
    listener = make_listener(instance)
    running.append(listener)
    listener.start(None)
    connection = stream_server.next_connection()
    stream_server.send(connection, sse("update", statuses[0]))

    batches = drain(listener, 3)

    ids = [m.id for b in batches for m in b.mentions]
    assert sorted(ids) == sorted([statuses[0]["id"], statuses[1]["id"], statuses[2]["id"]])
    (poll,) = instance.hits(TAG_TIMELINE)
    assert "min_id" not in poll.query  # the first-start window, not a cursor
    assert batches[-1].cursor == {"min_id": statuses[0]["id"]}
    stream_server.hang_up(connection)
    stream_server.next_connection()  # a reconnect pages on from the cursor
    wait_for_hits(instance, TAG_TIMELINE, 2)
    assert instance.hits(TAG_TIMELINE)[1].query["min_id"] == [statuses[0]["id"]]


def test_a_reconnect_before_any_post_arrived_reads_the_first_start_window_again(
    instance: LocalServer,
    stream_server: LocalServer,
    load: Load,
    running: list[StreamListener],
) -> None:
    statuses = load("mastodon", "hashtag-statuses.json")["statuses"]
    listener = make_listener(instance)
    running.append(listener)
    listener.start(None)
    first = stream_server.next_connection()
    wait_for_hits(instance, TAG_TIMELINE, 1)  # the first backfill found nothing
    instance.route("GET", TAG_TIMELINE, (200, [statuses[1]], {}))  # posted while we were down
    stream_server.hang_up(first)
    stream_server.next_connection()

    batches = drain(listener, 1)

    assert [m.id for b in batches for m in b.mentions] == [statuses[1]["id"]]
    second_poll = instance.hits(TAG_TIMELINE)[1]
    assert "min_id" not in second_poll.query  # still no position: the first-start window


def test_a_rate_limited_stream_is_reported_with_the_reset_time_and_stop_ends_it(
    instance: LocalServer, stream_server: LocalServer
) -> None:
    reset = "2026-11-24T12:05:00.000Z"
    stream_server.route(
        "GET", TAG_STREAM, (429, {"error": "Too many requests"}, {"X-RateLimit-Reset": reset})
    )
    listener = make_listener(instance)
    listener.start(None)
    error = first_retry_later(listener)

    assert error is not None and error.after == datetime(2026, 11, 24, 12, 5, tzinfo=UTC)
    assert "rate limit" in error.reason
    assert not listener.is_running()
