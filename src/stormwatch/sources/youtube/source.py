"""YouTube Data API v3 connector and publisher over plain HTTPS (requests); no Google client.

Reads commentThreads.list (order=time, top-level comments plus the replies the API embeds) or
search.list (type=video, order=date, publishedAfter). Paging follows `nextPageToken` up to
`max_pages`, newest first, stopping at the first item not newer than the cursor.

Cursor: {"newest_at": ISO time of the newest item returned, "ids_at_newest": [ids with that
exact time]}; an item is new when it is later, or equally late and not listed, so a restart
neither repeats nor skips. Edits keep the comment id (the text and `updatedAt` change) but the
API does not move an edited comment to the top, so edits are seen only if re-read. Deleted
comments vanish from the API; nothing reports them.

Quota (10,000 units a day by default): a list call costs 1 unit, search.list 100,
comments.insert 50. 403 quotaExceeded -> RetryLater at the next midnight Pacific time (when
Google resets quotas); 429 -> RetryLater using Retry-After.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests

from stormwatch.core.clock import Clock
from stormwatch.core.errors import RetryLater, StormwatchError
from stormwatch.mentions.canonical import AuthorRef, CanonicalMention
from stormwatch.sources.contract import Batch, Cursor, SkippedItem
from stormwatch.sources.publish import PublishedPost, PublishError, PublishRequest
from stormwatch.sources.youtube.config import YouTubeConfig

PACIFIC = ZoneInfo("America/Los_Angeles")


class YouTubeSource:
    kind = "youtube"

    def __init__(self, config: YouTubeConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock

    def fetch(self, cursor: Cursor | None) -> Batch:
        """Items newer than the cursor (or within `backfill`); RetryLater on 429 / quota."""
        now = self.clock.now()
        since = _parse_time(cursor["newest_at"]) if cursor else now - self.config.backfill
        known = set(cursor.get("ids_at_newest", [])) if cursor else set()
        mentions: list[CanonicalMention] = []
        skipped: list[SkippedItem] = []
        raw: dict[str, dict[str, Any]] = {}
        page_token = ""
        with requests.Session() as session:
            for _ in range(self.config.max_pages):
                body = self._list(session, page_token, since, now)
                done = self._map_page(body, since, known, (mentions, skipped, raw))
                page_token = body.get("nextPageToken", "")
                if done or not page_token:
                    break
        return Batch(
            mentions, advance(cursor, mentions), now + self.config.poll_every, skipped, raw
        )

    def _map_page(
        self, body: dict[str, Any], since: datetime, known: set[str], out: tuple[Any, Any, Any]
    ) -> bool:
        """Append new items; True once an item not newer than the cursor is met."""
        mentions, skipped, raw = out
        for index, item in enumerate(body.get("items", [])):
            try:
                found = (
                    map_search_result(item) if self.config.mode == "search" else map_thread(item)
                )
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                ref = (
                    str(item.get("id", f"item #{index}"))
                    if isinstance(item, dict)
                    else f"item #{index}"
                )
                skipped.append(SkippedItem(ref, f"malformed item: {exc!r}"))
                continue
            if found[0].created_at < since:
                return True
            fresh = [
                m
                for m in found
                if m.created_at > since or (m.created_at == since and m.id not in known)
            ]
            mentions.extend(fresh)
            raw.update({m.id: item for m in fresh})
        return False

    def _list(
        self, session: requests.Session, page_token: str, since: datetime, now: datetime
    ) -> Any:
        if self.config.mode == "search":
            path = "search"
            params = {
                "part": "snippet",
                "type": "video",
                "order": "date",
                "q": self.config.query,
                "maxResults": 50,
                "publishedAfter": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        else:
            path = "commentThreads"
            params = {
                "part": "snippet,replies",
                "order": "time",
                "maxResults": 100,
                "textFormat": "plainText",
            }
            if self.config.mode == "video_comments":
                params["videoId"] = self.config.video_id
            else:
                params["allThreadsRelatedToChannelId"] = self.config.channel_id
        if page_token:
            params["pageToken"] = page_token
        return call(session, self.config, "GET", path, params, None, now)


def call(
    session: requests.Session,
    config: YouTubeConfig,
    method: str,
    path: str,
    params: dict[str, Any],
    body: dict[str, Any] | None,
    now: datetime,
) -> Any:
    """One API call; raises RetryLater on 429/5xx/quota, StormwatchError on other errors."""
    headers = {"Accept": "application/json"}
    if config.oauth_token is not None:
        headers["Authorization"] = "Bearer " + config.oauth_token.get_secret_value()
    elif config.api_key is not None:
        params = {**params, "key": config.api_key.get_secret_value()}
    url = config.api_base_url.rstrip("/") + "/" + path
    response = session.request(
        method, url, params=params, json=body, headers=headers, timeout=config.timeout_seconds
    )
    # A 5xx on a POST leaves the outcome unknown, so only reads turn it into RetryLater.
    if response.status_code == 429 or (response.status_code >= 500 and method == "GET"):
        raise RetryLater(
            _retry_after(response.headers, now), f"YouTube HTTP {response.status_code}"
        )
    if response.status_code >= 400:
        reasons = _reasons(response)
        if reasons & {"quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"}:
            raise RetryLater(next_quota_reset(now), "YouTube quota exceeded")
        raise YouTubeError(response.status_code, ", ".join(sorted(reasons)) or response.text[:200])
    return response.json()


class YouTubeError(StormwatchError):
    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        super().__init__(f"YouTube HTTP {status}: {reason}")


def advance(cursor: Cursor | None, mentions: list[CanonicalMention]) -> Cursor:
    if not mentions:
        return dict(cursor or {})
    newest = max(m.created_at for m in mentions)
    ids = [m.id for m in mentions if m.created_at == newest]
    if cursor and _parse_time(cursor["newest_at"]) == newest:
        ids = sorted(set(ids) | set(cursor.get("ids_at_newest", [])))
    return {"newest_at": newest.isoformat(), "ids_at_newest": ids}


def map_thread(thread: dict[str, Any]) -> list[CanonicalMention]:
    """A commentThread -> its top-level comment, then the embedded replies (parent = thread)."""
    top = thread["snippet"]["topLevelComment"]
    first = map_comment(top, parent_id="", replies=thread["snippet"].get("totalReplyCount"))
    replies = [
        map_comment(c, parent_id=top["id"]) for c in thread.get("replies", {}).get("comments", [])
    ]
    return [first, *replies]


def map_comment(comment: dict[str, Any], parent_id: str, replies: Any = None) -> CanonicalMention:
    snippet = comment["snippet"]
    video = snippet.get("videoId", "")
    metrics = {"likes": snippet.get("likeCount"), "replies": replies}
    return CanonicalMention(
        id=str(comment["id"]),
        platform="youtube",
        text=str(snippet.get("textOriginal") or snippet["textDisplay"]),
        created_at=_parse_time(snippet["publishedAt"]),
        author=AuthorRef(
            handle=str(snippet["authorDisplayName"]).lstrip("@"),
            name=str(snippet["authorDisplayName"]),
        ),
        url=f"https://www.youtube.com/watch?v={video}&lc={comment['id']}" if video else "",
        metrics={k: v for k, v in metrics.items() if isinstance(v, int) and v >= 0},
        parent_id=parent_id,
    )


def map_search_result(item: dict[str, Any]) -> list[CanonicalMention]:
    snippet = item["snippet"]
    video = str(item["id"]["videoId"])
    return [
        CanonicalMention(
            id=video,
            platform="youtube",
            text=str(snippet.get("description", "")),
            created_at=_parse_time(snippet["publishedAt"]),
            author=AuthorRef(
                handle=str(snippet["channelId"]), name=str(snippet.get("channelTitle", ""))
            ),
            url=f"https://www.youtube.com/watch?v={video}",
            title=str(snippet.get("title", ""))[:1000],
        )
    ]


def next_quota_reset(now: datetime) -> datetime:
    """Google resets YouTube quotas at midnight Pacific time."""
    local = now.astimezone(PACIFIC)
    midnight = datetime(local.year, local.month, local.day, tzinfo=PACIFIC) + timedelta(days=1)
    return midnight.astimezone(UTC)


def _reasons(response: requests.Response) -> set[str]:
    try:
        errors = response.json().get("error", {}).get("errors", [])
    except ValueError:
        return set()
    return {str(e.get("reason")) for e in errors if isinstance(e, dict)}


def _retry_after(headers: Any, now: datetime) -> datetime:
    value = str(headers.get("Retry-After", "")).strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        return parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return now + timedelta(minutes=1)


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


class YouTubePublisher:
    """Replies to a comment or thread with comments.insert (needs the OAuth token)."""

    kind = "youtube"

    def __init__(self, config: YouTubeConfig, clock: Clock) -> None:
        if config.oauth_token is None:
            raise ValueError("replying on YouTube needs an OAuth token")
        self.config = config
        self.clock = clock

    def publish(self, request: PublishRequest) -> PublishedPost:
        if not request.in_reply_to:
            raise PublishError("YouTube can only reply to a comment here", permanent=True)
        body = {"snippet": {"parentId": request.in_reply_to, "textOriginal": request.text}}
        now = self.clock.now()
        try:
            with requests.Session() as session:
                made = call(
                    session, self.config, "POST", "comments", {"part": "snippet"}, body, now
                )
        except YouTubeError as exc:
            if exc.status >= 500:
                raise  # outcome unknown: keep the idempotency claim
            raise PublishError(str(exc), permanent=True) from exc
        comment = map_comment(made, parent_id=request.in_reply_to)
        url = comment.url or (
            f"https://www.youtube.com/watch?v={self.config.video_id}&lc={comment.id}"
            if self.config.video_id
            else ""
        )
        return PublishedPost("youtube", comment.id, url, comment.created_at)
