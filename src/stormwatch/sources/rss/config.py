"""Config of an RSS / Atom source (news sites, blogs, Google Alerts feeds)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, SecretStr

from stormwatch.sources.secrets import SourceConfig


class RssConfig(SourceConfig):
    url: str = Field(pattern=r"^https?://", description="Feed address (RSS 2.0, RSS 1.0 or Atom).")
    poll_every: timedelta = timedelta(minutes=15)
    max_pages: int = Field(default=5, ge=1, le=50, description="RFC 5005 rel=next pages per fetch.")
    timeout_seconds: float = Field(default=20.0, gt=0)
    user_agent: str = "Stormwatch feed reader (+https://github.com/stormwatch)"
    authorization: SecretStr | None = Field(
        default=None, description="Optional Authorization header for private feeds."
    )
