"""Listening to Bluesky through Jetstream: the firehose as JSON over a websocket.

Jetstream (https://github.com/bluesky-social/jetstream) serves every repo commit as one JSON
event, `{"did", "time_us", "kind": "commit"|"identity"|"account", "commit": {"operation",
"collection", "rkey", "record", "cid", ...}}`, filtered server-side to `wantedCollections`. It
is far lighter than the CAR/CBOR firehose (`firehose.py`) and, unlike a plain stream, it replays:
`?cursor=<time_us>` starts playback at that time.

Filtering: a created or updated `app.bsky.feed.post` whose text contains a monitor term or a
watched @handle becomes a CanonicalMention (updates re-emit the post; mentions upsert). A delete
is reported (as a deleted id in `batch.raw`) for posts this listener emitted, because a delete
event carries no text to match and the network deletes many posts that are not ours.

Cursor semantics: `{"time_us": "N"}` where every event up to time N has been returned by a fetch
or rejected by the filter (rejected stretches advance the cursor about once a second). A new
listener connects with `cursor=N` and drops events at or before N, so a restart (or reconnect)
loses nothing and repeats nothing. `fetch` never sleeps (see `streaming.StreamListener`).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from pydantic import Field
from websockets.sync.client import ClientConnection, connect

from stormwatch.core.clock import Clock, SystemClock
from stormwatch.core.errors import InvalidItem
from stormwatch.sources.bluesky.config import BlueskyConfig
from stormwatch.sources.bluesky.firehose import MentionFilter, terms_filter
from stormwatch.sources.bluesky.records import (
    POST_COLLECTION,
    mention_from_record,
)
from stormwatch.sources.contract import Cursor, SkippedItem
from stormwatch.sources.streaming import StreamItem, StreamListener, StreamSettings

JETSTREAM_KIND = "bluesky_jetstream"
DEFAULT_JETSTREAM_URL = "wss://jetstream2.us-east.bsky.network/subscribe"
CURSOR_KEY = "time_us"
OPEN_TIMEOUT_SECONDS = 10.0
MARK_REJECTED_EVERY_US = 1_000_000  # advance the cursor over filtered-out events once a second
_MAX_HANDLES = 100_000


class JetstreamConfig(BlueskyConfig):
    """A Bluesky source read from Jetstream; the account fields are needed only to publish."""

    jetstream_url: str = Field(
        default=DEFAULT_JETSTREAM_URL,
        pattern=r"^wss?://",
        description="Jetstream subscribe endpoint, ending in /subscribe.",
    )


def jetstream_address(base_url: str, time_us: str | None) -> str:
    """The subscribe URL for posts, replaying from `time_us` when given."""
    params = {"wantedCollections": POST_COLLECTION}
    if time_us is not None:
        params["cursor"] = time_us
    return f"{base_url}?{urlencode(params)}"


class BlueskyJetstreamListener(StreamListener):
    """Live (and replayed) posts matching the workspace's filter; see the module docstring."""

    kind = JETSTREAM_KIND
    cursor_key = CURSOR_KEY

    def __init__(
        self,
        config: JetstreamConfig,
        *,
        mention_filter: MentionFilter | None = None,
        clock: Clock | None = None,
    ) -> None:
        settings = StreamSettings(
            queue_size=config.queue_size,
            batch_size=config.batch_size,
            seen_size=config.queue_size,
            reconnect_min=timedelta(seconds=1),
            reconnect_max=timedelta(minutes=5),
        )
        super().__init__(settings, clock or SystemClock())
        self._config = config
        self._filter = mention_filter or terms_filter(config)
        self._emitted: OrderedDict[str, None] = OrderedDict()  # URIs whose deletes we report
        self._handles: dict[str, str] = {}
        self._connection: ClientConnection | None = None
        self._last_time_us = 0  # newest event handled (queued or rejected)
        self._marked_time_us = 0  # newest position queued for rejected events

    def _connect_once(self, cursor: Cursor | None) -> None:
        start = (cursor or {}).get(CURSOR_KEY)
        self._last_time_us = max(self._last_time_us, int(start) if start else 0)
        url = jetstream_address(self._config.jetstream_url, start)
        with connect(url, open_timeout=OPEN_TIMEOUT_SECONDS, max_size=2**22) as connection:
            self._connection = connection
            self._mark_connected()
            for message in connection:
                if not self._on_event(json.loads(message)):
                    return

    def _interrupt(self) -> None:
        if self._connection is not None:
            self._connection.close()

    def _on_event(self, event: Any) -> bool:
        """Handle one decoded event; False once the listener is stopping."""
        if not isinstance(event, dict) or not isinstance(event.get("time_us"), int):
            return True
        time_us: int = event["time_us"]
        if time_us <= self._last_time_us:
            return True  # replayed from before our cursor: already handled
        position = str(time_us)
        if event.get("kind") == "identity":
            self._remember_handle(event.get("identity"))
        item = self._item_of(event, position) if event.get("kind") == "commit" else None
        if item is None and time_us - self._marked_time_us >= MARK_REJECTED_EVERY_US:
            item = StreamItem(position=position)
        if item is not None:
            if not self._emit(item):
                return False
            self._marked_time_us = time_us
        self._last_time_us = time_us
        return True

    def _item_of(self, event: dict[str, Any], position: str) -> StreamItem | None:
        commit = event.get("commit")
        did = event.get("did")
        if not isinstance(commit, dict) or commit.get("collection") != POST_COLLECTION:
            return None
        uri = f"at://{did}/{POST_COLLECTION}/{commit.get('rkey')}"
        operation = commit.get("operation")
        if operation == "delete":
            if uri not in self._emitted:
                return None  # never emitted (or long ago): not ours to report
            del self._emitted[uri]
            return StreamItem(deleted_id=uri, raw=event, position=position)
        record = commit.get("record")
        if operation not in ("create", "update") or not isinstance(record, dict):
            return None
        text = record.get("text")
        if not isinstance(text, str) or not self._filter(text):
            return None
        return self._mention_item(uri, record, event, position)

    def _mention_item(
        self, uri: str, record: dict[str, Any], event: dict[str, Any], position: str
    ) -> StreamItem:
        fallback_at = datetime.fromtimestamp(event["time_us"] / 1_000_000, tz=UTC)
        try:
            mention = mention_from_record(
                uri,
                record,
                handle=self._handles.get(str(event.get("did")), ""),
                fallback_at=fallback_at,
            )
        except InvalidItem as exc:
            return StreamItem(skipped=SkippedItem(uri, str(exc)), position=position)
        self._emitted[uri] = None
        if len(self._emitted) > self._config.queue_size:
            self._emitted.popitem(last=False)
        return StreamItem(mention=mention, raw=event, position=position)

    def _remember_handle(self, identity: Any) -> None:
        if not isinstance(identity, dict):
            return
        did, handle = identity.get("did"), identity.get("handle")
        if isinstance(did, str) and isinstance(handle, str) and handle:
            if len(self._handles) >= _MAX_HANDLES:
                self._handles.clear()  # a cache: losing it only shows DIDs for a while
            self._handles[did] = handle
