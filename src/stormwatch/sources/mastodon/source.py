"""Mastodon connector and publisher on Mastodon.py (REST polling; paging by Link headers).

Cursor: {"min_id": newest id already returned}. With a cursor, the stream is read forward with
`min_id` and then Link rel="prev" pages (oldest unseen first, no gap), up to `max_pages`; when
that cap stops it early, `wake_at` is now so the runtime calls again at once. Without a cursor
(first start) it pages backwards from the newest item with Link rel="next" until items are older
than `backfill` or `max_pages` is reached. Ids compare by length then text, as Mastodon advises.

Edits keep their id (and carry `edited_at`), so the upsert updates the mention. Deletions are not
visible when polling (deleted statuses just vanish); `map_delete_event` turns a streaming
`delete` event into a deleted id for the runtime. For notifications, the cursor follows
notification ids and each mention notification yields its status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from mastodon import Mastodon, MastodonAPIError, MastodonRatelimitError, MastodonServerError

from stormwatch.core.clock import Clock
from stormwatch.core.errors import RetryLater
from stormwatch.mentions.canonical import AuthorRef, CanonicalMention
from stormwatch.sources.contract import Batch, Cursor, SkippedItem
from stormwatch.sources.mastodon.config import MastodonConfig
from stormwatch.sources.publish import PublishedPost, PublishError, PublishRequest

_BREAKS = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


class MastodonSource:
    kind = "mastodon"

    def __init__(self, config: MastodonConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock

    def fetch(self, cursor: Cursor | None) -> Batch:
        """One poll of the configured stream; raises RetryLater on HTTP 429."""
        now = self.clock.now()
        min_id = (cursor or {}).get("min_id")
        with _RecordingSession() as session:
            api = _client(self.config, session)
            try:
                pages, more = self._read(api, min_id, now - self.config.backfill)
            except MastodonRatelimitError as exc:
                raise RetryLater(_reset_at(session, now), "Mastodon rate limit") from exc
            except MastodonServerError as exc:
                raise RetryLater(now + timedelta(minutes=1), f"Mastodon: {exc}") from exc
        items = [item for page in pages for item in page]
        batch = _map_items(items, self.config, self.instance_host, min_id)
        mentions, skipped, raw, newest = batch
        since = now - self.config.backfill if min_id is None else None
        if since is not None:
            mentions = [m for m in mentions if m.created_at >= since]
        wake_at = now if more else now + self.config.poll_every
        return Batch(mentions, {"min_id": newest} if newest else {}, wake_at, skipped, raw)

    @property
    def instance_host(self) -> str:
        return urlsplit(self.config.api_base_url).hostname or ""

    def _call(self, api: Mastodon, **paging: Any) -> Any:
        size = self.config.page_size
        if self.config.stream == "hashtag":
            tag = self.config.query.lstrip("#")
            return api.timeline_hashtag(tag, local=self.config.local_only, limit=size, **paging)
        if self.config.stream == "public":
            return api.timeline_public(local=self.config.local_only, limit=size, **paging)
        if self.config.stream == "notifications":
            return api.notifications(types=["mention"], limit=size, **paging)
        # Paging by min_id makes Mastodon.py read the instance version first (/api/v1/instance).
        # exclude_unreviewed only filters hashtags, so it is off to spare a second check.
        found = api.search_v2(
            self.config.query,
            result_type="statuses",
            limit=size,
            exclude_unreviewed=False,
            **paging,
        )
        return found["statuses"]

    def _read(self, api: Mastodon, min_id: str | None, since: datetime) -> tuple[list[Any], bool]:
        """Pages read, and whether the page cap stopped a stream that has more."""
        page = self._call(api, min_id=min_id) if min_id else self._call(api)
        pages = [page]
        while page and len(page) >= self.config.page_size:
            if len(pages) >= self.config.max_pages:
                return pages, min_id is not None
            if min_id is None and _oldest_time(page) < since:
                break
            # Search answers carry no Link header: page forward by min_id ourselves.
            if self.config.stream == "search":
                page = self._call(api, min_id=max_id_of(page)) if min_id else []
            else:
                page = api.fetch_previous(page) if min_id else api.fetch_next(page)
            if not page:
                break
            pages.append(page)
        return pages, False


def _client(config: MastodonConfig, session: _RecordingSession) -> Mastodon:
    token = config.access_token.get_secret_value() if config.access_token else None
    return Mastodon(
        api_base_url=config.api_base_url,
        access_token=token,
        ratelimit_method="throw",  # never sleep inside fetch: the runtime reschedules
        version_check_mode="none",
        request_timeout=config.timeout_seconds,
        session=session,
    )


def _map_items(
    items: list[Any], config: MastodonConfig, host: str, min_id: str | None
) -> tuple[list[CanonicalMention], list[SkippedItem], dict[str, dict[str, Any]], str | None]:
    mentions: list[CanonicalMention] = []
    skipped: list[SkippedItem] = []
    raw: dict[str, dict[str, Any]] = {}
    newest = min_id
    for index, item in enumerate(items):
        item_id = str(item.get("id", "")) if isinstance(item, dict) else ""
        if item_id and (newest is None or id_key(item_id) > id_key(newest)):
            newest = item_id
        status = item.get("status") if config.stream == "notifications" else item
        try:
            mention = map_status(status, host)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            skipped.append(SkippedItem(item_id or f"item #{index}", f"malformed status: {exc!r}"))
            continue
        mentions.append(mention)
        raw[mention.id] = to_jsonable(status)
    return mentions, skipped, raw, newest


def map_status(status: Any, host: str) -> CanonicalMention:
    """A Mastodon Status entity -> mention (text is the HTML content as plain text)."""
    account = status["account"]
    acct = str(account["acct"])
    created_at = status["created_at"]
    if not isinstance(created_at, datetime):
        created_at = datetime.fromisoformat(str(created_at).replace("Z", "+00:00"))
    return CanonicalMention(
        id=str(status["id"]),
        platform="mastodon",
        text=html_to_text(str(status.get("content") or "")),
        created_at=created_at.astimezone(UTC),
        author=AuthorRef(
            handle=acct if "@" in acct else f"{acct}@{host}",
            name=str(account.get("display_name") or ""),
            followers=_count(account.get("followers_count")),
        ),
        url=str(status.get("url") or status.get("uri") or ""),
        lang=str(status.get("language") or "")[:16],
        metrics=_metrics(status),
        parent_id=str(status.get("in_reply_to_id") or ""),
        title=str(status.get("spoiler_text") or "")[:1000],
    )


def map_delete_event(payload: str) -> str:
    """The streaming API's `delete` event carries only the status id: the id to mark deleted."""
    return payload.strip()


def html_to_text(content: str) -> str:
    from html import unescape

    return unescape(_TAGS.sub("", _BREAKS.sub("\n", content))).strip()


def id_key(value: str) -> tuple[int, str]:
    return (len(value), value)


def max_id_of(items: list[Any]) -> str:
    return max((str(i["id"]) for i in items), key=id_key)


def to_jsonable(value: Any) -> dict[str, Any]:
    return dict(json.loads(json.dumps(value, default=_json_default)))


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _metrics(status: Any) -> dict[str, int]:
    pairs = {"likes": "favourites_count", "shares": "reblogs_count", "replies": "replies_count"}
    counts = {name: _count(status.get(key)) for name, key in pairs.items()}
    return {name: count for name, count in counts.items() if count is not None}


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _oldest_time(page: list[Any]) -> datetime:
    times = [s["created_at"] for s in page if isinstance(s.get("created_at"), datetime)]
    return min(times) if times else datetime.max.replace(tzinfo=UTC)


class _RecordingSession(requests.Session):
    """Keeps the last response's headers: Mastodon.py raises on 429 without the response."""

    def __init__(self) -> None:
        super().__init__()
        self.last_headers: Mapping[str, str] = {}

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = super().send(request, **kwargs)
        self.last_headers = response.headers
        return response


def _reset_at(session: _RecordingSession, now: datetime) -> datetime:
    """X-RateLimit-Reset: ISO 8601 (Mastodon) or epoch seconds (GoToSocial, Pleroma forks)."""
    value = str(session.last_headers.get("X-RateLimit-Reset", "")).strip()
    if value.isdigit():
        return datetime.fromtimestamp(int(value), tz=UTC)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return now + timedelta(minutes=5)


class MastodonPublisher:
    """Posts, replies and polls; sends the idempotency key as Mastodon's Idempotency-Key."""

    kind = "mastodon"

    def __init__(self, config: MastodonConfig, clock: Clock) -> None:
        if config.access_token is None:
            raise ValueError("publishing needs an access token")
        self.config = config
        self.clock = clock

    def publish(self, request: PublishRequest) -> PublishedPost:
        with _RecordingSession() as session:
            api = _client(self.config, session)
            try:
                poll = None
                if request.poll_options:
                    expires = request.poll_expires_in or timedelta(days=1)
                    poll = api.make_poll(list(request.poll_options), int(expires.total_seconds()))
                status = api.status_post(
                    request.text,
                    in_reply_to_id=request.in_reply_to or None,
                    poll=poll,
                    idempotency_key=request.idempotency_key,
                )
            except MastodonRatelimitError as exc:
                raise RetryLater(
                    _reset_at(session, self.clock.now()), "Mastodon rate limit"
                ) from exc
            except MastodonAPIError as exc:
                # Idempotency-Key makes a retry after a 5xx safe on Mastodon's side.
                raise PublishError(
                    f"Mastodon: {exc}", permanent=not isinstance(exc, MastodonServerError)
                ) from exc
        return PublishedPost(
            "mastodon", str(status["id"]), str(status["url"]), status["created_at"]
        )
