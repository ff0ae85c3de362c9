"""Adding, changing and removing sources through the service: validation, encryption at rest,
own accounts, and the builder table covering every kind."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from stormwatch.core.clock import FrozenClock
from stormwatch.mentions.models import Author, Mention
from stormwatch.pipeline.ingest import ingest_items
from stormwatch.sources.builders import SOURCE_BUILDERS, build_connector
from stormwatch.sources.kinds import FIREHOSE_KIND, list_kinds
from stormwatch.sources.listeners import LISTENERS
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.queries import own_author_ids
from stormwatch.sources.registry import SOURCES
from stormwatch.sources.rss.source import RssSource
from stormwatch.sources.secrets import decrypt_config
from stormwatch.sources.service import (
    SourceInputError,
    add_own_account,
    add_source,
    delete_source,
    disable_source,
    enable_source,
    public_config,
    remove_own_account,
    test_source_config,
    update_source,
)
from stormwatch.sources.x.config import XConfig
from stormwatch.testing import mention_json

from .conftest import FEED_PATH, NOW

pytestmark = pytest.mark.django_db

X_CONFIG = {"bearer_token": "AAAA-very-secret-bearer", "query": "nordbank lang:pl"}


def test_every_configurable_kind_has_a_builder_and_demo_stays() -> None:
    kinds = {k.kind for k in list_kinds()}
    assert kinds == set(SOURCES) | {FIREHOSE_KIND, "bluesky_jetstream"}
    assert set(SOURCE_BUILDERS) == kinds | {"demo"}


def test_a_secret_is_stored_encrypted_and_decrypts_with_the_secret_key(cast: Any) -> None:
    source = add_source(
        workspace=cast.workspace, kind="x", name="X search", config=X_CONFIG, now=NOW
    )
    stored = SourceConfig.objects.get(pk=source.pk).config
    assert "AAAA-very-secret-bearer" not in str(stored)
    assert set(stored["bearer_token"]) == {"fernet"}
    typed = decrypt_config(XConfig, stored, settings.SECRET_KEY)
    assert typed.bearer_token.get_secret_value() == "AAAA-very-secret-bearer"
    assert public_config(source)["bearer_token"] == "**********"
    assert source.wake_at is None and source.is_enabled


def test_a_bad_config_names_each_field(cast: Any) -> None:
    with pytest.raises(SourceInputError) as caught:
        add_source(
            workspace=cast.workspace,
            kind="mastodon",
            name="",
            config={"api_base_url": "ftp://x", "page_size": 99},
            now=NOW,
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {"name", "api_base_url", "page_size"}
    assert not SourceConfig.objects.exists()


def test_an_unknown_kind_and_a_duplicate_name_are_refused(cast: Any) -> None:
    with pytest.raises(SourceInputError, match="unknown source kind 'myspace'"):
        add_source(workspace=cast.workspace, kind="myspace", name="M", config={}, now=NOW)
    add_source(workspace=cast.workspace, kind="x", name="X", config=X_CONFIG, now=NOW)
    with pytest.raises(SourceInputError) as caught:
        add_source(workspace=cast.workspace, kind="x", name="X", config=X_CONFIG, now=NOW)
    assert [e.field for e in caught.value.errors] == ["name"]


def test_an_update_keeps_a_masked_secret_and_resets_the_cursor_when_the_query_changes(
    cast: Any,
) -> None:
    source = add_source(workspace=cast.workspace, kind="x", name="X", config=X_CONFIG, now=NOW)
    source.cursor = {"since_id": "5"}
    source.save()
    update_source(source=source, name="X", config={**X_CONFIG, "bearer_token": "**********"})
    assert source.cursor == {"since_id": "5"}  # nothing but the masked secret: same reading
    update_source(source=source, name="X pl", config={"bearer_token": "", "query": "nordbank"})
    typed = decrypt_config(XConfig, source.config, settings.SECRET_KEY)
    assert typed.bearer_token.get_secret_value() == "AAAA-very-secret-bearer"
    assert typed.query == "nordbank" and source.cursor is None and source.name == "X pl"


def test_disable_enable_and_delete(cast: Any) -> None:
    source = add_source(workspace=cast.workspace, kind="x", name="X", config=X_CONFIG, now=NOW)
    disable_source(source=source)
    assert not SourceConfig.objects.get(pk=source.pk).is_enabled
    enable_source(source=source)
    assert SourceConfig.objects.get(pk=source.pk).is_enabled
    delete_source(source=source)
    assert not SourceConfig.objects.exists()


def test_the_test_fetch_returns_a_few_items_and_stores_nothing(feed_server: Any) -> None:
    mentions = test_source_config(
        kind="rss", config={"url": feed_server.url + FEED_PATH}, clock=FrozenClock(NOW), limit=2
    )
    assert [m.id for m in mentions] == ["item-2", "item-1"]
    assert not Mention.objects.exists() and not SourceConfig.objects.exists()


def test_the_builder_decrypts_the_stored_config(cast: Any, feed_server: Any) -> None:
    source = add_source(
        workspace=cast.workspace,
        kind="rss",
        name="Feed",
        config={"url": feed_server.url + FEED_PATH, "authorization": "Bearer feed-token"},
        now=NOW,
    )
    built = build_connector(source, FrozenClock(NOW))
    assert isinstance(built, RssSource)
    built.fetch(None)
    assert feed_server.requests[-1].headers["authorization"] == "Bearer feed-token"


def test_the_firehose_listener_is_kept_per_source_and_stopped_on_disable(cast: Any) -> None:
    source = add_source(
        workspace=cast.workspace,
        kind=FIREHOSE_KIND,
        name="Firehose",
        config={"terms": ["nordbank"], "firehose_url": "ws://127.0.0.1:9/xrpc"},
        now=NOW,
    )
    first = SOURCE_BUILDERS[FIREHOSE_KIND](source, FrozenClock(NOW))
    assert SOURCE_BUILDERS[FIREHOSE_KIND](source, FrozenClock(NOW)) is first
    assert LISTENERS.running() == [source.pk]
    disable_source(source=source)
    assert LISTENERS.running() == []


def test_own_accounts_mark_existing_and_later_authors(cast: Any) -> None:
    ingest_items(
        workspace_id=cast.workspace.pk,
        items=[
            mention_json("a", "Nordbank here", author={"handle": "Nordbank.bsky.social"}),
            mention_json("b", "angry customer", author={"handle": "kasia"}),
        ],
    )
    account = add_own_account(
        workspace=cast.workspace, platform="bluesky", handle="@nordbank.bsky.social", now=NOW
    )
    own = Author.objects.get(handle="Nordbank.bsky.social")
    assert own_author_ids(cast.workspace) == {own.pk}
    assert not Author.objects.filter(workspace=cast.other_workspace, is_own=True).exists()
    remove_own_account(account=account)
    assert own_author_ids(cast.workspace) == set()
