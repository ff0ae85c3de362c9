from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from stormwatch.core.clock import FrozenClock
from stormwatch.sources.publish import (
    MemoryLedger,
    PublishedPost,
    PublishError,
    PublishRequest,
    publish_once,
)
from stormwatch.sources.registry import SOURCES, build_publisher, test_source
from stormwatch.sources.secrets import (
    MASK,
    SecretDecryptionError,
    decrypt_config,
    encrypt_config,
    secret_field_names,
)
from stormwatch.sources.x.config import XConfig

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
KEY = "django-insecure-test-key-for-stormwatch"


def x_config() -> XConfig:
    return XConfig(
        bearer_token=SecretStr("AAAA-very-secret"),
        query="bank",
        user_access_token=SecretStr("user-secret"),
    )


def test_it_round_trips_secrets_through_encryption() -> None:
    stored = encrypt_config(x_config(), KEY)
    assert "AAAA-very-secret" not in json.dumps(stored)
    assert stored["query"] == "bank" and "fernet" in stored["bearer_token"]
    again = decrypt_config(XConfig, stored, KEY)
    assert again.bearer_token.get_secret_value() == "AAAA-very-secret"
    assert again == x_config()


def test_it_refuses_to_decrypt_with_another_secret_key() -> None:
    stored = encrypt_config(x_config(), KEY)
    with pytest.raises(SecretDecryptionError, match="bearer_token"):
        decrypt_config(XConfig, stored, KEY + "-rotated")


def test_it_never_shows_secrets_in_the_public_view_or_repr() -> None:
    config = x_config()
    view = config.public_view()
    assert view["bearer_token"] == MASK and view["user_access_token"] == MASK
    assert view["query"] == "bank"
    assert "secret" not in json.dumps(view) + repr(config)


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_it_marks_every_credential_field_of_every_kind_as_secret(kind: str) -> None:
    fields = SOURCES[kind].config.model_fields
    for name in fields:
        if any(word in name for word in ("token", "secret", "password", "key", "authorization")):
            assert name in secret_field_names(SOURCES[kind].config), f"{kind}.{name}"


def test_it_rejects_unknown_config_fields() -> None:
    with pytest.raises(ValidationError):
        XConfig.model_validate({"bearer_token": "x", "query": "q", "typo": 1})


def test_it_test_fetches_a_few_mentions_without_a_cursor(server: Any, fixture: Any) -> None:
    server.route("GET", "/feed.xml", server.reply(200, fixture("rss", "news-rss2.xml")))
    found = test_source(
        "rss", {"url": server.url + "/feed.xml", "backfill": "P30D"}, FrozenClock(NOW), limit=2
    )
    assert [m.id for m in found] == ["news-example-pl-48213", "news-example-pl-48207"]


def test_it_has_no_publisher_for_read_only_platforms() -> None:
    with pytest.raises(KeyError, match="cannot publish"):
        build_publisher("appstore", {"app_id": "1"}, FrozenClock(NOW))


class CountingPublisher:
    kind = "fake"

    def __init__(self, fail: PublishError | None = None) -> None:
        self.calls = 0
        self.fail = fail

    def publish(self, request: PublishRequest) -> PublishedPost:
        self.calls += 1
        if self.fail:
            raise self.fail
        return PublishedPost("fake", f"id-{self.calls}", "https://example.test/1", NOW)


def test_it_posts_once_per_idempotency_key() -> None:
    publisher, ledger = CountingPublisher(), MemoryLedger()
    first = publish_once(publisher, PublishRequest("reply-1", "hi"), ledger)
    second = publish_once(publisher, PublishRequest("reply-1", "hi"), ledger)
    assert first == second and publisher.calls == 1


def test_it_allows_a_retry_after_a_refusal_but_not_after_an_unknown_outcome() -> None:
    ledger = MemoryLedger()
    refusing = CountingPublisher(PublishError("503", permanent=False))
    with pytest.raises(PublishError):
        publish_once(refusing, PublishRequest("k", "hi"), ledger)
    assert (
        publish_once(CountingPublisher(), PublishRequest("k", "hi"), ledger).external_id == "id-1"
    )
    ledger.claim("lost")  # a crash after posting leaves the claim without a result
    with pytest.raises(PublishError) as caught:
        publish_once(CountingPublisher(), PublishRequest("lost", "hi"), ledger)
    assert caught.value.permanent


def test_it_uses_timedelta_backfill_relative_to_the_clock() -> None:
    config = XConfig.model_validate({"bearer_token": "t", "query": "q", "backfill": "PT6H"})
    assert config.backfill == timedelta(hours=6)
