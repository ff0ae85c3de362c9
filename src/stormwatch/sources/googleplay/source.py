"""Google Play connector and publisher: Android Publisher API v3 reviews.list / reviews.reply.

Limits (documented by Google): only the developer's own apps, only reviews created or modified
in the last week, only reviews that have text; reviews.list has its own quota (see
docs/sources.md). There is no official API for other apps' reviews.

Each review is read whole (pages by `tokenPagination.nextPageToken`, up to `max_pages`; the
API promises no order). Its time is the user comment's `lastModified` (the API gives no creation
time), so an edited review comes back later with the same reviewId and the upsert updates it.
Cursor: {"newest_at", "ids_at_newest"}: a review is new when modified after the cursor time, or
at that exact time with an unlisted id. Deleted reviews simply vanish. The rating is in the
title as "★{n}/5 · {device}" (see appstore's `rating_from_title`), thumbs-up in metrics.likes,
the developer's reply, if any, in `raw`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from stormwatch.core.clock import Clock
from stormwatch.core.errors import RetryLater, StormwatchError
from stormwatch.mentions.canonical import AuthorRef, CanonicalMention
from stormwatch.sources.contract import Batch, Cursor, SkippedItem
from stormwatch.sources.googleplay.config import GooglePlayConfig
from stormwatch.sources.publish import PublishedPost, PublishError, PublishRequest


class GooglePlayError(StormwatchError):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(f"Google Play HTTP {status}: {message}")


class GooglePlaySource:
    kind = "googleplay"

    def __init__(self, config: GooglePlayConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock

    def fetch(self, cursor: Cursor | None) -> Batch:
        """Reviews modified after the cursor (or within `backfill`); RetryLater on 429/5xx."""
        now = self.clock.now()
        since = _time_iso(cursor["newest_at"]) if cursor else now - self.config.backfill
        known = set(cursor.get("ids_at_newest", [])) if cursor else set()
        mentions: list[CanonicalMention] = []
        skipped: list[SkippedItem] = []
        raw: dict[str, dict[str, Any]] = {}
        token = ""
        with requests.Session() as session:
            for _ in range(self.config.max_pages):
                params: dict[str, Any] = {"maxResults": 100}
                if token:
                    params["token"] = token
                if self.config.translation_language:
                    params["translationLanguage"] = self.config.translation_language
                body = call(session, self.config, "GET", "reviews", params, None, now)
                for index, review in enumerate(body.get("reviews", [])):
                    try:
                        mention = map_review(review, self.config.package_name)
                    except (AttributeError, KeyError, TypeError, ValueError) as exc:
                        ref = review.get("reviewId") if isinstance(review, dict) else None
                        skipped.append(
                            SkippedItem(
                                str(ref or f"review #{index}"), f"malformed review: {exc!r}"
                            )
                        )
                        continue
                    if mention.created_at > since or (
                        mention.created_at == since and mention.id not in known
                    ):
                        mentions.append(mention)
                        raw[mention.id] = review
                token = body.get("tokenPagination", {}).get("nextPageToken", "")
                if not token:
                    break
        cursor_out = advance(cursor, mentions)
        return Batch(mentions, cursor_out, now + self.config.poll_every, skipped, raw)


def call(
    session: requests.Session,
    config: GooglePlayConfig,
    method: str,
    path: str,
    params: dict[str, Any],
    body: dict[str, Any] | None,
    now: datetime,
) -> Any:
    url = f"{config.api_base_url.rstrip('/')}/applications/{config.package_name}/{path}"
    headers = {"Authorization": "Bearer " + config.access_token.get_secret_value()}
    response = session.request(
        method, url, params=params, json=body, headers=headers, timeout=config.timeout_seconds
    )
    if response.status_code == 429 or (response.status_code >= 500 and method == "GET"):
        raise RetryLater(
            _retry_after(response.headers, now), f"Google Play HTTP {response.status_code}"
        )
    if response.status_code >= 400:
        try:
            message = str(response.json().get("error", {}).get("message", ""))
        except ValueError:
            message = response.text[:200]
        raise GooglePlayError(response.status_code, message)
    return response.json()


def map_review(review: dict[str, Any], package: str) -> CanonicalMention:
    users = [c["userComment"] for c in review["comments"] if "userComment" in c]
    if not users:
        raise ValueError("no userComment")
    user = users[0]
    rating = int(user["starRating"])
    if not 1 <= rating <= 5:
        raise ValueError(f"starRating {rating} out of 1-5")
    thumbs = user.get("thumbsUpCount")
    label = user.get("deviceMetadata", {}).get("productName") or user.get("appVersionName", "")
    return CanonicalMention(
        id=str(review["reviewId"]),
        platform="googleplay",
        text=str(user.get("originalText") or user["text"]).strip(),
        created_at=_time_seconds(user["lastModified"]),
        author=AuthorRef(handle=str(review.get("authorName") or "anonymous")),
        url=f"https://play.google.com/store/apps/details?id={package}&reviewId={review['reviewId']}",
        lang=str(user.get("reviewerLanguage", "")).split("_")[0].split("-")[0].lower()[:16],
        metrics={"likes": thumbs} if isinstance(thumbs, int) and thumbs >= 0 else {},
        title=f"★{rating}/5 · {label}".rstrip(" ·")[:1000],
    )


def advance(cursor: Cursor | None, mentions: list[CanonicalMention]) -> Cursor:
    if not mentions:
        return dict(cursor or {})
    newest = max(m.created_at for m in mentions)
    ids = {m.id for m in mentions if m.created_at == newest}
    if cursor and _time_iso(cursor["newest_at"]) == newest:
        ids |= set(cursor.get("ids_at_newest", []))
    return {"newest_at": newest.isoformat(), "ids_at_newest": sorted(ids)}


def _time_seconds(value: dict[str, Any]) -> datetime:
    seconds = int(value["seconds"]) + int(value.get("nanos", 0)) / 1e9
    return datetime.fromtimestamp(seconds, tz=UTC)


def _time_iso(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def _retry_after(headers: Any, now: datetime) -> datetime:
    value = str(headers.get("Retry-After", "")).strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        return parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return now + timedelta(minutes=5)


class GooglePlayPublisher:
    """Replies to a review (reviews.reply); replying again replaces the earlier reply."""

    kind = "googleplay"

    def __init__(self, config: GooglePlayConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock

    def publish(self, request: PublishRequest) -> PublishedPost:
        if not request.in_reply_to:
            raise PublishError("Google Play can only reply to a review", permanent=True)
        now = self.clock.now()
        path = f"reviews/{request.in_reply_to}:reply"
        try:
            with requests.Session() as session:
                result = call(
                    session, self.config, "POST", path, {}, {"replyText": request.text}, now
                )
        except GooglePlayError as exc:
            if exc.status >= 500:
                raise  # outcome unknown: keep the idempotency claim
            raise PublishError(str(exc), permanent=True) from exc
        edited = result.get("result", {}).get("lastEdited")
        return PublishedPost(
            "googleplay",
            f"{request.in_reply_to}:reply",
            f"https://play.google.com/store/apps/details?id={self.config.package_name}&reviewId={request.in_reply_to}",
            _time_seconds(edited) if edited else now,
        )
