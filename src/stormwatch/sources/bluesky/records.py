"""Mapping Bluesky post records and views to CanonicalMention. Pure functions, no I/O.

Three payload shapes carry a post: a raw `app.bsky.feed.post` record (firehose CAR block or
Jetstream JSON) plus the author's DID, an `app.bsky.feed.defs#postView` (searchPosts), and an
`app.bsky.notification.listNotifications#notification`. All end in `mention_from_record`.
The mention id is the post's at:// URI, which is stable and unique on the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from stormwatch.core.errors import FieldError, InvalidItem
from stormwatch.mentions.canonical import AuthorRef, CanonicalMention

PLATFORM = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
WEB_BASE = "https://bsky.app"


@dataclass(frozen=True)
class AtUri:
    """The three parts of at://<repo>/<collection>/<rkey>."""

    repo: str
    collection: str
    rkey: str

    @classmethod
    def parse(cls, uri: str) -> AtUri:
        """Split an at:// record URI; raises ValueError when it is not one."""
        if not uri.startswith("at://"):
            raise ValueError(f"not an at:// URI: {uri!r}")
        parts = uri[len("at://") :].split("/")
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"not a record URI (at://repo/collection/rkey): {uri!r}")
        return cls(repo=parts[0], collection=parts[1], rkey=parts[2])

    def __str__(self) -> str:
        return f"at://{self.repo}/{self.collection}/{self.rkey}"


def post_web_url(author: str, rkey: str) -> str:
    """Address of a post in the Bluesky web app; `author` is a handle or a DID."""
    return f"{WEB_BASE}/profile/{author}/post/{rkey}"


def parse_record_time(value: object) -> datetime | None:
    """Parse a record's ISO 8601 datetime; naive values are read as UTC, junk gives None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # The lexicon requires an offset, but some clients omit it; UTC is their intent.
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def mention_from_record(
    uri: str,
    record: dict[str, Any],
    *,
    handle: str = "",
    display_name: str = "",
    metrics: dict[str, int] | None = None,
    fallback_at: datetime | None = None,
) -> CanonicalMention:
    """Map one post record; raises InvalidItem naming the bad field.

    The author is the URI's repo (a DID); `handle` replaces it in the author and the web URL
    when known. `fallback_at` (the event or index time) is used when `createdAt` is unusable.
    """
    try:
        at = AtUri.parse(uri)
    except ValueError as exc:
        raise InvalidItem([FieldError("uri", str(exc))]) from exc
    if at.collection != POST_COLLECTION:
        raise InvalidItem([FieldError("uri", f"not a post: {at.collection}")])
    text = record.get("text")
    if not isinstance(text, str):
        raise InvalidItem([FieldError("record.text", "expected a string")])
    created_at = parse_record_time(record.get("createdAt")) or fallback_at
    if created_at is None:
        raise InvalidItem([FieldError("record.createdAt", "missing or not a datetime")])
    author = handle or at.repo
    return CanonicalMention(
        id=uri,
        platform=PLATFORM,
        text=text,
        created_at=created_at,
        author=AuthorRef(handle=author, name=display_name),
        url=post_web_url(author, at.rkey),
        lang=_first_lang(record.get("langs")),
        metrics=metrics or {},
        parent_id=reply_parent_uri(record),
    )


def reply_parent_uri(record: dict[str, Any]) -> str:
    """The at:// URI of the post this record replies to, or '' for a top-level post."""
    reply = record.get("reply")
    if not isinstance(reply, dict):
        return ""
    parent = reply.get("parent")
    if isinstance(parent, dict) and isinstance(parent.get("uri"), str):
        return str(parent["uri"])
    return ""


def mention_from_post_view(view: dict[str, Any]) -> CanonicalMention:
    """Map an app.bsky.feed.defs#postView (searchPosts, getPosts); raises InvalidItem."""
    record = view.get("record")
    uri = view.get("uri")
    if not isinstance(record, dict) or not isinstance(uri, str):
        raise InvalidItem([FieldError("post", "needs uri and record")])
    author = view.get("author")
    if not isinstance(author, dict):
        author = {}
    counts = {
        "likes": view.get("likeCount"),
        "shares": _sum_counts(view.get("repostCount"), view.get("quoteCount")),
        "replies": view.get("replyCount"),
    }
    return mention_from_record(
        uri,
        record,
        handle=_str(author.get("handle")),
        display_name=_str(author.get("displayName")),
        metrics={k: v for k, v in counts.items() if isinstance(v, int) and v >= 0},
        fallback_at=parse_record_time(view.get("indexedAt")),
    )


def mention_from_notification(item: dict[str, Any]) -> CanonicalMention:
    """Map a listNotifications item whose record is a post; raises InvalidItem otherwise."""
    return mention_from_post_view(item)


def _first_lang(value: object) -> str:
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0].split("-")[0].lower()[:16]
    return ""


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _sum_counts(*values: object) -> int | None:
    ints = [v for v in values if isinstance(v, int) and v >= 0]
    return sum(ints) if ints else None
