"""Reddit connector and publisher on praw (OAuth: read-only app, or a script app to reply).

Listings are read as raw JSON through `praw.Reddit.request` (praw's auth, session and error
mapping; our own `after` paging), so malformed children can be reported instead of turning into
lazy objects that fetch on attribute access.

Cursor: {"newest": {"t3": id36, "t1": id36}}: Reddit ids are base-36 counters, so an item is new
when its id is greater than the newest one already returned. A fetch pages back with `after`
until it meets a known id, an item older than `backfill` (first start) or `max_items`; if
`max_items` stops it first, the gap is reported in `skipped` (Reddit lists 1,000 items at most).

Edits keep the fullname (`t3_...`, `t1_...`) as id. Deleted and removed items (author
"[deleted]", text "[deleted]" / "[removed]") are not mentions: they are reported in `raw` as
{"deleted": true, ...} (see `stormwatch.sources.registry.list_deleted`). `refresh(ids)` re-reads
known items through /api/info to pick up later edits and deletions.

Rate limits: `LimitedRequestor` reads x-ratelimit-remaining / x-ratelimit-reset (seconds until
the window resets), raises RetryLater on 429 and removes those headers before prawcore sees
them, because prawcore would otherwise sleep to pace requests and a fetch must never sleep.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import praw
import prawcore
import requests

from stormwatch.core.clock import Clock
from stormwatch.core.errors import RetryLater
from stormwatch.mentions.canonical import AuthorRef, CanonicalMention
from stormwatch.sources.contract import Batch, Cursor, SkippedItem
from stormwatch.sources.publish import PublishedPost, PublishError, PublishRequest
from stormwatch.sources.reddit.config import RedditConfig

DELETED_TEXTS = ("[deleted]", "[removed]")
_RATE_HEADERS = ("x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset")


class RateWindow:
    """Shared with the requestor: when the current rate-limit window is used up, if it is."""

    def __init__(self) -> None:
        self.exhausted_until: datetime | None = None


class LimitedRequestor(prawcore.Requestor):
    """prawcore requestor that turns Reddit's rate-limit headers into RetryLater / wake_at."""

    def __init__(self, *, clock: Clock, window: RateWindow, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self.window = window

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> requests.Response:
        response = super().request(*args, timeout=timeout, **kwargs)
        reset_at = self.clock.now() + timedelta(seconds=_seconds(response.headers))
        if response.status_code == 429:
            raise RetryLater(reset_at, "Reddit rate limit")
        if response.headers.get("x-ratelimit-remaining", "").strip() in ("0", "0.0"):
            self.window.exhausted_until = reset_at
        for name in _RATE_HEADERS:
            response.headers.pop(name, None)
        return response


def _seconds(headers: Any) -> float:
    value = headers.get("x-ratelimit-reset") or headers.get("Retry-After") or "60"
    try:
        return max(float(value), 1.0)
    except ValueError:
        return 60.0


def make_reddit(
    config: RedditConfig, clock: Clock, window: RateWindow | None = None
) -> praw.Reddit:
    password = config.password.get_secret_value() if config.password else None
    return praw.Reddit(
        client_id=config.client_id,
        client_secret=config.client_secret.get_secret_value(),
        user_agent=config.user_agent,
        username=config.username or None,
        password=password,
        oauth_url=config.oauth_url,
        reddit_url=config.reddit_url,
        short_url=config.short_url,
        check_for_updates=False,
        check_for_async=False,
        timeout=round(config.timeout_seconds),
        requestor_class=LimitedRequestor,
        requestor_kwargs={"clock": clock, "window": window or RateWindow()},
    )


class RedditSource:
    kind = "reddit"

    def __init__(self, config: RedditConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock

    def fetch(self, cursor: Cursor | None) -> Batch:
        """New items since the cursor (or within `backfill`); raises RetryLater on HTTP 429."""
        now = self.clock.now()
        newest: dict[str, str] = dict((cursor or {}).get("newest", {}))
        since = now - self.config.backfill if not newest else None
        window = RateWindow()
        reddit = make_reddit(self.config, self.clock, window)
        children, reached = self._read(reddit, newest, since)
        batch = map_children(children, {"newest": newest}, now + self.config.poll_every)
        for child in children:
            data = child.get("data") if isinstance(child, dict) else None
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                kind = str(child.get("kind"))
                if _id36(data["id"]) > _id36(newest.get(kind, "0")):
                    newest[kind] = data["id"]
        if not reached and len(children) >= self.config.max_items:
            batch.skipped.append(
                SkippedItem("listing", "max_items reached; older new items not read")
            )
        wake_at = max(batch.wake_at or now, window.exhausted_until or now)
        return Batch(batch.mentions, {"newest": newest}, wake_at, batch.skipped, batch.raw)

    def refresh(self, ids: list[str]) -> Batch:
        """Re-read known fullnames (100 per call) to catch edits and deletions."""
        reddit = make_reddit(self.config, self.clock)
        children: list[Any] = []
        for start in range(0, len(ids), 100):
            body = reddit.request(
                method="GET",
                path="api/info",
                params={"id": ",".join(ids[start : start + 100]), "raw_json": 1},
            )
            children += body.get("data", {}).get("children", [])
        return map_children(children, {}, None)

    def _read(
        self, reddit: praw.Reddit, newest: dict[str, str], since: datetime | None
    ) -> tuple[list[Any], bool]:
        """Children newer than the cursor, newest first; and whether a known/old item was met."""
        path, params = self._listing()
        found: list[Any] = []
        after = None
        while len(found) < self.config.max_items:
            page_params = {**params, "limit": self.config.page_size, "raw_json": 1}
            if after:
                page_params["after"] = after
            data = reddit.request(method="GET", path=path, params=page_params).get("data", {})
            for child in data.get("children", []):
                if _is_known(child, newest, since):
                    return found, True
                found.append(child)
            after = data.get("after")
            if not after:
                return found, True
        return found, False

    def _listing(self) -> tuple[str, dict[str, Any]]:
        subs = "+".join(s.removeprefix("r/") for s in self.config.subreddits)
        if self.config.listing == "comments":
            return f"r/{subs}/comments", {}
        if self.config.listing == "search":
            return f"r/{subs}/search", {"q": self.config.query, "restrict_sr": 1, "sort": "new"}
        return f"r/{subs}/new", {}


def _is_known(child: Any, newest: dict[str, str], since: datetime | None) -> bool:
    data = child.get("data", {}) if isinstance(child, dict) else {}
    if not isinstance(data, dict):
        return False
    item_id = data.get("id")
    known = newest.get(str(child.get("kind")))
    if known and isinstance(item_id, str) and _id36(item_id) <= _id36(known):
        return True
    created = data.get("created_utc")
    return since is not None and isinstance(created, int | float) and created < since.timestamp()


def _id36(value: str) -> int:
    try:
        return int(value, 36)
    except ValueError:
        return -1


def map_children(children: list[Any], cursor: Cursor, wake_at: datetime | None) -> Batch:
    """Listing children -> mentions; deleted ones go to `raw` flagged, malformed to `skipped`."""
    mentions: list[CanonicalMention] = []
    skipped: list[SkippedItem] = []
    raw: dict[str, dict[str, Any]] = {}
    for index, child in enumerate(children):
        try:
            data = child["data"]
            fullname = f"{child['kind']}_{data['id']}"
            if _is_deleted(data):
                raw[fullname] = {"deleted": True, "payload": child}
                continue
            mention = map_thing(child["kind"], data)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            skipped.append(SkippedItem(_reference(child, index), f"malformed item: {exc!r}"))
            continue
        mentions.append(mention)
        raw[mention.id] = child
    return Batch(mentions, cursor, wake_at, skipped, raw)


def map_thing(kind: str, data: dict[str, Any]) -> CanonicalMention:
    """A t3 (post) or t1 (comment) `data` object -> mention; the id is the fullname."""
    if kind not in ("t1", "t3"):
        raise ValueError(f"unexpected kind {kind!r}")
    is_post = kind == "t3"
    text = data["selftext"] if is_post else data["body"]
    metrics = {"likes": data.get("score"), "replies": data.get("num_comments")}
    return CanonicalMention(
        id=f"{kind}_{data['id']}",
        platform="reddit",
        text=str(text or (data.get("url", "") if is_post else "")),
        created_at=datetime.fromtimestamp(float(data["created_utc"]), tz=UTC),
        author=AuthorRef(handle=str(data["author"])),
        url="https://www.reddit.com" + str(data["permalink"]),
        lang="",
        metrics={k: v for k, v in metrics.items() if isinstance(v, int) and v >= 0},
        parent_id="" if is_post else str(data.get("parent_id", "")),
        title=str(data.get("title") if is_post else data.get("link_title", ""))[:1000],
    )


def _is_deleted(data: dict[str, Any]) -> bool:
    text = data.get("selftext") if "selftext" in data else data.get("body")
    return data.get("author") == "[deleted]" or text in DELETED_TEXTS


def _reference(child: Any, index: int) -> str:
    if isinstance(child, dict) and isinstance(child.get("data"), dict) and child["data"].get("id"):
        return f"{child.get('kind')}_{child['data']['id']}"
    return f"item #{index}"


class RedditPublisher:
    """Replies to a post or comment as the script-app account."""

    kind = "reddit"

    def __init__(self, config: RedditConfig, clock: Clock) -> None:
        if not config.username or config.password is None:
            raise ValueError("replying on Reddit needs the script app's username and password")
        self.config = config
        self.clock = clock

    def publish(self, request: PublishRequest) -> PublishedPost:
        if not request.in_reply_to.startswith(("t1_", "t3_")):
            raise PublishError(
                "Reddit replies need a t1_/t3_ fullname in in_reply_to", permanent=True
            )
        reddit = make_reddit(self.config, self.clock)
        kind, _, item_id = request.in_reply_to.partition("_")
        parent = reddit.comment(id=item_id) if kind == "t1" else reddit.submission(id=item_id)
        try:
            comment = parent.reply(body=request.text)
        except (praw.exceptions.RedditAPIException, praw.exceptions.ClientException) as exc:
            raise PublishError(f"Reddit: {exc}", permanent=True) from exc
        except prawcore.exceptions.ResponseException as exc:
            if exc.response.status_code >= 500:
                raise  # outcome unknown: keep the idempotency claim
            raise PublishError(f"Reddit: {exc}", permanent=True) from exc
        if comment is None:
            raise PublishError("Reddit accepted the reply but returned no comment", permanent=True)
        data = vars(comment)
        return PublishedPost(
            "reddit",
            f"t1_{data['id']}",
            "https://www.reddit.com" + str(data.get("permalink", "")),
            datetime.fromtimestamp(
                float(data.get("created_utc", self.clock.now().timestamp())), tz=UTC
            ),
        )
