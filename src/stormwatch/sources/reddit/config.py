"""Config of a Reddit source: new posts, new comments or a search in chosen subreddits."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from stormwatch.sources.secrets import SourceConfig


class RedditConfig(SourceConfig):
    client_id: str = Field(min_length=1, description="From https://www.reddit.com/prefs/apps")
    client_secret: SecretStr
    user_agent: str = Field(
        min_length=8, description="Reddit asks for 'platform:app-id:version (by /u/name)'."
    )
    subreddits: list[str] = Field(min_length=1)
    listing: Literal["submissions", "comments", "search"] = "submissions"
    query: str = ""
    username: str = Field(default="", description="Script-app account, needed only to reply.")
    password: SecretStr | None = None
    page_size: int = Field(default=100, ge=1, le=100)
    max_items: int = Field(default=500, ge=1, le=1000)
    poll_every: timedelta = timedelta(minutes=2)
    timeout_seconds: float = Field(default=20.0, gt=0)
    oauth_url: str = Field(default="https://oauth.reddit.com", pattern=r"^https?://")
    reddit_url: str = Field(default="https://www.reddit.com", pattern=r"^https?://")
    short_url: str = Field(default="https://redd.it", pattern=r"^https?://")

    @model_validator(mode="after")
    def _check(self) -> RedditConfig:
        if self.listing == "search" and not self.query.strip():
            raise ValueError("listing 'search' needs a query")
        return self
