"""Config of a Bluesky source: which account, which server, what to watch."""

from __future__ import annotations

from pydantic import Field, SecretStr

from stormwatch.sources.secrets import SourceConfig

DEFAULT_SERVICE_URL = "https://bsky.social"
DEFAULT_FIREHOSE_URL = "wss://bsky.network/xrpc"


class BlueskyConfig(SourceConfig):
    """One Bluesky account and the workspace's monitor terms.

    `service_url` is the account's PDS (or the entryway, bsky.social), without `/xrpc`.
    `app_password` is an app password created under Settings > Privacy and security > App
    passwords; the account's main password works too but should never be stored.
    """

    service_url: str = Field(
        default=DEFAULT_SERVICE_URL,
        pattern=r"^https?://",
        description="Account's server (PDS or bsky.social), without /xrpc.",
    )
    handle: str = Field(
        default="",
        max_length=253,
        description="Account handle (brand.bsky.social) or DID; needed to publish.",
    )
    app_password: SecretStr | None = Field(default=None, description="An app password.")
    terms: tuple[str, ...] = Field(
        default=(),
        description="Monitor terms; a post matches when it contains any of them (any case).",
    )
    watch_handles: tuple[str, ...] = Field(
        default=(),
        description="Handles or DIDs whose mentions are watched (matched as @handle).",
    )
    firehose_url: str = Field(
        default=DEFAULT_FIREHOSE_URL,
        pattern=r"^wss?://",
        description="Base websocket URL of com.atproto.sync.subscribeRepos, ending in /xrpc.",
    )
    queue_size: int = Field(default=10_000, ge=1, le=1_000_000)
    batch_size: int = Field(default=500, ge=1, le=10_000)
    search_limit: int = Field(default=100, ge=1, le=100)

    @property
    def xrpc_url(self) -> str:
        """Base URL the atproto client expects (the service URL plus /xrpc)."""
        return self.service_url.rstrip("/") + "/xrpc"

    def monitor_needles(self) -> tuple[str, ...]:
        """Lower-cased strings whose presence makes a post match the default filter."""
        handles = (f"@{h.lstrip('@')}" for h in self.watch_handles if h.strip())
        return tuple(n.lower() for n in (*self.terms, *handles) if n.strip())
