"""X (Twitter) connector and publisher on tweepy.Client, API v2 recent search.

Cursor: {"since_id": newest id fully consumed} plus, while a result set is being paged,
{"next_token", "pending_newest", "start_time"}. A fetch reads up to `max_pages` pages; if
`next_token` remains, the cursor keeps the old `since_id` and the token (`wake_at` = now), and
`since_id` moves to the newest id only once the last page is read, so nothing is skipped. The
first start searches from now - `backfill` (recent search covers 7 days at most).

Edits: an edited post is a new id whose `edit_history_tweet_ids[0]` is the original; the mention
id is that original id, so the upsert updates it. Deleted posts disappear from search; X reports
deletions only through its compliance endpoints, which this connector does not read.

Testing against a local server: tweepy hard-codes https://api.twitter.com, so `XSource` swaps the
client's requests session for `RebasedSession`, which rewrites only that prefix to
`api_base_url`; tweepy's parameter handling, auth, status mapping and our parsing are unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import tweepy

from stormwatch.core.clock import Clock
from stormwatch.core.errors import RetryLater
from stormwatch.mentions.canonical import AuthorRef, CanonicalMention
from stormwatch.sources.contract import Batch, Cursor, SkippedItem
from stormwatch.sources.publish import PublishedPost, PublishError, PublishRequest
from stormwatch.sources.x.config import X_API_BASE_URL, XConfig

RECENT_SEARCH_WINDOW = timedelta(days=7)
TWEET_FIELDS = [
    "author_id",
    "conversation_id",
    "created_at",
    "edit_history_tweet_ids",
    "lang",
    "public_metrics",
    "referenced_tweets",
]
USER_FIELDS = ["name", "username", "public_metrics"]


class RebasedSession(requests.Session):
    """A requests session that sends tweepy's https://api.twitter.com calls to another base."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        text = url.decode() if isinstance(url, bytes) else url
        if text.startswith(X_API_BASE_URL):
            text = self.base_url + text[len(X_API_BASE_URL) :]
        verb = method.decode() if isinstance(method, bytes) else method
        return super().request(verb, text, *args, **kwargs)


def make_client(token: str, base_url: str) -> tweepy.Client:
    client = tweepy.Client(bearer_token=token, return_type=requests.Response)
    client.session.close()
    client.session = RebasedSession(base_url)
    return client


class XSource:
    kind = "x"

    def __init__(self, config: XConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock

    def fetch(self, cursor: Cursor | None) -> Batch:
        """Up to `max_pages` pages of recent search; raises RetryLater on HTTP 429."""
        now = self.clock.now()
        state = dict(cursor or {})
        if not state.get("since_id") and not state.get("start_time"):
            start = now - min(self.config.backfill, RECENT_SEARCH_WINDOW - timedelta(minutes=1))
            state["start_time"] = start.isoformat()
        client = make_client(self.config.bearer_token.get_secret_value(), self.config.api_base_url)
        mentions: list[CanonicalMention] = []
        skipped: list[SkippedItem] = []
        raw: dict[str, dict[str, Any]] = {}
        wake_at = now + self.config.poll_every
        try:
            for _ in range(self.config.max_pages):
                body, headers = self._search(client, state, now)
                page_mentions, page_skipped, page_raw = map_page(body)
                mentions += page_mentions
                skipped += page_skipped
                raw.update(page_raw)
                state = advance(state, body.get("meta", {}))
                wake_at = max(wake_at, _exhausted_until(headers, now))
                if not state.get("next_token"):
                    break
        finally:
            client.session.close()
        if state.get("next_token"):
            wake_at = now
        return Batch(mentions, state, wake_at, skipped, raw)

    def _search(self, client: tweepy.Client, state: Cursor, now: datetime) -> tuple[Any, Any]:
        paging = {k: state[k] for k in ("since_id", "next_token") if state.get(k)}
        if not state.get("since_id"):
            paging["start_time"] = state["start_time"]
        try:
            response = client.search_recent_tweets(
                self.config.query,
                max_results=self.config.page_size,
                expansions=["author_id"],
                tweet_fields=TWEET_FIELDS,
                user_fields=USER_FIELDS,
                **paging,
            )
        except tweepy.TooManyRequests as exc:
            raise RetryLater(_reset_at(exc.response.headers, now), "X rate limit") from exc
        except tweepy.TwitterServerError as exc:
            raise RetryLater(now + timedelta(minutes=1), f"X: {exc}") from exc
        return response.json(), response.headers


def advance(state: Cursor, meta: dict[str, Any]) -> Cursor:
    """Cursor after one page: keep paging the same result set, or close it at its newest id."""
    newest = state.get("pending_newest") or meta.get("newest_id")
    if meta.get("next_token"):
        return {**state, "next_token": meta["next_token"], "pending_newest": newest}
    since_id = newest or state.get("since_id")
    return {"since_id": since_id} if since_id else {"start_time": state.get("start_time")}


def map_page(
    body: dict[str, Any],
) -> tuple[list[CanonicalMention], list[SkippedItem], dict[str, Any]]:
    users: dict[str, dict[str, Any]] = {
        str(u.get("id")): u
        for u in body.get("includes", {}).get("users", [])
        if isinstance(u, dict)
    }
    mentions: list[CanonicalMention] = []
    skipped: list[SkippedItem] = []
    raw: dict[str, Any] = {}
    for index, tweet in enumerate(body.get("data", [])):
        try:
            mention = map_tweet(tweet, users)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            ref = str(tweet.get("id")) if isinstance(tweet, dict) else f"item #{index}"
            skipped.append(SkippedItem(ref, f"malformed post: {exc!r}"))
            continue
        mentions.append(mention)
        raw[mention.id] = tweet
    return mentions, skipped, raw


def map_tweet(tweet: dict[str, Any], users: dict[str, dict[str, Any]]) -> CanonicalMention:
    """A v2 Tweet object (+ its expanded author) -> mention; the id is the pre-edit original."""
    user = users[tweet["author_id"]]
    history = tweet.get("edit_history_tweet_ids") or [tweet["id"]]
    counts = tweet.get("public_metrics", {})
    metrics = {
        "likes": counts.get("like_count"),
        "shares": _sum(counts.get("retweet_count"), counts.get("quote_count")),
        "replies": counts.get("reply_count"),
        "views": counts.get("impression_count"),
    }
    parents = [r["id"] for r in tweet.get("referenced_tweets", []) if r.get("type") == "replied_to"]
    return CanonicalMention(
        id=str(history[0]),
        platform="x",
        text=str(tweet["text"]),
        created_at=datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00")).astimezone(
            UTC
        ),
        author=AuthorRef(
            handle=str(user["username"]),
            name=str(user.get("name", "")),
            followers=user.get("public_metrics", {}).get("followers_count"),
        ),
        url=f"https://x.com/{user['username']}/status/{tweet['id']}",
        lang=str(tweet.get("lang", "")).replace("und", "")[:16],
        metrics={k: v for k, v in metrics.items() if isinstance(v, int) and v >= 0},
        parent_id=str(parents[0]) if parents else "",
    )


def _sum(*values: Any) -> int | None:
    ints = [v for v in values if isinstance(v, int)]
    return sum(ints) if ints else None


def _reset_at(headers: Any, now: datetime) -> datetime:
    """x-rate-limit-reset is the epoch second when the 15-minute window resets."""
    value = str(headers.get("x-rate-limit-reset", "")).strip()
    return (
        datetime.fromtimestamp(int(value), tz=UTC)
        if value.isdigit()
        else now + timedelta(minutes=15)
    )


def _exhausted_until(headers: Any, now: datetime) -> datetime:
    remaining = str(headers.get("x-rate-limit-remaining", "")).strip()
    return _reset_at(headers, now) if remaining == "0" else now


class XPublisher:
    """Replies (or posts) with POST /2/tweets using the user-context token."""

    kind = "x"

    def __init__(self, config: XConfig, clock: Clock) -> None:
        if config.user_access_token is None:
            raise ValueError("replying on X needs a user-context access token")
        self.config = config
        self.clock = clock

    def publish(self, request: PublishRequest) -> PublishedPost:
        token = self.config.user_access_token
        assert token is not None  # checked in __init__
        client = make_client(token.get_secret_value(), self.config.api_base_url)
        try:
            response = client.create_tweet(
                text=request.text,
                in_reply_to_tweet_id=request.in_reply_to or None,
                poll_options=list(request.poll_options) or None,
                poll_duration_minutes=_minutes(request.poll_expires_in)
                if request.poll_options
                else None,
                user_auth=False,
            )
        except tweepy.TooManyRequests as exc:
            raise RetryLater(
                _reset_at(exc.response.headers, self.clock.now()), "X rate limit"
            ) from exc
        except tweepy.HTTPException as exc:
            if isinstance(exc, tweepy.TwitterServerError):
                raise  # outcome unknown: let the ledger keep the claim
            raise PublishError(f"X: {exc}", permanent=True) from exc
        finally:
            client.session.close()
        post_id = str(response.json()["data"]["id"])
        return PublishedPost(
            "x", post_id, f"https://x.com/i/web/status/{post_id}", self.clock.now()
        )


def _minutes(value: timedelta | None) -> int:
    return int((value or timedelta(days=1)).total_seconds() // 60)
