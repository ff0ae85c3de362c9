"""Stream tests: real local HTTP servers (tests.localhttp) that keep stream responses open.

The production clients (Mastodon.py, tweepy) connect to them unchanged.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.localhttp import LocalServer

from stormwatch.core.errors import RetryLater

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
