"""The X filtered-stream listener against a local server speaking the v2 stream format."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from tests.localhttp import LocalServer, Recorded

from stormwatch.core.clock import FrozenClock
from stormwatch.sources.streaming import StreamListener
from stormwatch.sources.x.stream import XFilteredStreamListener, XStreamConfig

from .conftest import drain, first_retry_later

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
STREAM = "/2/tweets/search/stream"
RULES = "/2/tweets/search/stream/rules"
SEARCH = "/2/tweets/search/recent"

Load = Callable[[str, str], Any]


class Rules:
    """The rules endpoint: GET lists, POST {"add"} / {"delete"} changes, like X's."""

    def __init__(self, existing: list[dict[str, str]]) -> None:
        self.rules = list(existing)
        self.next_id = 900

    def __call__(self, request: Recorded) -> tuple[int, Any, dict[str, str]]:
        if request.method == "GET":
            return 200, ({"data": self.rules} if self.rules else {}), {}
        body = request.json()
        if "delete" in body:
            gone = set(body["delete"]["ids"])
            self.rules = [r for r in self.rules if r["id"] not in gone]
            return 200, {"meta": {"summary": {"deleted": len(gone)}}}, {}
        added = []
        for rule in body["add"]:
            self.next_id += 1
            added.append({**rule, "id": str(self.next_id)})
        self.rules += added
        return 201, {"data": added, "meta": {"summary": {"created": len(added)}}}, {}


def line(tweet: dict[str, Any], users: list[dict[str, Any]], tag: str = "stormwatch") -> bytes:
    body = {
        "data": tweet,
        "includes": {"users": users},
        "matching_rules": [{"id": "901", "tag": tag}],
    }
    return json.dumps(body).encode() + b"\r\n"


@pytest.fixture
def x_api(stream_server: LocalServer, load: Load) -> Rules:
    rules = Rules([{"id": "1", "value": "old rule", "tag": "stormwatch"}])
    stream_server.route("GET", RULES, rules)
    stream_server.route("POST", RULES, rules)
    stream_server.stream(STREAM, "application/json")
    # Recent search, which the listener backfills from: nothing missed unless a test says so.
    stream_server.route("GET", SEARCH, (200, load("x", "search-empty.json"), {}))
    return rules


def make_listener(server: LocalServer, **overrides: Any) -> XFilteredStreamListener:
    options: dict[str, Any] = {
        "bearer_token": "AAAA-bearer",
        "terms": ["Example Bank", "examplebank"],
        "rule_suffix": "-is:retweet",
        "api_base_url": server.url,
        "reconnect_min": "PT0.05S",
        **overrides,
    }
    config = XStreamConfig.model_validate(options)
    return XFilteredStreamListener(config, clock=FrozenClock(NOW))


def test_rules_are_built_from_the_terms_and_synced_idempotently(
    stream_server: LocalServer, x_api: Rules, running: list[StreamListener]
) -> None:
    x_api.rules.append({"id": "2", "value": "someone else's", "tag": "other-app-use"})
    listener = make_listener(stream_server)
    running.append(listener)
    listener.start(None)
    stream_server.hang_up(stream_server.next_connection())
    stream_server.next_connection()  # reconnected: rules were checked again

    values = sorted((r["value"], r["tag"]) for r in x_api.rules)
    assert values == [
        ('("Example Bank" OR examplebank) -is:retweet', "stormwatch"),
        ("someone else's", "other-app-use"),
    ]
    adds = [r for r in stream_server.hits(RULES) if r.method == "POST" and "add" in r.json()]
    assert len(adds) == 1  # the second connection found the rules already in place


def test_posts_arrive_through_fetch_mapped_with_their_expanded_author(
    stream_server: LocalServer, x_api: Rules, load: Load, running: list[StreamListener]
) -> None:
    page = load("x", "search-page1.json")
    listener = make_listener(stream_server)
    running.append(listener)
    listener.start(None)
    connection = stream_server.next_connection()
    stream_server.send(connection, b"\r\n")  # keep-alive
    stream_server.send(connection, line(page["data"][1], page["includes"]["users"]))
    stream_server.send(connection, line(page["data"][0], page["includes"]["users"], tag="other"))
    stream_server.send(connection, line(page["data"][0], page["includes"]["users"]))

    batches = drain(listener, 2)

    mentions = [m for b in batches for m in b.mentions]
    assert [m.id for m in mentions] == [page["data"][1]["id"], page["data"][0]["id"]]
    assert mentions[1].author is not None and mentions[1].author.followers == 15230
    assert batches[-1].cursor == {"since_id": page["data"][0]["id"]}
    (opened,) = stream_server.hits(STREAM)
    assert opened.query["expansions"] == ["author_id"]
    assert "public_metrics" in opened.query["user.fields"][0]
    assert opened.headers["authorization"] == "Bearer AAAA-bearer"


def test_after_a_disconnect_the_stream_reconnects_and_emits_no_duplicates(
    stream_server: LocalServer, x_api: Rules, load: Load, running: list[StreamListener]
) -> None:
    page = load("x", "search-page1.json")
    users = page["includes"]["users"]
    listener = make_listener(stream_server)
    running.append(listener)
    listener.start(None)
    first = stream_server.next_connection()
    stream_server.send(first, line(page["data"][1], users))
    assert len(drain(listener, 1)[-1].mentions) == 1
    stream_server.hang_up(first)

    second = stream_server.next_connection()
    stream_server.send(second, line(page["data"][1], users))
    stream_server.send(second, line(page["data"][0], users))
    batches = drain(listener, 1)

    assert [m.id for b in batches for m in b.mentions] == [page["data"][0]["id"]]
    assert listener.connections == 2


def test_a_429_is_reported_until_the_reset_time_and_stop_ends_the_listener(
    stream_server: LocalServer, x_api: Rules
) -> None:
    reset = int(datetime(2026, 11, 24, 12, 15, tzinfo=UTC).timestamp())
    stream_server.route(
        "GET", STREAM, (429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)})
    )
    listener = make_listener(stream_server)
    listener.start(None)
    error = first_retry_later(listener)

    assert error is not None and error.after == datetime(2026, 11, 24, 12, 15, tzinfo=UTC)
    assert "rate limit" in error.reason
    assert not listener.is_running()


def wait_for_hits(server: LocalServer, path: str, count: int, seconds: float = 5.0) -> list[Any]:
    deadline = time.monotonic() + seconds
    while len(server.hits(path)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return server.hits(path)


def test_a_restart_from_the_saved_cursor_backfills_the_gap_by_recent_search_then_streams(
    stream_server: LocalServer, x_api: Rules, load: Load, running: list[StreamListener]
) -> None:
    page, missed = load("x", "search-page1.json"), load("x", "search-later.json")
    stream_server.route("GET", SEARCH, (200, missed, {}))  # posted while we were down
    gap_post = missed["data"][0]
    live_id = "1861000000000000130"
    live_post = {**page["data"][0], "id": live_id, "edit_history_tweet_ids": [live_id]}
    listener = make_listener(stream_server)
    running.append(listener)
    listener.start({"since_id": page["data"][0]["id"]})
    connection = stream_server.next_connection()
    stream_server.send(connection, line(gap_post, missed["includes"]["users"]))  # overlap
    stream_server.send(connection, line(live_post, page["includes"]["users"]))

    batches = drain(listener, 2)

    assert [m.id for b in batches for m in b.mentions] == [gap_post["id"], live_post["id"]]
    (search,) = stream_server.hits(SEARCH)
    assert search.query["since_id"] == [page["data"][0]["id"]]
    assert batches[-1].cursor == {"since_id": live_post["id"]}


def test_a_new_source_first_reads_recent_search_then_reconnects_from_its_cursor(
    stream_server: LocalServer, x_api: Rules, load: Load, running: list[StreamListener]
) -> None:
    recent = load("x", "search-later.json")
    stream_server.route("GET", SEARCH, (200, recent, {}))
    listener = make_listener(stream_server)
    running.append(listener)
    listener.start(None)
    first = stream_server.next_connection()

    batches = drain(listener, 1)

    assert [m.id for b in batches for m in b.mentions] == [recent["data"][0]["id"]]
    (search,) = stream_server.hits(SEARCH)
    assert "since_id" not in search.query
    assert search.query["start_time"] == ["2026-11-23T12:00:00+00:00"]  # backfill: one day
    stream_server.hang_up(first)
    stream_server.next_connection()
    again = wait_for_hits(stream_server, SEARCH, 2)
    assert again[1].query["since_id"] == [recent["data"][0]["id"]]


def test_a_rate_limited_backfill_is_reported_with_the_reset_time(
    stream_server: LocalServer, x_api: Rules
) -> None:
    reset = int(datetime(2026, 11, 24, 12, 20, tzinfo=UTC).timestamp())
    stream_server.route(
        "GET", SEARCH, (429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)})
    )
    listener = make_listener(stream_server)
    listener.start({"since_id": "1861000000000000105"})
    error = first_retry_later(listener)

    assert error is not None and error.after == datetime(2026, 11, 24, 12, 20, tzinfo=UTC)
    assert "backfill" in error.reason and "rate limit" in error.reason
