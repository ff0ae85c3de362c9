"""Search and notifications need an AppView, which cannot run here: the real atproto client
talks HTTP to a local server that answers with payloads in the documented lexicon format."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from pydantic import SecretStr

from stormwatch.core.errors import RetryLater
from stormwatch.sources.bluesky import BlueskyConfig, BlueskyMentionsSource, BlueskySearchSource

PAYLOADS = Path(__file__).resolve().parent / "payloads"
NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


def fake_jwt(scope: str) -> str:
    """A session token of the right shape; the client reads its claims, never its signature."""

    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    claims = {"scope": scope, "sub": "did:plc:stormbankstormbankstormb", "iat": 0}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims | {'exp': 4102444800})}.c2ln"


class AppView(BaseHTTPRequestHandler):
    """Answers createSession, searchPosts and listNotifications; records each query."""

    queries: ClassVar[list[tuple[str, dict[str, list[str]]]]] = []
    status: ClassVar[int] = 200

    def do_GET(self) -> None:
        url = urlparse(self.path)
        method = url.path.rsplit("/", 1)[-1]
        AppView.queries.append((method, parse_qs(url.query)))
        files = {
            "app.bsky.feed.searchPosts": "search_posts.json",
            "app.bsky.notification.listNotifications": "list_notifications.json",
        }
        if AppView.status != 200:
            self._reply(AppView.status, {"error": "RateLimitExceeded", "message": "slow down"})
        elif method in files:
            self._reply(200, json.loads((PAYLOADS / files[method]).read_text("utf-8")))
        else:
            self._reply(404, {"error": "MethodNotImplemented"})

    def do_POST(self) -> None:
        session = {
            "did": "did:plc:stormbankstormbankstormb",
            "handle": "stormbank.bsky.social",
            "accessJwt": fake_jwt("com.atproto.access"),
            "refreshJwt": fake_jwt("com.atproto.refresh"),
        }
        self._reply(200, session)

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output clean


@pytest.fixture
def appview() -> Iterator[str]:
    """A local AppView stand-in; yields its base URL."""
    AppView.queries, AppView.status = [], 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), AppView)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    for source in OPEN:
        source.close()
    OPEN.clear()
    server.shutdown()
    server.server_close()
    thread.join(5)


OPEN: list[BlueskySearchSource | BlueskyMentionsSource] = []


def search(url: str, max_pages: int = 5) -> BlueskySearchSource:
    source = BlueskySearchSource(config(url), clock=FixedClock(), max_pages=max_pages)
    OPEN.append(source)
    return source


def config(url: str) -> BlueskyConfig:
    return BlueskyConfig(
        service_url=url,
        handle="stormbank.bsky.social",
        app_password=SecretStr("app-pass-word"),
        terms=("Stormbank",),
    )


def test_search_maps_post_views_to_mentions_with_metrics_and_replies(appview: str) -> None:
    source = search(appview, max_pages=1)

    batch = source.fetch(None)

    first, second = batch.mentions
    assert first.id == "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3lbgqwjkv2c2x"
    assert first.url == "https://bsky.app/profile/anna.bsky.social/post/3lbgqwjkv2c2x"
    assert first.author is not None and first.author.name == "Anna Kowalska"
    assert first.metrics == {"likes": 11, "shares": 3, "replies": 4}
    assert first.lang == "pl"
    assert first.created_at == datetime(2025, 5, 1, 9, 58, 12, 345000, tzinfo=UTC)
    assert second.parent_id == first.id and second.lang == "en"
    assert batch.cursor == {"since": "2025-05-01T10:01:02.500000+00:00"}
    assert set(batch.raw) == {first.id, second.id}


def test_search_asks_for_the_latest_posts_since_the_backfill_start(appview: str) -> None:
    search(appview, max_pages=1).fetch(None)

    method, query = AppView.queries[-1]
    assert method == "app.bsky.feed.searchPosts"
    assert query["q"] == ["stormbank"] and query["sort"] == ["latest"]
    since = datetime.fromisoformat(query["since"][0].replace("Z", "+00:00"))
    assert since == NOW - timedelta(days=1) - timedelta(minutes=5)


def test_search_follows_the_page_cursor_up_to_the_page_limit(appview: str) -> None:
    search(appview, max_pages=2).fetch(None)

    pages = [q.get("cursor") for m, q in AppView.queries if m == "app.bsky.feed.searchPosts"]
    assert pages == [None, ["2"]]


def test_mentions_keep_posts_that_mention_or_reply_and_drop_likes_and_old_items(
    appview: str,
) -> None:
    source = BlueskyMentionsSource(config(appview), clock=FixedClock())
    OPEN.append(source)

    batch = source.fetch({"since": "2025-05-01T00:00:00+00:00"})

    assert [m.id for m in batch.mentions] == [
        "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3lbh2qq3yzz2a"
    ]
    assert batch.mentions[0].text.startswith("@stormbank.bsky.social kiedy")
    assert batch.cursor == {"since": "2025-05-01T11:00:01+00:00"}
    assert len(AppView.queries) == 1  # one page: the rest is older than the cursor


def test_a_rate_limit_asks_the_runtime_to_retry_later(appview: str) -> None:
    source = search(appview)
    AppView.status = 429

    with pytest.raises(RetryLater) as caught:
        source.fetch(None)

    assert caught.value.after == NOW + timedelta(minutes=5)
