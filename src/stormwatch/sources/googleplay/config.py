"""Config of a Google Play reviews source: the brand's own app via the Android Publisher API."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, SecretStr

from stormwatch.sources.secrets import SourceConfig


class GooglePlayConfig(SourceConfig):
    package_name: str = Field(
        pattern=r"^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$", description="e.g. pl.examplebank.mobile"
    )
    access_token: SecretStr = Field(
        description="OAuth access token (scope androidpublisher) of a service account that the "
        "app owner added in Play Console; short-lived, so the runtime must refresh it."
    )
    translation_language: str = Field(default="", description="Optional, e.g. 'pl' to translate.")
    api_base_url: str = Field(
        default="https://androidpublisher.googleapis.com/androidpublisher/v3", pattern=r"^https?://"
    )
    max_pages: int = Field(default=10, ge=1, le=100)
    poll_every: timedelta = timedelta(hours=1)
    timeout_seconds: float = Field(default=20.0, gt=0)
