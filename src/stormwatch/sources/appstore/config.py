"""Config of an App Store reviews source (Apple's public customer-reviews RSS, JSON flavour)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from stormwatch.sources.secrets import SourceConfig


class AppStoreConfig(SourceConfig):
    app_id: str = Field(pattern=r"^\d+$", description="The number after 'id' in the App Store URL.")
    country: str = Field(
        default="pl", pattern=r"^[a-z]{2}$", description="Storefront, e.g. pl, us."
    )
    base_url: str = Field(default="https://itunes.apple.com", pattern=r"^https?://")
    max_pages: int = Field(
        default=10, ge=1, le=10, description="Apple serves 10 pages of 50 at most."
    )
    poll_every: timedelta = timedelta(hours=1)
    timeout_seconds: float = Field(default=20.0, gt=0)
