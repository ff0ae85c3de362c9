"""Which connector runs each source kind: a literal table (kind slug -> builder).

Every `registry.SOURCES` kind is built from its stored config, decrypted here (secrets are
encrypted at rest). The firehose kind returns the source's long-running listener from
`listeners.LISTENERS`, started on first use.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from stormwatch.core.clock import Clock
from stormwatch.sources.bluesky.config import BlueskyConfig
from stormwatch.sources.bluesky.firehose import BlueskyFirehoseListener
from stormwatch.sources.bluesky.jetstream import (
    JETSTREAM_KIND,
    BlueskyJetstreamListener,
    JetstreamConfig,
)
from stormwatch.sources.contract import Source
from stormwatch.sources.kinds import FIREHOSE_KIND, decrypt_stored
from stormwatch.sources.listeners import LISTENERS, Listener
from stormwatch.sources.mastodon.stream import MastodonStreamConfig, MastodonStreamListener
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.registry import build_source
from stormwatch.sources.runtime import SourceBuilder
from stormwatch.sources.x.stream import XFilteredStreamListener, XStreamConfig


def build_demo(config: SourceConfig, clock: Clock) -> Source:
    from stormwatch.demo.source import build_demo_source

    options = config.config
    return build_demo_source(
        created_at=datetime.fromisoformat(options["created_at"]),
        clock=clock,
        seed=int(options.get("seed", 7)),
        time_scale=float(options.get("time_scale", 1.0)),
    )


def build_connector(config: SourceConfig, clock: Clock) -> Source:
    """A polling connector of a registry kind, from the decrypted stored config."""
    return build_source(config.kind, decrypt_stored(config.kind, config.config), clock)


def build_firehose(config: SourceConfig, clock: Clock) -> Source:
    """The source's running firehose listener (one per source per process)."""
    fingerprint = hashlib.sha256(
        json.dumps(config.config, sort_keys=True).encode("utf-8")
    ).hexdigest()

    def create() -> Listener:
        typed = decrypt_stored(config.kind, config.config)
        assert isinstance(typed, BlueskyConfig)
        return BlueskyFirehoseListener(typed, clock=clock)

    listener = LISTENERS.get_or_start(config.pk, fingerprint, create)
    assert isinstance(listener, BlueskyFirehoseListener)
    return listener


def build_jetstream(config: SourceConfig, clock: Clock) -> Source:
    """The source's running Jetstream listener (one per source per process)."""

    def create() -> Listener:
        typed = decrypt_stored(config.kind, config.config)
        assert isinstance(typed, JetstreamConfig)
        return BlueskyJetstreamListener(typed, clock=clock)

    listener = LISTENERS.get_or_start(config.pk, _fingerprint(config), create)
    assert isinstance(listener, BlueskyJetstreamListener)
    return listener


def _fingerprint(config: SourceConfig) -> str:
    return hashlib.sha256(json.dumps(config.config, sort_keys=True).encode("utf-8")).hexdigest()


def build_stream(config: SourceConfig, clock: Clock) -> Source:
    """The source's running Mastodon or X streaming listener (one per source per process)."""

    def create() -> Listener:
        typed = decrypt_stored(config.kind, config.config)
        if isinstance(typed, MastodonStreamConfig):
            return MastodonStreamListener(typed, clock=clock)
        assert isinstance(typed, XStreamConfig)
        return XFilteredStreamListener(typed, clock=clock)

    listener = LISTENERS.get_or_start(config.pk, _fingerprint(config), create)
    assert isinstance(listener, MastodonStreamListener | XFilteredStreamListener)
    return listener


SOURCE_BUILDERS: dict[str, SourceBuilder] = {
    "demo": build_demo,
    "rss": build_connector,
    "mastodon": build_connector,
    "reddit": build_connector,
    "x": build_connector,
    "youtube": build_connector,
    "appstore": build_connector,
    "googleplay": build_connector,
    "bluesky_search": build_connector,
    "bluesky_mentions": build_connector,
    FIREHOSE_KIND: build_firehose,
    "mastodon_stream": build_stream,
    "x_stream": build_stream,
    JETSTREAM_KIND: build_jetstream,
}
