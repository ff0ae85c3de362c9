"""App Store connector: Apple's public customer-reviews feed (no credentials, no publishing).

GET {base}/{country}/rss/customerreviews/page={n}/id={app}/sortby=mostrecent/json, pages 1-10
of up to 50 reviews, newest first, one storefront per source.

Cursor: {"newest_at", "ids_at_newest"} as for YouTube: a review is new when its `updated` time is
later than the cursor, or equal and its id unlisted; paging stops at the first older review.
An edited review comes back with a later `updated` and the same id, so the upsert updates it.
The feed never reports deletions. Entries carrying `im:name` describe the app, not a review,
and are ignored. A single review arrives as an object instead of a list; both are accepted.

Rating: the canonical format has no rating field, so the title is "★{n}/5 · {review title}"
(see `rating_from_title`); helpfulness votes (`im:voteSum`) go to metrics.likes.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from stormwatch.core.clock import Clock
from stormwatch.core.errors import RetryLater, StormwatchError
from stormwatch.mentions.canonical import AuthorRef, CanonicalMention
from stormwatch.sources.appstore.config import AppStoreConfig
from stormwatch.sources.contract import Batch, Cursor, SkippedItem

_RATED_TITLE = re.compile(r"^★([1-5])/5 · ")


class AppStoreSource:
    kind = "appstore"

    def __init__(self, config: AppStoreConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock

    def fetch(self, cursor: Cursor | None) -> Batch:
        """New reviews since the cursor (or within `backfill`); RetryLater on 429/503."""
        now = self.clock.now()
        since = _time(cursor["newest_at"]) if cursor else now - self.config.backfill
        known = set(cursor.get("ids_at_newest", [])) if cursor else set()
        mentions: list[CanonicalMention] = []
        skipped: list[SkippedItem] = []
        raw: dict[str, dict[str, Any]] = {}
        with requests.Session() as session:
            for page in range(1, self.config.max_pages + 1):
                entries = self._page(session, page, now)
                for index, entry in enumerate(entries):
                    if "im:name" in entry:
                        continue  # the app's own metadata entry
                    try:
                        mention = map_review(entry, self.config)
                    except (AttributeError, KeyError, TypeError, ValueError) as exc:
                        skipped.append(
                            SkippedItem(_ref(entry, page, index), f"malformed review: {exc!r}")
                        )
                        continue
                    if mention.created_at < since:
                        return self._batch(cursor, mentions, skipped, raw, now)
                    if mention.created_at > since or mention.id not in known:
                        mentions.append(mention)
                        raw[mention.id] = entry
                if len(entries) < 50:
                    break
        return self._batch(cursor, mentions, skipped, raw, now)

    def _batch(
        self,
        cursor: Cursor | None,
        mentions: list[CanonicalMention],
        skipped: list[SkippedItem],
        raw: dict[str, Any],
        now: datetime,
    ) -> Batch:
        return Batch(
            mentions, advance(cursor, mentions), now + self.config.poll_every, skipped, raw
        )

    def _page(self, session: requests.Session, page: int, now: datetime) -> list[Any]:
        c = self.config
        url = (
            f"{c.base_url.rstrip('/')}/{c.country}/rss/customerreviews"
            f"/page={page}/id={c.app_id}/sortby=mostrecent/json"
        )
        response = session.get(url, timeout=c.timeout_seconds)
        if response.status_code in (429, 503) or response.status_code >= 500:
            raise RetryLater(
                _retry_after(response.headers, now), f"App Store HTTP {response.status_code}"
            )
        if response.status_code >= 400:
            raise StormwatchError(f"App Store HTTP {response.status_code} for app {c.app_id}")
        entries = response.json().get("feed", {}).get("entry", [])
        return [entries] if isinstance(entries, dict) else list(entries)


def map_review(entry: dict[str, Any], config: AppStoreConfig) -> CanonicalMention:
    rating = int(entry["im:rating"]["label"])
    if not 1 <= rating <= 5:
        raise ValueError(f"rating {rating} out of 1-5")
    votes = entry.get("im:voteSum", {}).get("label")
    link = entry.get("link", {}).get("attributes", {}).get("href", "")
    return CanonicalMention(
        id=str(entry["id"]["label"]),
        platform="appstore",
        text=str(entry["content"]["label"]),
        created_at=_time(entry["updated"]["label"]),
        author=AuthorRef(handle=str(entry["author"]["name"]["label"])),
        url=link or f"https://apps.apple.com/{config.country}/app/id{config.app_id}",
        metrics={"likes": int(votes)} if votes and str(votes).isdigit() else {},
        title=f"★{rating}/5 · {entry.get('title', {}).get('label', '')}"[:1000],
    )


def rating_from_title(title: str) -> int | None:
    """The star rating stored in a review mention's title, or None for other mentions."""
    found = _RATED_TITLE.match(title)
    return int(found.group(1)) if found else None


def advance(cursor: Cursor | None, mentions: list[CanonicalMention]) -> Cursor:
    if not mentions:
        return dict(cursor or {})
    newest = max(m.created_at for m in mentions)
    ids = {m.id for m in mentions if m.created_at == newest}
    if cursor and _time(cursor["newest_at"]) == newest:
        ids |= set(cursor.get("ids_at_newest", []))
    return {"newest_at": newest.isoformat(), "ids_at_newest": sorted(ids)}


def _ref(entry: Any, page: int, index: int) -> str:
    try:
        return str(entry["id"]["label"])
    except (KeyError, TypeError):
        return f"page {page} entry #{index}"


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _retry_after(headers: Any, now: datetime) -> datetime:
    value = str(headers.get("Retry-After", "")).strip()
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    try:
        return parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return now + timedelta(minutes=15)
