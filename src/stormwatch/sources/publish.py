"""Publishing back to a platform (replies, posts, polls), exactly once per idempotency key.

A `Publisher` posts one `PublishRequest` and returns the platform's id and URL. It raises
`PublishError(permanent=...)`: permanent means retrying cannot help (bad credentials, deleted
parent, text refused); otherwise the runtime may retry later. `RetryLater` means rate limited.
Both promise that nothing was posted. Any other exception (timeout, 5xx on a platform without
native idempotency) means the outcome is unknown.

Nothing is posted twice: `publish_once` consults a `PublishLedger` keyed by the request's
idempotency key. A key that already produced a post returns that post; a key claimed by an
attempt whose outcome is unknown (crash between the HTTP call and `complete`) is refused with a
permanent error, because only a person can check the platform and decide. Platforms that
support idempotency natively (Mastodon's `Idempotency-Key`) also receive the key.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from stormwatch.core.errors import RetryLater, StormwatchError


@dataclass(frozen=True)
class PublishRequest:
    """What to post. `in_reply_to` is the platform's external id of the mention answered."""

    idempotency_key: str
    text: str
    in_reply_to: str = ""
    poll_options: tuple[str, ...] = ()
    poll_expires_in: timedelta | None = None


@dataclass(frozen=True)
class PublishedPost:
    platform: str
    external_id: str
    url: str
    published_at: datetime


class PublishError(StormwatchError):
    """Posting failed; `permanent` tells the runtime whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        self.permanent = permanent
        super().__init__(message)


class Publisher(Protocol):
    kind: str

    def publish(self, request: PublishRequest) -> PublishedPost: ...


class PublishLedger(Protocol):
    """Durable record of idempotency keys (the integrator backs it with a table)."""

    def find(self, key: str) -> PublishedPost | None: ...

    def claim(self, key: str) -> bool:
        """Mark the key in flight; False if it was already claimed or completed."""
        ...

    def complete(self, key: str, post: PublishedPost) -> None: ...

    def release(self, key: str) -> None:
        """Forget a claim whose attempt certainly posted nothing."""
        ...


class MemoryLedger:
    """In-process ledger for tests and single-process runs."""

    def __init__(self) -> None:
        self._claimed: set[str] = set()
        self._done: dict[str, PublishedPost] = {}
        self._lock = threading.Lock()

    def find(self, key: str) -> PublishedPost | None:
        return self._done.get(key)

    def claim(self, key: str) -> bool:
        with self._lock:
            if key in self._claimed:
                return False
            self._claimed.add(key)
            return True

    def complete(self, key: str, post: PublishedPost) -> None:
        self._done[key] = post

    def release(self, key: str) -> None:
        with self._lock:
            self._claimed.discard(key)


def publish_once(
    publisher: Publisher, request: PublishRequest, ledger: PublishLedger
) -> PublishedPost:
    """Post at most once per idempotency key; see the module docstring for the rules."""
    if not request.idempotency_key:
        raise PublishError("idempotency_key is required", permanent=True)
    done = ledger.find(request.idempotency_key)
    if done is not None:
        return done
    if not ledger.claim(request.idempotency_key):
        raise PublishError(
            "an earlier attempt with this key has an unknown outcome; check the platform",
            permanent=True,
        )
    try:
        post = publisher.publish(request)
    except (PublishError, RetryLater):
        # The platform refused or rate-limited the call, so nothing was posted: safe to retry.
        ledger.release(request.idempotency_key)
        raise
    ledger.complete(request.idempotency_key, post)
    return post
