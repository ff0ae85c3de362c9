"""Listening to Mastodon's streaming API (Server-Sent Events) with Mastodon.py.

`MastodonStreamListener` keeps one `stream_hashtag`, `stream_public` or `stream_user` connection
open in a background thread (see `sources/streaming.py` for queueing, backoff and cursors).
Mastodon.py finds the streaming server itself: it reads the instance's `urls.streaming_api`
(GET /api/v1/instance) and connects to that host, or to `api_base_url` when there is none.

Events: `update` and `status_update` (an edit keeps its id) map with the polling connector's
`map_status`; `delete` follows the deletion convention of `registry.list_deleted` (the id is
flagged in `batch.raw`, no mention); with `stream="notifications"` (the brand account's
`stream_user`) only `mention` notifications are kept and home-timeline updates are ignored.

Cursor and gaps: `{"min_id": newest id returned}` (a status id, or a notification id for
notifications), the polling connector's cursor. Streams cannot replay, so each time a
connection opens, the listener first pages `MastodonSource` forward from the cursor (the
events arriving meanwhile wait in the socket) and then reads the stream; the bounded seen-set
drops the overlap. A new source (no cursor) first reads the polling connector's first-start
window (`backfill`), as the polling source would.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

import requests
from mastodon import Mastodon, MastodonNetworkError
from mastodon import StreamListener as MastodonPyListener
from pydantic import Field, SecretStr, model_validator

from stormwatch.core.clock import Clock, SystemClock
from stormwatch.sources.contract import Cursor, SkippedItem
from stormwatch.sources.mastodon.config import MastodonConfig
from stormwatch.sources.mastodon.source import (
    MastodonSource,
    _RecordingSession,
    _reset_at,
    map_delete_event,
    map_status,
    to_jsonable,
)
from stormwatch.sources.secrets import SourceConfig
from stormwatch.sources.streaming import (
    RateLimited,
    StreamItem,
    StreamListener,
    StreamSettings,
    shut_down,
)


class MastodonStreamConfig(SourceConfig):
    api_base_url: str = Field(
        pattern=r"^https?://", description="The instance, e.g. https://mastodon.social"
    )
    access_token: SecretStr | None = Field(
        default=None, description="Needed for notifications and publishing."
    )
    stream: Literal["hashtag", "public", "notifications"] = "hashtag"
    query: str = Field(default="", description="Hashtag without '#' (hashtag stream).")
    local_only: bool = False
    timeout_seconds: float = Field(default=20.0, gt=0, description="Connect timeout.")
    read_timeout_seconds: float = Field(
        default=90.0, gt=0, description="Reconnect when nothing, not even a heartbeat, arrives."
    )
    reconnect_min: timedelta = timedelta(seconds=1)
    reconnect_max: timedelta = timedelta(minutes=5)
    queue_size: int = Field(default=10_000, ge=1, le=1_000_000)
    batch_size: int = Field(default=500, ge=1, le=10_000)
    seen_size: int = Field(default=50_000, ge=100, le=10_000_000)

    @model_validator(mode="after")
    def _check_stream(self) -> MastodonStreamConfig:
        if self.stream == "hashtag" and not self.query.strip().lstrip("#"):
            raise ValueError("the hashtag stream needs a hashtag")
        if self.stream == "notifications" and self.access_token is None:
            raise ValueError("the notifications stream needs an access token")
        return self

    def polling_config(self) -> MastodonConfig:
        """The equivalent polling config: backfills gaps, tests the connection, publishes."""
        return MastodonConfig(
            api_base_url=self.api_base_url,
            access_token=self.access_token,
            stream=self.stream,
            query=self.query.lstrip("#"),
            local_only=self.local_only,
            timeout_seconds=self.timeout_seconds,
            backfill=self.backfill,
        )


class MastodonStreamListener(StreamListener):
    """Live statuses (or mention notifications) of one Mastodon stream."""

    kind = "mastodon_stream"
    cursor_key = "min_id"

    def __init__(self, config: MastodonStreamConfig, *, clock: Clock | None = None) -> None:
        super().__init__(StreamSettings.of(config), clock or SystemClock())
        self._config = config
        self._host = MastodonSource(config.polling_config(), self._clock).instance_host
        self._response: requests.Response | None = None

    def _connect_once(self, cursor: Cursor | None) -> None:
        with _StatusSession() as session:
            api = _client(self._config, session)
            handler = _Handler(self)
            try:
                self._open(api, handler)
            except MastodonNetworkError as exc:
                if session.last_status == 429:
                    until = _reset_at(session, self._clock.now())
                    raise RateLimited(until, "Mastodon streaming rate limit") from exc
                raise

    def _open(self, api: Mastodon, handler: _Handler) -> None:
        timeout = self._config.read_timeout_seconds
        if self._config.stream == "hashtag":
            tag = self._config.query.strip().lstrip("#")
            api.stream_hashtag(tag, handler, local=self._config.local_only, timeout=timeout)
        elif self._config.stream == "public":
            api.stream_public(handler, local=self._config.local_only, timeout=timeout)
        else:
            api.stream_user(handler, timeout=timeout)

    def _interrupt(self) -> None:
        response = self._response
        if response is not None:
            shut_down(response)

    def _polling_source(self) -> MastodonSource:
        return MastodonSource(self._config.polling_config(), self._clock)

    def _dedup_key(self, raw: dict[str, Any], mention_id: str) -> str:
        return _edit_key(raw, mention_id)

    def _on_status(self, status: Any, position: str) -> None:
        try:
            mention = map_status(status, self._host)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            ref = str(status.get("id", "")) if isinstance(status, dict) else "event"
            self._emit(StreamItem(skipped=SkippedItem(ref, f"malformed status: {exc!r}")))
            return
        raw = to_jsonable(status)
        self._emit(
            StreamItem(mention=mention, raw=raw, position=position), _edit_key(raw, position)
        )

    def _on_delete(self, status_id: Any) -> None:
        deleted = map_delete_event(str(status_id))
        self._emit(StreamItem(deleted_id=deleted, raw={"id": deleted}), f"delete:{deleted}")


class _Handler(MastodonPyListener):  # type: ignore[misc]  # Mastodon.py is untyped here
    """Mastodon.py's callbacks, forwarded to the listener; backfills once the stream is open."""

    def __init__(self, owner: MastodonStreamListener) -> None:
        self._owner = owner

    def handle_stream(self, response: requests.Response) -> None:
        self._owner._response = response
        self._owner._mark_connected()
        self._owner._backfill_gap()
        try:
            super().handle_stream(response)
        finally:
            self._owner._response = None

    def on_update(self, status: Any) -> None:
        if self._owner._config.stream != "notifications":
            self._owner._on_status(status, str(status.get("id", "")) or "")

    def on_status_update(self, status: Any) -> None:
        self.on_update(status)

    def on_delete(self, status_id: Any) -> None:
        self._owner._on_delete(status_id)

    def on_notification(self, notification: Any) -> None:
        if self._owner._config.stream == "notifications" and notification.get("type") == "mention":
            status = notification.get("status")
            self._owner._on_status(status, str(notification.get("id", "")))

    def on_unknown_event(self, name: str, unknown_event: Any = None) -> None:
        return None  # new event kinds must not break the stream


class _StatusSession(_RecordingSession):
    """Also keeps the last status: Mastodon.py reports a refused stream without it."""

    last_status = 0

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = super().send(request, **kwargs)
        self.last_status = response.status_code
        return response


def _edit_key(raw: dict[str, Any], status_id: str) -> str:
    """Dedup key: an edit (new `edited_at`) of a status already seen is news, a repeat is not."""
    return f"{raw.get('id', status_id)}@{raw.get('edited_at') or ''}"


def _client(config: MastodonStreamConfig, session: requests.Session) -> Mastodon:
    token = config.access_token.get_secret_value() if config.access_token else None
    return Mastodon(
        api_base_url=config.api_base_url,
        access_token=token,
        ratelimit_method="throw",
        version_check_mode="none",
        request_timeout=config.timeout_seconds,
        session=session,
    )
