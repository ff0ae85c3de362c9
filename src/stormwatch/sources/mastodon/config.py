"""Config of a Mastodon source: one stream (hashtag, public, notifications or search)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from stormwatch.sources.secrets import SourceConfig


class MastodonConfig(SourceConfig):
    api_base_url: str = Field(
        pattern=r"^https?://", description="The instance, e.g. https://mastodon.social"
    )
    access_token: SecretStr | None = Field(
        default=None, description="Needed for notifications, search and publishing."
    )
    stream: Literal["hashtag", "public", "notifications", "search"] = "hashtag"
    query: str = Field(default="", description="Hashtag without '#', or the search query.")
    local_only: bool = False
    page_size: int = Field(default=40, ge=1, le=40)
    max_pages: int = Field(default=5, ge=1, le=100)
    poll_every: timedelta = timedelta(minutes=2)
    timeout_seconds: float = Field(default=20.0, gt=0)

    @model_validator(mode="after")
    def _check_stream(self) -> MastodonConfig:
        if self.stream in ("hashtag", "search") and not self.query.strip():
            raise ValueError(f"stream {self.stream!r} needs a query")
        if self.stream in ("notifications", "search") and self.access_token is None:
            raise ValueError(f"stream {self.stream!r} needs an access token")
        return self
