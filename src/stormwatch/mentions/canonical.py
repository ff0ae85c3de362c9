"""The canonical mention format: one JSON object per mention.

Shared by file import (JSONL), the HTTP ingest API, export and backtesting, and documented in
`docs/mention-format.md`. Parsing never raises anything but `InvalidItem`, whose errors name
each bad field, so a caller can report "line 17: created_at: ..." and go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from stormwatch.core.errors import FieldError, InvalidItem

MAX_TEXT_CHARS = 100_000
MAX_ID_CHARS = 512
PLATFORM_SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-.")
METRIC_NAMES = ("likes", "shares", "replies", "views")


@dataclass(frozen=True)
class AuthorRef:
    handle: str
    name: str = ""
    followers: int | None = None


@dataclass(frozen=True)
class CanonicalMention:
    id: str
    platform: str
    text: str
    created_at: datetime
    author: AuthorRef | None = None
    url: str = ""
    lang: str = ""
    metrics: dict[str, int] = field(default_factory=dict)
    parent_id: str = ""
    title: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        """The canonical JSON object; empty optional fields are left out."""
        data: dict[str, Any] = {
            "id": self.id,
            "platform": self.platform,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
        }
        if self.author is not None:
            author: dict[str, Any] = {"handle": self.author.handle}
            if self.author.name:
                author["name"] = self.author.name
            if self.author.followers is not None:
                author["followers"] = self.author.followers
            data["author"] = author
        optional = {
            "url": self.url,
            "lang": self.lang,
            "parent_id": self.parent_id,
            "title": self.title,
        }
        data.update((key, value) for key, value in optional.items() if value)
        if self.metrics:
            data["metrics"] = dict(self.metrics)
        return data


def parse_mention(obj: object) -> CanonicalMention:
    """Validate one decoded JSON value; raise InvalidItem listing every bad field."""
    if not isinstance(obj, dict):
        raise InvalidItem([FieldError("(item)", f"expected a JSON object, got {_kind(obj)}")])
    errors: list[FieldError] = []
    ext_id = _required_str(obj, "id", errors, max_chars=MAX_ID_CHARS)
    platform = _required_str(obj, "platform", errors, max_chars=64)
    if platform and not set(platform.lower()) <= PLATFORM_SLUG_CHARS:
        errors.append(FieldError("platform", "use letters, digits, '-', '_' or '.' only"))
    text = _required_str(obj, "text", errors, max_chars=MAX_TEXT_CHARS, allow_empty=True)
    created_at = _parse_timestamp(obj.get("created_at"), errors)
    author = _parse_author(obj.get("author"), errors)
    metrics = _parse_metrics(obj.get("metrics"), errors)
    url = _optional_str(obj, "url", errors, max_chars=2048)
    lang = _optional_str(obj, "lang", errors, max_chars=16).lower()
    parent_id = _optional_str(obj, "parent_id", errors, max_chars=MAX_ID_CHARS)
    title = _optional_str(obj, "title", errors, max_chars=1000)
    if errors or created_at is None:
        raise InvalidItem(errors)
    return CanonicalMention(
        id=ext_id,
        platform=platform.lower(),
        text=text,
        created_at=created_at,
        author=author,
        url=url,
        lang=lang,
        metrics=metrics,
        parent_id=parent_id,
        title=title,
    )


def _kind(value: object) -> str:
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _required_str(
    obj: dict[str, Any],
    key: str,
    errors: list[FieldError],
    *,
    max_chars: int,
    allow_empty: bool = False,
) -> str:
    value = obj.get(key)
    if value is None:
        errors.append(FieldError(key, "is required"))
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and key == "id":
        value = str(value)
    if not isinstance(value, str):
        errors.append(FieldError(key, f"expected a string, got {_kind(value)}"))
        return ""
    if not allow_empty and not value.strip():
        errors.append(FieldError(key, "must not be empty"))
    if len(value) > max_chars:
        errors.append(FieldError(key, f"is {len(value)} characters long; the limit is {max_chars}"))
    return value


def _optional_str(
    obj: dict[str, Any], key: str, errors: list[FieldError], *, max_chars: int
) -> str:
    if obj.get(key) in (None, ""):
        return ""
    return _required_str(obj, key, errors, max_chars=max_chars)


def _parse_timestamp(value: object, errors: list[FieldError]) -> datetime | None:
    if value is None:
        errors.append(FieldError("created_at", "is required"))
        return None
    if not isinstance(value, str):
        errors.append(FieldError("created_at", f"expected an ISO 8601 string, got {_kind(value)}"))
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        errors.append(FieldError("created_at", f"{value[:40]!r} is not an ISO 8601 timestamp"))
        return None
    if parsed.tzinfo is None:
        errors.append(FieldError("created_at", "needs a UTC offset, such as +00:00 or Z"))
        return None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        errors.append(FieldError("created_at", "is out of the supported date range"))
        return None


def _parse_author(value: object, errors: list[FieldError]) -> AuthorRef | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = {"handle": value}
    if not isinstance(value, dict):
        errors.append(FieldError("author", f"expected an object, got {_kind(value)}"))
        return None
    sub: list[FieldError] = []
    handle = _required_str(value, "handle", sub, max_chars=256)
    name = _optional_str(value, "name", sub, max_chars=256)
    followers = value.get("followers")
    if followers is not None and (
        not isinstance(followers, int) or isinstance(followers, bool) or followers < 0
    ):
        sub.append(FieldError("followers", "expected a whole number of 0 or more"))
        followers = None
    handle = handle.lstrip("@")
    if "handle" in value and not handle.strip() and not any(e.field == "handle" for e in sub):
        sub.append(FieldError("handle", "must not be empty"))
    errors.extend(FieldError(f"author.{e.field}", e.message) for e in sub)
    return None if sub else AuthorRef(handle=handle, name=name, followers=followers)


def _parse_metrics(value: object, errors: list[FieldError]) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(FieldError("metrics", f"expected an object, got {_kind(value)}"))
        return {}
    metrics: dict[str, int] = {}
    for name, count in value.items():
        if name not in METRIC_NAMES:
            errors.append(FieldError(f"metrics.{name}", f"unknown; use {', '.join(METRIC_NAMES)}"))
        elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
            errors.append(FieldError(f"metrics.{name}", "expected a whole number of 0 or more"))
        else:
            metrics[name] = count
    return metrics
