"""Long-running listeners (the Bluesky firehose), one per configured source in this process.

The runtime drains a listener with `fetch(cursor)` like any source, but the listener keeps its
websocket open between calls, so it must not be rebuilt each round. The registry starts one
lazily on first use, replaces it when the stored config changes (its fingerprint), and stops it
when the source is disabled, deleted, or no longer due to run. A stopped listener leaves its
undrained posts after the saved cursor, so the next listener resumes without a gap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Protocol

from stormwatch.sources.contract import Batch, Cursor


class Listener(Protocol):
    def fetch(self, cursor: Cursor | None) -> Batch: ...

    def stop(self, timeout: float = 5.0) -> None: ...


class ListenerRegistry:
    def __init__(self) -> None:
        self._listeners: dict[int, tuple[str, Listener]] = {}
        self._lock = threading.Lock()

    def get_or_start(
        self, source_id: int, fingerprint: str, create: Callable[[], Listener]
    ) -> Listener:
        """The running listener of the source, or a new one from `create` (also when the
        config changed since the running one was made)."""
        with self._lock:
            current = self._listeners.get(source_id)
            if current is not None and current[0] == fingerprint:
                return current[1]
            listener = create()
            self._listeners[source_id] = (fingerprint, listener)
        if current is not None:
            current[1].stop()
        return listener

    def stop(self, source_id: int) -> None:
        with self._lock:
            current = self._listeners.pop(source_id, None)
        if current is not None:
            current[1].stop()

    def keep_only(self, source_ids: Iterable[int]) -> None:
        """Stop every listener whose source is not in `source_ids` (disabled elsewhere)."""
        keep = set(source_ids)
        with self._lock:
            gone = [pk for pk in self._listeners if pk not in keep]
        for pk in gone:
            self.stop(pk)

    def running(self) -> list[int]:
        with self._lock:
            return sorted(self._listeners)


LISTENERS = ListenerRegistry()
