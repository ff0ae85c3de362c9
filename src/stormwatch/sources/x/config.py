"""Config of an X (Twitter) API v2 recent-search source; the user brings their own tokens."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, SecretStr

from stormwatch.sources.secrets import SourceConfig

X_API_BASE_URL = "https://api.twitter.com"


class XConfig(SourceConfig):
    bearer_token: SecretStr = Field(description="App-only bearer token (developer portal).")
    query: str = Field(min_length=1, max_length=4096, description="v2 search query syntax.")
    api_base_url: str = Field(default=X_API_BASE_URL, pattern=r"^https?://")
    page_size: int = Field(default=100, ge=10, le=100)
    max_pages: int = Field(default=5, ge=1, le=100)
    poll_every: timedelta = timedelta(minutes=5)
    user_access_token: SecretStr | None = Field(
        default=None,
        description="OAuth 2.0 user-context token with tweet.write, needed only to reply.",
    )
