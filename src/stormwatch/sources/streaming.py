"""The shared machinery of the HTTP streaming listeners (Mastodon streaming, X filtered stream).

A `StreamListener` owns one background thread that keeps a streaming connection open, puts what
arrives into a bounded queue (waiting when it is full, so the server sees a slow reader rather
than Stormwatch dropping posts), and reconnects with exponential backoff, or at the reset time a
rate limit names. `fetch(cursor)` never sleeps: it drains up to `batch_size` items and returns
them; the first call starts the thread from the cursor it is given, later calls ignore their
argument because the listener knows how far the stream has gone.

Streams cannot replay. Once a (re)connection is open the subclass calls `_backfill_gap()`,
which pages the platform's polling connector (`_polling_source`) forward from where the stream
stands (the saved cursor, then the newest id queued) into the queue while the
stream's own events wait in the socket: a restart's or a reconnect's gap is covered, and a
listener started with no cursor at all (a new source) first reads the polling connector's
first-start window (its `backfill` setting), as a polling source would. Ids already emitted are
dropped by a bounded "seen" set, so the overlap never emits the same post twice from one
listener.

While the stream is down and nothing is queued, `fetch` raises `RetryLater` with the failure and
the next connection attempt, so the source's health shows why it is silent.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from stormwatch.core.clock import Clock
from stormwatch.core.errors import RetryLater
from stormwatch.mentions.canonical import CanonicalMention
from stormwatch.sources.contract import Batch, Cursor, SkippedItem, Source

POLL_AGAIN = timedelta(seconds=2)
_PUT_WAIT_SECONDS = 0.5


@dataclass(frozen=True)
class StreamItem:
    """One thing for the runtime: a mention, a deleted id, or a skipped payload.

    `position` is the id the cursor advances to once this item is returned (None: no move).
    """

    mention: CanonicalMention | None = None
    deleted_id: str = ""
    skipped: SkippedItem | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    position: str | None = None


MAX_BACKFILL_ROUNDS = 20  # polling fetches per backfill (each up to the connector's page limit)


class RateLimited(Exception):
    """Raised by a connection attempt the platform refused with a rate limit until `until`."""

    def __init__(self, until: datetime, reason: str) -> None:
        super().__init__(reason)
        self.until = until


class SeenIds:
    """The most recent `size` keys, oldest forgotten first (bounded memory, any run time)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        """True if the key is new (and remember it), False if it was seen recently."""
        with self._lock:
            if key in self._keys:
                self._keys.move_to_end(key)
                return False
            self._keys[key] = None
            if len(self._keys) > self._size:
                self._keys.popitem(last=False)
            return True


def later_id(a: str | None, b: str | None) -> str | None:
    """The larger of two numeric-string ids (length first, as Mastodon and X advise)."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda v: (len(v), v))


class StreamConfig(Protocol):
    """The fields a streaming source's config carries for its listener."""

    queue_size: int
    batch_size: int
    seen_size: int
    reconnect_min: timedelta
    reconnect_max: timedelta


@dataclass(frozen=True)
class StreamSettings:
    queue_size: int
    batch_size: int
    seen_size: int
    reconnect_min: timedelta
    reconnect_max: timedelta

    @classmethod
    def of(cls, config: StreamConfig) -> StreamSettings:
        return cls(
            config.queue_size,
            config.batch_size,
            config.seen_size,
            config.reconnect_min,
            config.reconnect_max,
        )


class StreamListener:
    """Base of a streaming listener; subclasses implement `_connect_once` (and, to backfill
    gaps, `_polling_source`)."""

    kind = ""
    cursor_key = ""

    def __init__(self, settings: StreamSettings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock
        self._queue: queue.Queue[StreamItem] = queue.Queue(maxsize=settings.queue_size)
        self._seen = SeenIds(settings.seen_size)
        self._position: str | None = None  # newest id put in the queue (for backfills)
        self._returned: str | None = None  # newest id returned by fetch (the cursor)
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connected = threading.Event()
        # (why the stream is down, when it tries again), published as one value so that
        # `fetch` never pairs a new failure with an old or missing retry time.
        self._down: tuple[str, datetime] | None = None
        self.connections = 0  # successful connections so far (reconnects = connections - 1)

    # Life cycle -------------------------------------------------------------------------------

    def start(self, cursor: Cursor | None = None) -> None:
        """Open the stream in a background thread; `cursor` is where the last run stopped."""
        if self._thread is not None:
            raise RuntimeError("the listener is already started")
        self._position = self._returned = _cursor_id(cursor, self.cursor_key)
        self._thread = threading.Thread(target=self._run, name=f"{self.kind}-stream", daemon=True)
        self._thread.start()

    def wait_until_connected(self, timeout: float) -> bool:
        """Block up to `timeout` seconds until the stream is open; for start-up and tests."""
        return self._connected.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Close the stream and join the thread. Undrained items stay after the cursor."""
        self._stopping.set()
        self._interrupt()
        if self._thread is not None:
            self._thread.join(timeout)

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # The source contract ----------------------------------------------------------------------

    def fetch(self, cursor: Cursor | None) -> Batch:
        """Drain up to `batch_size` queued items without waiting; starts the stream if needed."""
        if self._thread is None:
            self.start(cursor)
        items: list[StreamItem] = []
        for _ in range(self._settings.batch_size):
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                break
        now = self._clock.now()
        down = self._down
        if not items and down is not None and not self._connected.is_set():
            reason, retry_at = down
            raise RetryLater(retry_at, reason)
        for item in items:
            self._returned = later_id(self._returned, item.position)
        mentions = [i.mention for i in items if i.mention is not None]
        raw = {i.mention.id: i.raw for i in items if i.mention is not None}
        raw.update(
            {i.deleted_id: {"deleted": True, "payload": i.raw} for i in items if i.deleted_id}
        )
        skipped = [i.skipped for i in items if i.skipped is not None]
        next_cursor: Cursor = {} if self._returned is None else {self.cursor_key: self._returned}
        return Batch(mentions, next_cursor, now + POLL_AGAIN, skipped, raw)

    # For subclasses ---------------------------------------------------------------------------

    def _connect_once(self, cursor: Cursor | None) -> None:
        """Open one connection and read it until it ends; raise on failure (RateLimited for a
        rate limit). Call `_mark_connected()` once open and `_emit()` for each item."""
        raise NotImplementedError

    def _interrupt(self) -> None:
        """Close the open connection from another thread (called by `stop`)."""

    def _polling_source(self) -> Source | None:
        """The platform's polling connector with the same query (None: no backfill)."""
        return None

    def _dedup_key(self, raw: dict[str, Any], mention_id: str) -> str:
        """The key a backfilled post is deduplicated by; the stream must emit the same key."""
        return mention_id

    def _backfill_gap(self) -> None:
        """Once a connection is open: read what the stream cannot replay (see the docstring).

        From where the stream stands (`_saved_cursor`, also right after a client library
        reconnected by itself); with no position yet (nothing has arrived since the listener
        started), from the polling connector's first-start window, again on every reconnect,
        so a gap before the first post is covered too (what was already read is dropped as
        seen). Up to MAX_BACKFILL_ROUNDS fetches, while the connector says more is waiting now.
        """
        cursor = self._saved_cursor()
        source = self._polling_source()
        if source is None:
            return
        for _ in range(MAX_BACKFILL_ROUNDS):
            try:
                batch = source.fetch(cursor or None)
            except RetryLater as exc:
                raise RateLimited(exc.after, f"backfill: {exc.reason}") from exc
            for mention in batch.mentions:
                raw = batch.raw.get(mention.id, {})
                self._emit(StreamItem(mention=mention, raw=raw), self._dedup_key(raw, mention.id))
            for skipped in batch.skipped:
                self._emit(StreamItem(skipped=skipped))
            cursor = batch.cursor
            self._emit(StreamItem(position=_cursor_id(cursor, self.cursor_key)))
            if batch.wake_at is None or batch.wake_at > self._clock.now():
                return

    def _mark_connected(self) -> None:
        self.connections += 1
        self._down = None
        self._connected.set()

    def _emit(self, item: StreamItem, dedup_key: str | None = None) -> bool:
        """Queue an item unless its key was emitted recently; False once the listener stops."""
        if dedup_key is not None and not self._seen.add(dedup_key):
            return True
        while not self._stopping.is_set():
            try:
                self._queue.put(item, timeout=_PUT_WAIT_SECONDS)
                self._position = later_id(self._position, item.position)
                return True
            except queue.Full:
                continue
        return False

    def _saved_cursor(self) -> Cursor | None:
        """Where the stream stands: the newest id queued so far (for a backfill on reconnect)."""
        return None if self._position is None else {self.cursor_key: self._position}

    # The thread -------------------------------------------------------------------------------

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            delay = self._settings.reconnect_min
            reason: str | None = None  # a clean end of stream is not a failure
            try:
                self._connect_once(self._saved_cursor())
                failures = 0
            except RateLimited as exc:
                reason = f"rate limited: {exc}"
                delay = max(exc.until - self._clock.now(), self._settings.reconnect_min)
            except Exception as exc:  # any failure: report it through fetch, then reconnect
                failures = 0 if self._connected.is_set() else failures + 1
                reason = f"{type(exc).__name__}: {exc}"
                delay = min(delay * 2 ** min(failures, 20), self._settings.reconnect_max)
            self._connected.clear()
            if reason is not None:
                self._down = (reason, self._clock.now() + delay)
            self._stopping.wait(delay.total_seconds())


def shut_down(response: Any) -> None:
    """Make a blocked read of a streaming `requests.Response` return, from another thread.

    `response.close()` would wait for the reading thread's buffer lock; shutting the socket
    down ends the read at once (the reader sees end of stream).
    """
    raw = getattr(response, "raw", None)
    connection = getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is None:  # urllib3 has already detached the connection: reach the socket file
        fp = getattr(getattr(raw, "_fp", None), "fp", None)
        sock = getattr(getattr(fp, "raw", None), "_sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


def _cursor_id(cursor: Cursor | None, key: str) -> str | None:
    if not cursor or cursor.get(key) in (None, ""):
        return None
    value = str(cursor[key])
    if not value.isdigit():
        raise ValueError(f"bad stream cursor: {cursor!r}")
    return value
