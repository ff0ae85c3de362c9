"""Listening to the live Bluesky firehose (com.atproto.sync.subscribeRepos).

A `BlueskyFirehoseListener` owns one background thread running atproto's websocket client. The
thread decodes each commit's CAR blocks, keeps the `app.bsky.feed.post` creations that pass the
workspace's filter, and puts them, with their event seq, into a bounded queue (when the queue is
full the thread waits, so the server sees a slow reader rather than Stormwatch losing posts).

Cursor semantics: `fetch` returns `{"seq": N}` where every event up to seq N has been either
returned by a fetch or rejected by the filter. Starting a listener with that cursor resumes at
seq N + 1, so a restart loses nothing and repeats nothing. The first `fetch` starts the thread
from the cursor it is given; later calls drain the queue and ignore their argument, because the
listener, not the caller, knows how far the stream has gone. `fetch` never sleeps.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from atproto import CAR, FirehoseSubscribeReposClient, models, parse_subscribe_repos_message

from stormwatch.core.clock import Clock, SystemClock
from stormwatch.core.errors import InvalidItem, RetryLater
from stormwatch.mentions.canonical import CanonicalMention
from stormwatch.sources.bluesky.config import BlueskyConfig
from stormwatch.sources.bluesky.records import (
    POST_COLLECTION,
    mention_from_record,
    parse_record_time,
)
from stormwatch.sources.contract import Batch, Cursor, SkippedItem

MentionFilter = Callable[[str], bool]
POLL_AGAIN = timedelta(seconds=2)
RETRY_AFTER_FAILURE = timedelta(seconds=30)
_PUT_WAIT_SECONDS = 0.5

Item = tuple[int, CanonicalMention | SkippedItem]


def terms_filter(config: BlueskyConfig) -> MentionFilter:
    """The default filter: the text contains any monitor term or watched @handle, any case."""
    needles = config.monitor_needles()

    def matches(text: str) -> bool:
        lowered = text.lower()
        return any(n in lowered for n in needles)

    return matches


class _SubscribeClient(FirehoseSubscribeReposClient):
    """atproto's client plus a signal once the websocket is open (for a clean first start)."""

    def __init__(self, params: dict[str, Any] | None, base_uri: str) -> None:
        super().__init__(params=params, base_uri=base_uri)
        self.connected = threading.Event()

    def _get_client(self) -> Any:
        client = super()._get_client()  # dials synchronously; returns an open connection
        self.connected.set()
        return client


class BlueskyFirehoseListener:
    """Live posts matching the workspace's filter; see the module docstring for cursors."""

    kind = "bluesky_firehose"

    def __init__(
        self,
        config: BlueskyConfig,
        *,
        mention_filter: MentionFilter | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._config = config
        self._filter = mention_filter or terms_filter(config)
        self._clock = clock or SystemClock()
        self._queue: queue.Queue[Item] = queue.Queue(maxsize=config.queue_size)
        self._handles: dict[str, str] = {}
        self._processed_seq: int | None = None  # written by the thread after each event
        self._returned_seq: int | None = None
        self._client: _SubscribeClient | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._failure: BaseException | None = None

    def start(self, cursor: Cursor | None = None) -> None:
        """Open the stream at the cursor (live tail when None) in a background thread."""
        if self._thread is not None:
            raise RuntimeError("the listener is already started")
        seq = _cursor_seq(cursor)
        self._processed_seq = self._returned_seq = seq
        params = {"cursor": seq} if seq is not None else None
        self._client = _SubscribeClient(params, self._config.firehose_url.rstrip("/"))
        self._thread = threading.Thread(target=self._run, name="bluesky-firehose", daemon=True)
        self._thread.start()

    def wait_until_connected(self, timeout: float) -> bool:
        """Block up to `timeout` seconds until the websocket is open; for start-up and tests."""
        return self._client is not None and self._client.connected.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Close the stream and join the thread. Undrained posts stay behind the cursor."""
        self._stopping.set()
        if self._client is not None:
            self._client.stop()
        if self._thread is not None:
            self._thread.join(timeout)

    def fetch(self, cursor: Cursor | None) -> Batch:
        """Drain up to `batch_size` queued posts without waiting; starts the stream if needed."""
        if self._thread is None:
            self.start(cursor)
        seen = self._processed_seq
        items: list[Item] = []
        drained = True
        for _ in range(self._config.batch_size):
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                break
        else:
            drained = self._queue.empty()
        if not items and self._failure is not None and not self._thread_alive():
            raise RetryLater(self._clock.now() + RETRY_AFTER_FAILURE, repr(self._failure))
        return self._batch(items, seen if drained else None)

    def _batch(self, items: list[Item], seen: int | None) -> Batch:
        seqs = [s for s in (self._returned_seq, seen, *(seq for seq, _ in items)) if s is not None]
        self._returned_seq = max(seqs) if seqs else None
        mentions = [m for _, m in items if isinstance(m, CanonicalMention)]
        skipped = [m for _, m in items if isinstance(m, SkippedItem)]
        next_cursor: Cursor = {} if self._returned_seq is None else {"seq": self._returned_seq}
        wake_at = self._clock.now() + POLL_AGAIN
        return Batch(mentions=mentions, cursor=next_cursor, wake_at=wake_at, skipped=skipped)

    def _thread_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        assert self._client is not None
        try:
            self._client.start(self._on_message)
        except Exception as exc:  # the thread must record why it died, fetch reports it
            self._failure = exc

    def _on_message(self, message: Any) -> None:
        event = parse_subscribe_repos_message(message)
        seq = getattr(event, "seq", None)
        if isinstance(event, models.ComAtprotoSyncSubscribeRepos.Identity) and event.handle:
            self._handles[event.did] = event.handle
        if isinstance(event, models.ComAtprotoSyncSubscribeRepos.Commit):
            for item in self._posts_of(event):
                if not self._put((event.seq, item)):
                    return  # stopping: this event stays after the cursor, so it is not lost
        if isinstance(seq, int):
            self._processed_seq = seq
            # On a reconnect atproto re-dials with these params: resume after this event.
            assert self._client is not None
            self._client.update_params({"cursor": seq})

    def _posts_of(
        self, commit: models.ComAtprotoSyncSubscribeRepos.Commit
    ) -> list[CanonicalMention | SkippedItem]:
        creates = [
            op
            for op in commit.ops
            if op.action == "create" and op.path.startswith(POST_COLLECTION + "/") and op.cid
        ]
        if not creates or not commit.blocks:
            return []
        blocks = CAR.from_bytes(commit.blocks).blocks
        out: list[CanonicalMention | SkippedItem] = []
        for op in creates:
            uri = f"at://{commit.repo}/{op.path}"
            record = blocks.get(op.cid)
            if not isinstance(record, dict):
                out.append(SkippedItem(uri, "record block missing from the commit"))
                continue
            text = record.get("text")
            if not isinstance(text, str) or not self._filter(text):
                continue
            out.append(self._map(uri, record, commit))
        return out

    def _map(
        self, uri: str, record: dict[str, Any], commit: models.ComAtprotoSyncSubscribeRepos.Commit
    ) -> CanonicalMention | SkippedItem:
        try:
            return mention_from_record(
                uri,
                record,
                handle=self._handles.get(commit.repo, ""),
                fallback_at=parse_record_time(commit.time),
            )
        except InvalidItem as exc:
            return SkippedItem(uri, str(exc))

    def _put(self, item: Item) -> bool:
        while not self._stopping.is_set():
            try:
                self._queue.put(item, timeout=_PUT_WAIT_SECONDS)
                return True
            except queue.Full:
                continue
        return False


def _cursor_seq(cursor: Cursor | None) -> int | None:
    if not cursor or cursor.get("seq") is None:
        return None
    seq = cursor["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise ValueError(f"bad firehose cursor: {cursor!r}")
    return seq
