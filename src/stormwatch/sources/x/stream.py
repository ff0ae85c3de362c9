"""Listening to X's filtered stream (API v2, GET /2/tweets/search/stream) with tweepy.

The filtered stream needs a paid API tier (see docs/sources.md). `XFilteredStreamListener` first
makes the app's stream rules tagged `rule_tag` equal the rules built from the config terms
(`sync_rules`: deletes stale ones, adds missing ones, idempotent; rules of other tags are left
alone), then keeps one `StreamingClient.filter` connection open in a background thread (see
`sources/streaming.py`). Each line `{"data", "includes", "matching_rules"}` maps with the
recent-search connector's `map_page`; lines matched only by other tags' rules are ignored.

tweepy's own reconnect loop sleeps up to minutes and ignores reset headers, so the listener
ends tweepy's loop on any error and reconnects itself: with backoff, and on HTTP 429 not before
`x-rate-limit-reset`, reporting the limit through `fetch`. Blank keep-alive lines (every 20 s)
reset nothing. tweepy hard-codes https://api.twitter.com: `RebasedSession` points it at
`api_base_url` (tests use a local server).

Cursor: {"since_id": newest post id returned}, the recent-search cursor. The stream cannot
replay (only Enterprise tiers have `backfill_minutes`), so each time a connection opens the
listener first pages recent search (`XSource` with `polling_config()`) forward from the cursor,
while the stream's posts wait in the socket, and then reads the stream; the seen-set drops the
overlap. A new source (no cursor) first reads recent search's first-start window (`backfill`,
at most the 7 days recent search covers). A 429 from recent search is reported like the
stream's own.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import requests
import tweepy
from pydantic import Field, SecretStr

from stormwatch.core.clock import Clock, SystemClock
from stormwatch.sources.contract import Cursor
from stormwatch.sources.secrets import SourceConfig
from stormwatch.sources.streaming import (
    RateLimited,
    StreamItem,
    StreamListener,
    StreamSettings,
    shut_down,
)
from stormwatch.sources.x.config import X_API_BASE_URL, XConfig
from stormwatch.sources.x.source import (
    TWEET_FIELDS,
    USER_FIELDS,
    RebasedSession,
    XSource,
    _reset_at,
    map_page,
)


class XStreamConfig(SourceConfig):
    bearer_token: SecretStr = Field(description="App-only bearer token (paid API tier).")
    terms: tuple[str, ...] = Field(min_length=1, description="Words or phrases to match.")
    rule_suffix: str = Field(
        default="", max_length=200, description="Operators added to every rule, e.g. lang:pl."
    )
    rule_tag: str = Field(default="stormwatch", min_length=1, max_length=100)
    max_rule_length: int = Field(default=512, ge=32, le=4096, description="512 on Basic/Pro.")
    api_base_url: str = Field(default=X_API_BASE_URL, pattern=r"^https?://")
    read_timeout_seconds: float = Field(default=30.0, gt=0, description="Keep-alives: 20 s.")
    reconnect_min: timedelta = timedelta(seconds=1)
    reconnect_max: timedelta = timedelta(minutes=5)
    queue_size: int = Field(default=10_000, ge=1, le=1_000_000)
    batch_size: int = Field(default=500, ge=1, le=10_000)
    seen_size: int = Field(default=50_000, ge=100, le=10_000_000)
    user_access_token: SecretStr | None = Field(
        default=None, description="OAuth 2.0 user-context token, needed only to reply."
    )

    def rules(self) -> list[str]:
        """The terms OR-ed into as few rules as fit `max_rule_length` (phrases quoted)."""
        suffix = f" {self.rule_suffix.strip()}" if self.rule_suffix.strip() else ""
        quoted = [f'"{t.strip()}"' if " " in t.strip() else t.strip() for t in self.terms]
        rules: list[str] = []
        group: list[str] = []
        for term in (t for t in quoted if t):
            if group and len(_rule([*group, term], suffix)) > self.max_rule_length:
                rules.append(_rule(group, suffix))
                group = []
            group.append(term)
        if group:
            rules.append(_rule(group, suffix))
        return rules

    def polling_config(self) -> XConfig:
        """The equivalent recent-search config: tests the token, backfills, publishes."""
        return XConfig(
            bearer_token=self.bearer_token,
            query=" OR ".join(f"({r})" for r in self.rules())[:4096],
            api_base_url=self.api_base_url,
            user_access_token=self.user_access_token,
            backfill=self.backfill,
        )


def _rule(terms: list[str], suffix: str) -> str:
    body = " OR ".join(terms)
    return f"({body}){suffix}" if len(terms) > 1 and suffix else f"{body}{suffix}"


class _RecordingRebasedSession(RebasedSession):
    """Keeps the last response (to shut a stream down) and its headers (for 429 resets)."""

    last: requests.Response | None = None

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        response = super().request(method, url, *args, **kwargs)
        self.last = response
        return response


def sync_rules(client: tweepy.StreamingClient, config: XStreamConfig) -> list[str]:
    """Make the app's rules tagged `rule_tag` equal `config.rules()`; returns their ids."""
    listed = client.get_rules().json().get("data") or []
    ours = {r["value"]: str(r["id"]) for r in listed if r.get("tag") == config.rule_tag}
    wanted = config.rules()
    stale = [rule_id for value, rule_id in ours.items() if value not in wanted]
    if stale:
        client.delete_rules(stale)
    missing = [tweepy.StreamRule(v, tag=config.rule_tag) for v in wanted if v not in ours]
    ids = [rule_id for value, rule_id in ours.items() if value in wanted]
    if missing:
        added = client.add_rules(missing).json()
        errors = added.get("errors") or []
        if errors and not added.get("data"):
            raise ValueError(f"X refused the stream rules: {errors}")
        ids += [str(r["id"]) for r in added.get("data") or []]
    return ids


class XFilteredStreamListener(StreamListener):
    """Live posts matching the config's rules on X's filtered stream."""

    kind = "x_stream"
    cursor_key = "since_id"

    def __init__(self, config: XStreamConfig, *, clock: Clock | None = None) -> None:
        super().__init__(StreamSettings.of(config), clock or SystemClock())
        self._config = config
        self._client: tweepy.StreamingClient | None = None

    def _polling_source(self) -> XSource:
        return XSource(self._config.polling_config(), self._clock)

    def _connect_once(self, cursor: Cursor | None) -> None:
        client = _Client(self)
        self._client = client
        session = client.session
        assert isinstance(session, _RecordingRebasedSession)
        try:
            sync_rules(client, self._config)
        except tweepy.TooManyRequests as exc:
            until = _reset_at(exc.response.headers, self._clock.now())
            raise RateLimited(until, "X rate limit (stream rules)") from exc
        if self._stopping.is_set():
            return
        client.filter(
            expansions=["author_id"],
            tweet_fields=TWEET_FIELDS,
            user_fields=USER_FIELDS,
        )
        if client.limited is not None:
            raise client.limited
        if client.refused == 429:
            headers = session.last.headers if session.last is not None else {}
            raise RateLimited(_reset_at(headers, self._clock.now()), "X rate limit (stream)")
        if client.refused or client.problem:
            raise ConnectionError(client.problem or f"X stream refused: HTTP {client.refused}")

    def _interrupt(self) -> None:
        client = self._client
        if client is not None:
            client.running = False
            session: Any = client.session
            if isinstance(session, _RecordingRebasedSession) and session.last is not None:
                shut_down(session.last)

    def _on_line(self, body: dict[str, Any]) -> None:
        tags = {r.get("tag") for r in body.get("matching_rules") or [] if isinstance(r, dict)}
        if tags and self._config.rule_tag not in tags:
            return  # matched only another source's rules on the same app
        data = body.get("data")
        page = {**body, "data": [data] if isinstance(data, dict) else []}
        mentions, skipped, raw = map_page(page)
        for mention in mentions:
            tweet = raw[mention.id]
            item = StreamItem(mention=mention, raw=tweet, position=str(tweet["id"]))
            self._emit(item, str(tweet["id"]))
        for problem in skipped:
            self._emit(StreamItem(skipped=problem))


class _Client(tweepy.StreamingClient):  # type: ignore[misc]  # tweepy is untyped
    """tweepy's client whose callbacks end its own retry loop and feed the listener."""

    def __init__(self, owner: XFilteredStreamListener) -> None:
        config = owner._config
        super().__init__(
            config.bearer_token.get_secret_value(), return_type=requests.Response, max_retries=0
        )
        self.session.close()
        self.session: requests.Session = _RecordingRebasedSession(config.api_base_url)
        self._owner = owner
        self.refused = 0
        self.problem = ""
        self.limited: RateLimited | None = None  # recent search refused the backfill

    def _connect(self, method: str, endpoint: str, **kwargs: Any) -> None:
        kwargs["timeout"] = self._owner._config.read_timeout_seconds
        super()._connect(method, endpoint, **kwargs)

    def on_connect(self) -> None:
        self._owner._mark_connected()
        try:
            self._owner._backfill_gap()
        except RateLimited as exc:  # tweepy would swallow it: end the loop and re-raise it
            self.limited = exc
            self.running = False

    def on_data(self, raw_data: bytes) -> None:
        self._owner._on_line(json.loads(raw_data))

    def on_keep_alive(self) -> None:
        return None

    def on_request_error(self, status_code: int) -> None:
        self.refused = status_code
        self.running = False  # no sleeping inside tweepy: the listener backs off

    def on_connection_error(self) -> None:
        self.problem = "X stream connection error or timeout"
        self.running = False

    def on_exception(self, exception: Exception) -> None:
        self.problem = f"{type(exception).__name__}: {exception}"

    def on_closed(self, response: Any) -> None:
        self.problem = "X closed the stream"
