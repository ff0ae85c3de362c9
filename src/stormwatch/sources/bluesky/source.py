"""Polling Bluesky through the AppView: post search and the account's notifications.

Both need an AppView, so they work against bsky.social (or a PDS that proxies app.bsky calls),
not against a bare PDS. The live stream is `firehose.BlueskyFirehoseListener`.

Cursor semantics (both sources): `{"since": ISO-8601}`, the newest index time already returned.
Each fetch asks for posts from `since - OVERLAP` on, newest first, for at most `max_pages` pages.
The overlap re-delivers a few posts (harmless: mentions upsert on their at:// URI) so that posts
indexed late are not skipped. A first fetch starts `config.backfill` before now.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from atproto import Client
from atproto_client.exceptions import AtProtocolError, RequestErrorBase

from stormwatch.core.clock import Clock, SystemClock
from stormwatch.core.errors import InvalidItem, RetryLater
from stormwatch.mentions.canonical import CanonicalMention
from stormwatch.sources.bluesky.config import BlueskyConfig
from stormwatch.sources.bluesky.records import (
    mention_from_notification,
    mention_from_post_view,
    parse_record_time,
)
from stormwatch.sources.contract import Batch, Cursor, SkippedItem

OVERLAP = timedelta(minutes=5)
POLL_EVERY = timedelta(minutes=2)
RATE_LIMIT_WAIT = timedelta(minutes=5)
MENTION_REASONS = frozenset({"mention", "reply", "quote"})


class _Collector:
    """Accumulates mapped mentions, skipped items and the newest index time of one fetch."""

    def __init__(self, since: datetime) -> None:
        self.mentions: dict[str, CanonicalMention] = {}
        self.raw: dict[str, dict[str, Any]] = {}
        self.skipped: list[SkippedItem] = []
        self.newest = since

    def add(self, payload: dict[str, Any], mention_of: Any) -> None:
        uri = str(payload.get("uri", ""))
        indexed_at = parse_record_time(payload.get("indexedAt"))
        if indexed_at is not None and indexed_at > self.newest:
            self.newest = indexed_at
        try:
            mention = mention_of(payload)
        except InvalidItem as exc:
            self.skipped.append(SkippedItem(uri or "(no uri)", str(exc)))
            return
        self.mentions[mention.id] = mention
        self.raw[mention.id] = payload

    def batch(self, wake_at: datetime) -> Batch:
        return Batch(
            mentions=list(self.mentions.values()),
            cursor={"since": self.newest.isoformat()},
            wake_at=wake_at,
            skipped=self.skipped,
            raw=self.raw,
        )


class _AppViewSource:
    """Shared login, cursor and error handling of the polling sources."""

    def __init__(
        self,
        config: BlueskyConfig,
        *,
        clock: Clock | None = None,
        client: Client | None = None,
        max_pages: int = 5,
    ) -> None:
        self._config = config
        self._clock = clock or SystemClock()
        self._client = client or Client(base_url=config.xrpc_url)
        self._max_pages = max_pages
        self._logged_in = False

    def close(self) -> None:
        """Close the HTTP connections; the source must not be used afterwards."""
        self._client.request.close()

    def fetch(self, cursor: Cursor | None) -> Batch:
        """Posts indexed since the cursor; raises RetryLater on rate limits and outages."""
        now = self._clock.now()
        since = _since_of(cursor) or now - self._config.backfill
        collector = _Collector(since)
        try:
            self._ensure_session()
            for payload in self._payloads(since - OVERLAP):
                self._collect(collector, payload)
        except AtProtocolError as exc:
            raise self._retry_later(exc, now) from exc
        return collector.batch(now + POLL_EVERY)

    def _payloads(self, since: datetime) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def _collect(self, collector: _Collector, payload: dict[str, Any]) -> None:
        raise NotImplementedError

    def _ensure_session(self) -> None:
        if self._logged_in or self._config.app_password is None:
            return
        self._client.login(
            self._config.handle,
            self._config.app_password.get_secret_value(),
            fetch_bsky_profile=False,
        )
        self._logged_in = True

    def _retry_later(self, exc: AtProtocolError, now: datetime) -> RetryLater:
        status = 0
        if isinstance(exc, RequestErrorBase) and exc.response is not None:
            status = exc.response.status_code
        wait = RATE_LIMIT_WAIT if status == 429 else POLL_EVERY
        return RetryLater(now + wait, f"Bluesky {status or 'unreachable'}: {exc}")


class BlueskySearchSource(_AppViewSource):
    """app.bsky.feed.searchPosts for each monitor term (sort=latest)."""

    kind = "bluesky_search"

    def _payloads(self, since: datetime) -> Iterator[dict[str, Any]]:
        for term in self._config.monitor_needles():
            page: str | None = None
            for _ in range(self._max_pages):
                params: dict[str, Any] = {"q": term, "sort": "latest", "since": _iso(since)}
                params["limit"] = self._config.search_limit
                if page:
                    params["cursor"] = page
                response = self._client.app.bsky.feed.search_posts(params)
                body = response.model_dump(by_alias=True)
                yield from body.get("posts") or []
                page = body.get("cursor")
                if not page:
                    break

    def _collect(self, collector: _Collector, payload: dict[str, Any]) -> None:
        collector.add(payload, mention_from_post_view)


class BlueskyMentionsSource(_AppViewSource):
    """app.bsky.notification.listNotifications: mentions, replies and quotes of the account."""

    kind = "bluesky_mentions"

    def _payloads(self, since: datetime) -> Iterator[dict[str, Any]]:
        page: str | None = None
        for _ in range(self._max_pages):
            params: dict[str, Any] = {"limit": self._config.search_limit}
            if page:
                params["cursor"] = page
            body = self._client.app.bsky.notification.list_notifications(params).model_dump(
                by_alias=True
            )
            items = body.get("notifications") or []
            times = [parse_record_time(i.get("indexedAt")) for i in items]
            yield from (i for i, t in zip(items, times, strict=True) if t is None or t >= since)
            page = body.get("cursor")
            if not page or any(t is not None and t < since for t in times):
                break  # newest first: everything further is older than the cursor

    def _collect(self, collector: _Collector, payload: dict[str, Any]) -> None:
        if payload.get("reason") in MENTION_REASONS:
            collector.add(payload, mention_from_notification)


def _since_of(cursor: Cursor | None) -> datetime | None:
    if not cursor or not cursor.get("since"):
        return None
    parsed = parse_record_time(cursor["since"])
    if parsed is None:
        raise ValueError(f"bad Bluesky cursor: {cursor!r}")
    return parsed


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")
