"""Publishing to Bluesky as the workspace's account: posts, replies and quotes.

Implements `stormwatch.sources.publish.Publisher`. Idempotency is enforced by the platform too:
the record key of every post is derived from the request's idempotency key (`rkey_for`), and
`com.atproto.repo.createRecord` refuses a second record under the same key. A retry after an
unknown outcome (timeout, crash) therefore either creates the post or finds the one already
there, and never posts twice.

Errors: a 4xx answer (bad credentials, deleted parent, text refused) is a permanent
`PublishError`; 429 raises `RetryLater`; network failures and 5xx are non-permanent.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, timedelta
from typing import Any

from atproto import Client
from atproto_client.exceptions import AtProtocolError, NetworkError, RequestErrorBase
from atproto_client.models.common import XrpcError

from stormwatch.core.clock import Clock, SystemClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.bluesky.config import BlueskyConfig
from stormwatch.sources.bluesky.records import PLATFORM, POST_COLLECTION, AtUri, post_web_url
from stormwatch.sources.publish import PublishedPost, PublishError, PublishRequest

MAX_POST_GRAPHEMES = 300
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TID_EPOCH_US = 1_704_067_200_000_000  # 2024-01-01T00:00:00Z, keeps derived keys plausible
_TID_SPAN_US = 366 * 24 * 3600 * 1_000_000
_RATE_LIMIT_WAIT = timedelta(minutes=5)


def rkey_for(idempotency_key: str) -> str:
    """A valid TID record key that depends only on the idempotency key.

    Posts use TID keys (13 base32-sortable characters: a 53-bit microsecond timestamp and a
    10-bit clock id). Both parts come from SHA-256 of the key, the timestamp within 2024, so
    two different keys collide with probability about 1 in 3e16.
    """
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode("utf-8")).digest()[:8], "big")
    micros = _TID_EPOCH_US + digest % _TID_SPAN_US
    clock_id = (digest >> 54) & 0x3FF
    value = (micros << 10) | clock_id
    chars = [_TID_ALPHABET[(value >> (5 * i)) & 31] for i in range(12, -1, -1)]
    return "".join(chars)


class BlueskyPublisher:
    """Posts as `config.handle`, logging in with its app password on first use."""

    kind = "bluesky"

    def __init__(
        self, config: BlueskyConfig, *, clock: Clock | None = None, client: Client | None = None
    ) -> None:
        if not config.handle or config.app_password is None:
            raise PublishError("handle and app password are required to publish", permanent=True)
        self._config = config
        self._clock = clock or SystemClock()
        self._client = client or Client(base_url=config.xrpc_url)
        self._did = ""
        self._handle = ""

    def close(self) -> None:
        """Close the HTTP connections; the publisher must not be used afterwards."""
        self._client.request.close()

    def publish(self, request: PublishRequest, *, quote_uri: str = "") -> PublishedPost:
        """Post `request.text`, as a reply when `in_reply_to` is set, quoting `quote_uri`."""
        if request.poll_options:
            raise PublishError("Bluesky has no polls", permanent=True)
        if not request.idempotency_key:
            raise PublishError("idempotency_key is required", permanent=True)
        try:
            return self._publish(request, quote_uri)
        except ValueError as exc:  # a malformed at:// URI in the request
            raise PublishError(str(exc), permanent=True) from exc
        except AtProtocolError as exc:
            raise self._map_error(exc) from exc

    def _publish(self, request: PublishRequest, quote_uri: str) -> PublishedPost:
        self._ensure_session()
        now = self._clock.now()
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": request.text,
            "createdAt": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }
        if request.in_reply_to:
            record["reply"] = self._reply_refs(request.in_reply_to)
        if quote_uri:
            record["embed"] = {"$type": "app.bsky.embed.record", "record": self._ref(quote_uri)}
        rkey = rkey_for(request.idempotency_key)
        uri = self._create_or_find(rkey, record)
        return PublishedPost(
            platform=PLATFORM,
            external_id=uri,
            url=post_web_url(self._handle or self._did, rkey),
            published_at=now,
        )

    def _create_or_find(self, rkey: str, record: dict[str, Any]) -> str:
        data = {"repo": self._did, "collection": POST_COLLECTION, "rkey": rkey, "record": record}
        try:
            created = self._client.com.atproto.repo.create_record(data)
        except RequestErrorBase:
            # Refused: either the key is taken by an earlier attempt (return that post), or
            # the error is real (re-raise it).
            existing = self._find_record(rkey)
            if existing is None:
                raise
            return existing
        return str(created.uri)

    def _find_record(self, rkey: str) -> str | None:
        params = {"repo": self._did, "collection": POST_COLLECTION, "rkey": rkey}
        try:
            found = self._client.com.atproto.repo.get_record(params)
        except RequestErrorBase:
            return None
        return str(found.uri)

    def _reply_refs(self, parent_uri: str) -> dict[str, Any]:
        parent = self._client.com.atproto.repo.get_record(_record_params(parent_uri))
        parent_ref = {"uri": str(parent.uri), "cid": str(parent.cid)}
        value = _as_dict(parent.value)
        reply = value.get("reply") if isinstance(value.get("reply"), dict) else None
        root = reply.get("root") if reply else None
        if isinstance(root, dict) and root.get("uri") and root.get("cid"):
            root_ref = {"uri": str(root["uri"]), "cid": str(root["cid"])}
        else:
            root_ref = parent_ref  # the parent starts the thread
        return {"root": root_ref, "parent": parent_ref}

    def _ref(self, uri: str) -> dict[str, str]:
        found = self._client.com.atproto.repo.get_record(_record_params(uri))
        return {"uri": str(found.uri), "cid": str(found.cid)}

    def _ensure_session(self) -> None:
        if self._did:
            return
        assert self._config.app_password is not None
        # fetch_bsky_profile=False: only com.atproto.server is needed, so any PDS works.
        self._client.login(
            self._config.handle,
            self._config.app_password.get_secret_value(),
            fetch_bsky_profile=False,
        )
        session = self._client.com.atproto.server.get_session()
        self._did, self._handle = str(session.did), str(session.handle)

    def _map_error(self, exc: AtProtocolError) -> Exception:
        if isinstance(exc, NetworkError) or not isinstance(exc, RequestErrorBase):
            return PublishError(f"Bluesky unreachable: {exc}", permanent=False)
        status = exc.response.status_code if exc.response is not None else 0
        if status == 429:
            return RetryLater(self._clock.now() + _RATE_LIMIT_WAIT, "Bluesky rate limit")
        if status >= 500 or status == 0:
            return PublishError(f"Bluesky error {status}: {_detail(exc)}", permanent=False)
        return PublishError(f"Bluesky refused the post ({status}): {_detail(exc)}", permanent=True)


def _record_params(uri: str) -> dict[str, str]:
    at = AtUri.parse(uri)
    return {"repo": at.repo, "collection": at.collection, "rkey": at.rkey}


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    dump = getattr(value, "model_dump", None)
    return dump(by_alias=True) if callable(dump) else {}


def _detail(exc: RequestErrorBase) -> str:
    content = exc.response.content if exc.response is not None else None
    if isinstance(content, XrpcError):
        return f"{content.error}: {content.message or ''}".strip(": ")
    return str(content)[:200]
