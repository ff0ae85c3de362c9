"""The Jetstream listener against a local websocket server speaking Jetstream's JSON format.

The server keeps a log of events; a client with `?cursor=T` gets every logged event with
`time_us >= T` (Jetstream replays from the cursor, inclusive) and then live ones; a client with
no cursor gets only live ones. It honours `wantedCollections` and records each query it saw.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request
from websockets.sync.server import Server, ServerConnection, serve

from stormwatch.core.clock import FrozenClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.bluesky.jetstream import (
    BlueskyJetstreamListener,
    JetstreamConfig,
    jetstream_address,
)
from stormwatch.sources.contract import Batch

NOW = datetime(2024, 9, 9, 20, 0, tzinfo=UTC)
T0 = 1_725_911_162_000_000
DID = "did:plc:nordbankfan"
WAIT_SECONDS = 10.0


class JetstreamServer:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.queries: list[dict[str, list[str]]] = []
        self._lock = threading.Lock()
        self._server: Server = serve(
            self._handle, "127.0.0.1", 0, process_request=self._record_query
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/subscribe"

    def publish(self, *events: dict[str, Any]) -> None:
        with self._lock:
            self.events.extend(events)

    def _record_query(self, connection: ServerConnection, request: Request) -> None:
        """During the handshake, so a query is recorded before the client sees the socket open."""
        self.queries.append(parse_qs(urlparse(request.path).query))

    def _handle(self, connection: ServerConnection) -> None:
        assert connection.request is not None
        query = parse_qs(urlparse(connection.request.path).query)
        wanted = set(query.get("wantedCollections", []))
        cursor = int(query["cursor"][0]) if "cursor" in query else None
        with self._lock:
            sent = len(self.events) if cursor is None else 0
        while True:
            with self._lock:
                pending, sent = self.events[sent:], len(self.events)
            for event in pending:
                if cursor is not None and event["time_us"] < cursor:
                    continue
                collection = event.get("commit", {}).get("collection")
                if event["kind"] != "commit" or not wanted or collection in wanted:
                    connection.send(json.dumps(event))
            try:
                connection.recv(timeout=0.05)
            except TimeoutError:
                continue
            except ConnectionClosed:
                return

    def __enter__(self) -> JetstreamServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._thread.join(5)


def post(n: int, text: str, *, operation: str = "create", rkey: str = "") -> dict[str, Any]:
    commit: dict[str, Any] = {
        "rev": f"rev{n}",
        "operation": operation,
        "collection": "app.bsky.feed.post",
        "rkey": rkey or f"post{n}",
    }
    if operation != "delete":
        commit["cid"] = f"bafy{n}"
        commit["record"] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": "2024-09-09T19:46:02.102Z",
            "langs": ["pl"],
        }
    return {"did": DID, "time_us": T0 + n * 500_000, "kind": "commit", "commit": commit}


def like(n: int) -> dict[str, Any]:
    commit = {"operation": "create", "collection": "app.bsky.feed.like", "rkey": f"like{n}"}
    return {"did": DID, "time_us": T0 + n * 500_000, "kind": "commit", "commit": commit}


def identity(n: int, handle: str) -> dict[str, Any]:
    ident = {"did": DID, "handle": handle, "seq": n, "time": "2024-09-09T19:46:02Z"}
    return {"did": DID, "time_us": T0 + n * 500_000, "kind": "identity", "identity": ident}


@pytest.fixture
def server() -> Iterator[JetstreamServer]:
    with JetstreamServer() as running:
        yield running


def listener_for(server: JetstreamServer, batch_size: int = 100) -> BlueskyJetstreamListener:
    config = JetstreamConfig(jetstream_url=server.url, terms=("nordbank",), batch_size=batch_size)
    return BlueskyJetstreamListener(config, clock=FrozenClock(NOW))


def fetch_until(
    listener: BlueskyJetstreamListener, cursor: Any, done: Callable[[list[Batch]], bool]
) -> list[Batch]:
    """Fetch (never blocking) until `done` holds for the batches so far, or give up."""
    batches: list[Batch] = []
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        batches.append(listener.fetch(cursor))
        if done(batches):
            return batches
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting; got {batches}")


def texts(batches: list[Batch]) -> list[str]:
    return [m.text for b in batches for m in b.mentions]


def deleted_ids(batches: list[Batch]) -> set[str]:
    return {k for b in batches for k, v in b.raw.items() if v.get("deleted")}


def test_the_subscribe_address_asks_for_posts_from_the_cursor() -> None:
    address = jetstream_address("wss://jetstream2.us-east.bsky.network/subscribe", "1725911162")
    assert address == (
        "wss://jetstream2.us-east.bsky.network/subscribe"
        "?wantedCollections=app.bsky.feed.post&cursor=1725911162"
    )


def test_matching_posts_become_mentions_with_the_known_handle(server: JetstreamServer) -> None:
    server.publish(
        identity(1, "fan.bsky.social"),
        post(2, "Nordbank app is down again"),
        like(3),
        post(4, "unrelated cat picture"),
    )
    listener = listener_for(server)
    try:
        batches = fetch_until(listener, {"time_us": "0"}, lambda b: bool(texts(b)))
    finally:
        listener.stop()
    (mention,) = [m for b in batches for m in b.mentions]
    assert mention.id == f"at://{DID}/app.bsky.feed.post/post2"
    assert mention.author is not None and mention.author.handle == "fan.bsky.social"
    assert mention.url == "https://bsky.app/profile/fan.bsky.social/post/post2"
    assert mention.lang == "pl"
    assert server.queries[0]["wantedCollections"] == ["app.bsky.feed.post"]


def test_an_update_re_emits_and_a_delete_of_an_emitted_post_is_reported(
    server: JetstreamServer,
) -> None:
    server.publish(
        post(1, "Nordbank stole my money"),
        post(2, "Nordbank refunded me", operation="update", rkey="post1"),
        post(3, "", operation="delete", rkey="post1"),
        post(4, "", operation="delete", rkey="someone-elses"),
    )
    listener = listener_for(server)
    try:
        batches = fetch_until(listener, {"time_us": "0"}, lambda b: bool(deleted_ids(b)))
    finally:
        listener.stop()
    assert texts(batches) == ["Nordbank stole my money", "Nordbank refunded me"]
    assert deleted_ids(batches) == {f"at://{DID}/app.bsky.feed.post/post1"}


def test_a_restart_from_the_saved_cursor_has_no_gap_and_no_duplicate(
    server: JetstreamServer,
) -> None:
    expected = [f"Nordbank post {n}" for n in range(1, 9)]
    server.publish(*(post(n, expected[n - 1]) for n in range(1, 9)))
    first = listener_for(server, batch_size=3)
    try:
        before = fetch_until(first, {"time_us": "0"}, lambda b: bool(texts(b)))
    finally:
        first.stop()  # posts it queued but did not return stay after its cursor
    saved = before[-1].cursor
    server.publish(post(9, "Nordbank post 9"))  # published while nobody listened
    second = listener_for(server)
    try:
        after = fetch_until(second, saved, lambda b: len(texts(before) + texts(b)) >= 9)
    finally:
        second.stop()
    assert texts(before) + texts(after) == [*expected, "Nordbank post 9"]
    assert server.queries[-1]["cursor"] == [saved["time_us"]]


def test_filtered_out_stretches_still_advance_the_cursor(server: JetstreamServer) -> None:
    server.publish(*(post(n, f"cat picture {n}") for n in range(1, 8)))
    listener = listener_for(server)
    try:
        target = str(T0 + 6 * 500_000)
        batches = fetch_until(
            listener, {"time_us": "0"}, lambda b: b[-1].cursor.get("time_us", "0") >= target
        )
    finally:
        listener.stop()
    assert texts(batches) == []


def test_a_server_that_is_down_is_reported_on_fetch() -> None:
    config = JetstreamConfig(jetstream_url="ws://127.0.0.1:9/subscribe", terms=("nordbank",))
    listener = BlueskyJetstreamListener(config, clock=FrozenClock(NOW))
    try:
        with pytest.raises(RetryLater, match=r"refused|Connect|Error"):
            fetch_until(listener, None, lambda b: False)
    finally:
        listener.stop()


def test_the_test_button_connects_live_and_stores_nothing(server: JetstreamServer) -> None:
    from stormwatch.sources.service import test_source_config

    config = {"jetstream_url": server.url, "terms": ["nordbank"]}
    sample = test_source_config(kind="bluesky_jetstream", config=config, clock=FrozenClock(NOW))
    assert sample == []  # live only: nothing was posted while it listened
    assert len(server.queries) == 1 and "cursor" not in server.queries[0]


def test_the_test_button_names_a_jetstream_it_cannot_reach() -> None:
    from stormwatch.core.errors import StormwatchError
    from stormwatch.sources.service import test_source_config

    config = {"jetstream_url": "ws://127.0.0.1:9/subscribe", "terms": ["nordbank"]}
    expected = re.escape("could not connect to ws://127.0.0.1:9/subscribe")
    with pytest.raises(StormwatchError, match=expected):
        test_source_config(kind="bluesky_jetstream", config=config, clock=FrozenClock(NOW))
