"""Stream tests: real local HTTP servers (tests.localhttp) that keep stream responses open.

The production clients (Mastodon.py, tweepy) connect to them unchanged.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.localhttp import LocalServer

from stormwatch.core.errors import RetryLater
from stormwatch.sources.contract import Batch
from stormwatch.sources.registry import list_deleted
from stormwatch.sources.streaming import StreamListener

FIXTURES = Path(__file__).resolve().parents[2] / "src" / "stormwatch" / "sources"


@pytest.fixture
def stream_server() -> Iterator[LocalServer]:
    srv = LocalServer()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def api_server() -> Iterator[LocalServer]:
    """A second server, for a platform whose streaming host differs from its API host."""
    srv = LocalServer()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def load() -> Callable[[str, str], Any]:
    def read(platform: str, name: str) -> Any:
        return json.loads((FIXTURES / platform / "fixtures" / name).read_text(encoding="utf-8"))

    return read


@pytest.fixture
def running() -> Iterator[list[StreamListener]]:
    """Listeners a test started; stopped when it ends."""
    started: list[StreamListener] = []
    yield started
    for listener in started:
        listener.stop()


def drain(listener: StreamListener, want: int, seconds: float = 10.0) -> list[Batch]:
    """Fetch until `want` mentions plus deletions came back or `seconds` pass (never hangs)."""
    batches: list[Batch] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(RetryLater):  # between connections: the runtime waits too
            batches.append(listener.fetch(None))
        got = sum(len(b.mentions) + len(list_deleted(b)) for b in batches)
        if got >= want:
            break
        time.sleep(0.02)
    return batches


def first_retry_later(listener: Any, seconds: float = 10.0) -> RetryLater | None:
    """Fetch from a started listener until it raises RetryLater (returned), then stop it."""
    deadline = time.monotonic() + seconds
    error: RetryLater | None = None
    while error is None and time.monotonic() < deadline:
        try:
            listener.fetch(None)
            time.sleep(0.02)
        except RetryLater as exc:
            error = exc
    listener.stop()
    return error
