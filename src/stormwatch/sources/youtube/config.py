"""Config of a YouTube Data API v3 source: comments on a video or channel, or a video search."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from stormwatch.sources.secrets import SourceConfig


class YouTubeConfig(SourceConfig):
    api_key: SecretStr | None = Field(default=None, description="Google Cloud API key (read).")
    oauth_token: SecretStr | None = Field(
        default=None, description="OAuth access token with youtube.force-ssl, needed to reply."
    )
    mode: Literal["video_comments", "channel_comments", "search"] = "video_comments"
    video_id: str = ""
    channel_id: str = ""
    query: str = ""
    api_base_url: str = Field(
        default="https://www.googleapis.com/youtube/v3", pattern=r"^https?://"
    )
    max_pages: int = Field(default=5, ge=1, le=50)
    poll_every: timedelta = timedelta(minutes=15)
    timeout_seconds: float = Field(default=20.0, gt=0)

    @model_validator(mode="after")
    def _check(self) -> YouTubeConfig:
        needs = {
            "video_comments": self.video_id,
            "channel_comments": self.channel_id,
            "search": self.query,
        }
        if not needs[self.mode].strip():
            raise ValueError(f"mode {self.mode!r} needs its id or query")
        if self.api_key is None and self.oauth_token is None:
            raise ValueError("an API key or an OAuth token is required")
        return self
