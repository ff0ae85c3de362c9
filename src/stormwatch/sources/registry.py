"""The literal table of source kinds: kind slug -> connector class, config model, publisher.

Kinds are stored in the database and never renamed. Adding a connector means adding one line
here (see docs/sources.md). No import-time self-registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from stormwatch.core.clock import Clock, SystemClock
from stormwatch.mentions.canonical import CanonicalMention
from stormwatch.sources.appstore.config import AppStoreConfig
from stormwatch.sources.appstore.source import AppStoreSource
from stormwatch.sources.bluesky.config import BlueskyConfig
from stormwatch.sources.bluesky.publish import BlueskyPublisher
from stormwatch.sources.bluesky.source import BlueskyMentionsSource, BlueskySearchSource
from stormwatch.sources.contract import Batch, Source
from stormwatch.sources.googleplay.config import GooglePlayConfig
from stormwatch.sources.googleplay.source import GooglePlayPublisher, GooglePlaySource
from stormwatch.sources.mastodon.config import MastodonConfig
from stormwatch.sources.mastodon.source import MastodonPublisher, MastodonSource
from stormwatch.sources.mastodon.stream import MastodonStreamConfig
from stormwatch.sources.publish import Publisher
from stormwatch.sources.reddit.config import RedditConfig
from stormwatch.sources.reddit.source import RedditPublisher, RedditSource
from stormwatch.sources.rss.config import RssConfig
from stormwatch.sources.rss.source import RssSource
from stormwatch.sources.secrets import SourceConfig
from stormwatch.sources.x.config import XConfig
from stormwatch.sources.x.source import XPublisher, XSource
from stormwatch.sources.x.stream import XStreamConfig
from stormwatch.sources.youtube.config import YouTubeConfig
from stormwatch.sources.youtube.source import YouTubePublisher, YouTubeSource


class SourceFactory(Protocol):
    def __call__(self, config: Any, clock: Clock) -> Source: ...


class PublisherFactory(Protocol):
    def __call__(self, config: Any, clock: Clock) -> Publisher: ...


@dataclass(frozen=True)
class SourceKind:
    label: str
    config: type[SourceConfig]
    source: SourceFactory
    publisher: PublisherFactory | None = None


def _bluesky_search(config: BlueskyConfig, clock: Clock) -> Source:
    return BlueskySearchSource(config, clock=clock)


def _bluesky_mentions(config: BlueskyConfig, clock: Clock) -> Source:
    return BlueskyMentionsSource(config, clock=clock)


def _bluesky_publisher(config: BlueskyConfig, clock: Clock) -> Publisher:
    return BlueskyPublisher(config, clock=clock)


# The streaming kinds run as long-running listeners (builders.SOURCE_BUILDERS); here they map
# to their polling equivalent, which "test the connection" and publishing use.
def _mastodon_stream_poll(config: MastodonStreamConfig, clock: Clock) -> Source:
    return MastodonSource(config.polling_config(), clock)


def _mastodon_stream_publisher(config: MastodonStreamConfig, clock: Clock) -> Publisher:
    return MastodonPublisher(config.polling_config(), clock)


def _x_stream_poll(config: XStreamConfig, clock: Clock) -> Source:
    return XSource(config.polling_config(), clock)


def _x_stream_publisher(config: XStreamConfig, clock: Clock) -> Publisher:
    return XPublisher(config.polling_config(), clock)


SOURCES: dict[str, SourceKind] = {
    "rss": SourceKind("RSS / Atom feed", RssConfig, RssSource),
    "mastodon": SourceKind("Mastodon", MastodonConfig, MastodonSource, MastodonPublisher),
    "reddit": SourceKind("Reddit", RedditConfig, RedditSource, RedditPublisher),
    "x": SourceKind("X (Twitter)", XConfig, XSource, XPublisher),
    "youtube": SourceKind("YouTube", YouTubeConfig, YouTubeSource, YouTubePublisher),
    "appstore": SourceKind("App Store reviews", AppStoreConfig, AppStoreSource),
    "googleplay": SourceKind(
        "Google Play reviews", GooglePlayConfig, GooglePlaySource, GooglePlayPublisher
    ),
    "bluesky_search": SourceKind(
        "Bluesky search", BlueskyConfig, _bluesky_search, _bluesky_publisher
    ),
    "bluesky_mentions": SourceKind(
        "Bluesky mentions", BlueskyConfig, _bluesky_mentions, _bluesky_publisher
    ),
    "mastodon_stream": SourceKind(
        "Mastodon streaming (live)",
        MastodonStreamConfig,
        _mastodon_stream_poll,
        _mastodon_stream_publisher,
    ),
    "x_stream": SourceKind(
        "X filtered stream (live, paid API tier)",
        XStreamConfig,
        _x_stream_poll,
        _x_stream_publisher,
    ),
}


def get_source_kind(kind: str) -> SourceKind:
    """Raises KeyError naming the unknown kind."""
    try:
        return SOURCES[kind]
    except KeyError:
        raise KeyError(
            f"unknown source kind {kind!r}; known: {', '.join(sorted(SOURCES))}"
        ) from None


def build_source(kind: str, config: dict[str, Any] | SourceConfig, clock: Clock) -> Source:
    """A ready connector; a dict config is validated (pydantic ValidationError if bad)."""
    entry = get_source_kind(kind)
    typed = config if isinstance(config, SourceConfig) else entry.config.model_validate(config)
    return entry.source(typed, clock)


def build_publisher(kind: str, config: dict[str, Any] | SourceConfig, clock: Clock) -> Publisher:
    """Raises KeyError if the platform has no publishing, ValueError if credentials lack it."""
    entry = get_source_kind(kind)
    if entry.publisher is None:
        raise KeyError(f"source kind {kind!r} cannot publish")
    typed = config if isinstance(config, SourceConfig) else entry.config.model_validate(config)
    return entry.publisher(typed, clock)


def test_source(
    kind: str, config: dict[str, Any] | SourceConfig, clock: Clock | None = None, limit: int = 5
) -> list[CanonicalMention]:
    """Fetch once from a fresh start and return up to `limit` mentions; nothing is stored.

    Errors surface as they are (RetryLater, StormwatchError, HTTP errors of the client), so a
    settings page can show them next to the form.
    """
    batch = build_source(kind, config, clock or SystemClock()).fetch(None)
    return batch.mentions[:limit]


test_source.__test__ = False  # type: ignore[attr-defined]  # not a pytest test despite its name


def list_deleted(batch: Batch) -> list[str]:
    """External ids the platform reported deleted or removed in this batch.

    Until `Batch` gains a `deleted` field, connectors flag a deletion in `batch.raw` as
    {"deleted": true, "payload": ...} and emit no mention for it.
    """
    return [ext_id for ext_id, raw in batch.raw.items() if raw.get("deleted") is True]
