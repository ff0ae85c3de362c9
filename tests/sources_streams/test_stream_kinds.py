"""The streaming kinds are configurable, run as one listener per source, and stop when off."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

import pytest

from stormwatch.core.clock import FrozenClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.builders import SOURCE_BUILDERS
from stormwatch.sources.kinds import list_kinds
from stormwatch.sources.listeners import LISTENERS
from stormwatch.sources.mastodon.stream import MastodonStreamListener
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.service import add_source, delete_source, disable_source
from stormwatch.sources.x.stream import XFilteredStreamListener, XStreamConfig

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
UNREACHABLE = "http://127.0.0.1:9"


def test_both_streaming_kinds_are_configurable_and_have_a_listener_builder() -> None:
    kinds = {k.kind: k for k in list_kinds()}
    assert kinds["mastodon_stream"].can_publish and kinds["x_stream"].can_publish
    assert {"mastodon_stream", "x_stream"} <= set(SOURCE_BUILDERS)


def test_a_mastodon_stream_listener_is_kept_per_source_and_stopped_on_disable(cast: Any) -> None:
    source = add_source(
        workspace=cast.workspace,
        kind="mastodon_stream",
        name="Hashtag live",
        config={"api_base_url": UNREACHABLE, "query": "examplebank"},
        now=NOW,
    )
    first = SOURCE_BUILDERS["mastodon_stream"](source, FrozenClock(NOW))
    assert isinstance(first, MastodonStreamListener)
    assert SOURCE_BUILDERS["mastodon_stream"](source, FrozenClock(NOW)) is first
    # Starts the thread, which keeps retrying the unreachable host; once it has failed, fetch
    # reports that as RetryLater, which is the design, so either outcome is fine here.
    with contextlib.suppress(RetryLater):
        first.fetch(None)
    assert LISTENERS.running() == [source.pk] and first.is_running()
    disable_source(source=source)
    assert LISTENERS.running() == [] and not first.is_running()


def test_an_x_stream_listener_stops_when_its_source_is_deleted(cast: Any) -> None:
    source = add_source(
        workspace=cast.workspace,
        kind="x_stream",
        name="X live",
        config={"bearer_token": "AAAA-secret", "terms": ["nordbank"], "api_base_url": UNREACHABLE},
        now=NOW,
    )
    stored = SourceConfig.objects.get(pk=source.pk)
    assert "AAAA-secret" not in str(stored.config)  # encrypted at rest like any source
    listener = SOURCE_BUILDERS["x_stream"](stored, FrozenClock(NOW))
    assert isinstance(listener, XFilteredStreamListener)
    with contextlib.suppress(RetryLater):  # see the Mastodon test above
        listener.fetch(None)
    delete_source(source=stored)
    assert LISTENERS.running() == [] and not listener.is_running()


def test_x_rules_or_the_terms_into_as_few_rules_as_fit_the_length_limit() -> None:
    config = XStreamConfig.model_validate(
        {
            "bearer_token": "t",
            "terms": ["nordbank", "Nord Bank", "@nordbank_pl", "karta nordbank"],
            "rule_suffix": "lang:pl",
            "max_rule_length": 60,
        }
    )
    rules = config.rules()
    assert rules == [
        '(nordbank OR "Nord Bank" OR @nordbank_pl) lang:pl',
        '"karta nordbank" lang:pl',
    ]
    assert all(len(rule) <= 60 for rule in rules)
    assert config.polling_config().query.startswith("((nordbank OR")
