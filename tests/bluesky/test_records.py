"""Pure parts of the connector: record keys, at:// URIs, record mapping, config masking."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from stormwatch.core.errors import InvalidItem
from stormwatch.sources.bluesky import BlueskyConfig, rkey_for, terms_filter
from stormwatch.sources.bluesky.records import AtUri, mention_from_record

TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
URI = "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3lbgqwjkv2c2x"


def test_record_keys_are_valid_tids_that_depend_only_on_the_request_key() -> None:
    keys = {rkey_for(f"reply-{i}") for i in range(1000)}

    assert len(keys) == 1000
    assert all(TID.match(k) for k in keys)
    assert rkey_for("reply-1") == rkey_for("reply-1")


def test_an_at_uri_splits_into_repo_collection_and_record_key() -> None:
    at = AtUri.parse(URI)

    assert (at.repo, at.collection, at.rkey) == (
        "did:plc:z72i7hdynmk6r22z27h6tvur",
        "app.bsky.feed.post",
        "3lbgqwjkv2c2x",
    )
    assert str(at) == URI
    with pytest.raises(ValueError):
        AtUri.parse("https://bsky.app/profile/x/post/y")


def test_a_record_without_created_at_uses_the_event_time() -> None:
    event_at = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)

    mention = mention_from_record(URI, {"text": "hej"}, fallback_at=event_at)

    assert mention.created_at == event_at
    assert (
        mention.author is not None and mention.author.handle == "did:plc:z72i7hdynmk6r22z27h6tvur"
    )


def test_a_record_that_is_not_a_post_is_refused_with_the_field_named() -> None:
    like = "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.like/3lbgqwjkv2c2x"

    with pytest.raises(InvalidItem) as caught:
        mention_from_record(like, {"text": "x", "createdAt": "2025-05-01T00:00:00Z"})

    assert caught.value.errors[0].field == "uri"


def test_the_default_filter_matches_terms_and_watched_handles_in_any_case() -> None:
    config = BlueskyConfig(terms=("Stormbank",), watch_handles=("@help.stormbank.pl",))
    matches = terms_filter(config)

    assert matches("awaria STORMBANK znowu")
    assert matches("hej @Help.Stormbank.pl pomocy")
    assert not matches("a quiet day")


def test_the_public_view_masks_the_app_password() -> None:
    config = BlueskyConfig(handle="brand.bsky.social", app_password=SecretStr("abcd-efgh-ijkl"))

    view = config.public_view()

    assert view["app_password"] == "**********"
    assert "abcd" not in repr(config) and "abcd" not in str(view)
