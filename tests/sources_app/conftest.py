"""A local RSS feed server for the sources app tests, dated from the test clock or the real one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import format_datetime

import pytest
from tests.localhttp import LocalServer

from stormwatch.core.clock import SystemClock
from stormwatch.testing import TEST_NOW_ISO, rss_feed

NOW = datetime.fromisoformat(TEST_NOW_ISO)
FEED_PATH = "/feed.xml"


def feed_items(count: int, *, start: int = 0, now: datetime = NOW) -> list[tuple[str, str, str]]:
    """Items item-<start>..item-<start+count-1>, newest (highest n) first, a minute apart."""
    return [
        (
            f"item-{n}",
            f"Awaria aplikacji Nordbanku numer {n}",
            format_datetime(now - timedelta(minutes=200 - n)),
        )
        for n in range(start + count - 1, start - 1, -1)
    ]


def serve_feed(server: LocalServer, items: list[tuple[str, str, str]]) -> None:
    server.route("GET", FEED_PATH, (200, rss_feed(items), {"Content-Type": "application/rss+xml"}))


@pytest.fixture
def feed_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        serve_feed(server, feed_items(3))
        yield server


@pytest.fixture
def recent_feed_server(feed_server: LocalServer) -> LocalServer:
    """The feed dated from the real clock, for front doors that fetch with the system clock."""
    serve_feed(feed_server, feed_items(3, now=SystemClock().now()))
    return feed_server
