"""End to end against a real local Bluesky network: listen on the firehose, reply, resume.

`devnet` (conftest.py) is the running network; its helpers act as the customer and the brand.
Fixtures are typed `Any` because conftest modules cannot be imported under importlib mode.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import SecretStr

from stormwatch.mentions.canonical import CanonicalMention
from stormwatch.sources.bluesky import BlueskyConfig, BlueskyFirehoseListener, BlueskyPublisher
from stormwatch.sources.bluesky.records import AtUri
from stormwatch.sources.contract import Cursor
from stormwatch.sources.publish import MemoryLedger, PublishError, PublishRequest, publish_once

DEADLINE_S = 20.0
CONNECT_TIMEOUT_S = 10.0


class FixedClock:
    def now(self) -> datetime:
        return datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def customer(devnet: Any) -> Any:
    return devnet.create_account("customer")


@pytest.fixture(scope="module")
def brand(devnet: Any) -> Any:
    return devnet.create_account("brand")


def listener_config(devnet: Any, brand: Any, terms: tuple[str, ...] = ()) -> BlueskyConfig:
    return BlueskyConfig(
        service_url=devnet.pds_url,
        firehose_url=devnet.firehose_url,
        handle=brand.handle,
        app_password=SecretStr(brand.password),
        terms=terms,
        watch_handles=(brand.handle,),
        batch_size=2,
    )


@pytest.fixture
def started() -> Iterator[Callable[[BlueskyFirehoseListener, Cursor | None], None]]:
    """Starts listeners and always stops them, even when the test fails."""
    running: list[BlueskyFirehoseListener] = []

    def start(listener: BlueskyFirehoseListener, cursor: Cursor | None) -> None:
        running.append(listener)
        listener.start(cursor)
        assert listener.wait_until_connected(CONNECT_TIMEOUT_S), "firehose did not connect"

    yield start
    for listener in running:
        listener.stop()


@pytest.fixture
def publisher_for() -> Iterator[Callable[[BlueskyConfig], BlueskyPublisher]]:
    """Builds publishers and closes their connections after the test."""
    made: list[BlueskyPublisher] = []

    def make(config: BlueskyConfig) -> BlueskyPublisher:
        made.append(BlueskyPublisher(config, clock=FixedClock()))
        return made[-1]

    yield make
    for publisher in made:
        publisher.close()


def collect(
    listener: BlueskyFirehoseListener, cursor: Cursor | None, want: int
) -> tuple[list[CanonicalMention], Cursor | None]:
    """Poll fetch until `want` mentions arrived or the deadline passed (the runtime's job)."""
    mentions: list[CanonicalMention] = []
    deadline = time.monotonic() + DEADLINE_S
    while len(mentions) < want and time.monotonic() < deadline:
        batch = listener.fetch(cursor)
        mentions.extend(batch.mentions)
        cursor = batch.cursor or cursor
        if not batch.mentions:
            time.sleep(0.05)
    return mentions, cursor


def test_it_ingests_a_mention_from_the_firehose_and_replies_in_its_thread(
    devnet: Any,
    customer: Any,
    brand: Any,
    started: Callable[..., None],
    publisher_for: Callable[[BlueskyConfig], BlueskyPublisher],
) -> None:
    listener = BlueskyFirehoseListener(listener_config(devnet, brand), clock=FixedClock())
    started(listener, None)
    customer_client = devnet.login(customer)
    devnet.create_post(customer_client, customer.did, "unrelated post about the weather")
    uri = devnet.create_post(customer_client, customer.did, f"@{brand.handle} my order never came")

    mentions, _ = collect(listener, None, want=1)

    assert [m.id for m in mentions] == [uri]
    mention = mentions[0]
    assert mention.platform == "bluesky"
    # The firehose names authors by DID; the handle replaces it once an #identity event for the
    # account has been seen live, which on a fresh local network may or may not be before the post.
    assert mention.author is not None and mention.author.handle in {customer.did, customer.handle}
    rkey = AtUri.parse(uri).rkey
    assert mention.url in {
        f"https://bsky.app/profile/{who}/post/{rkey}" for who in (customer.did, customer.handle)
    }
    assert mention.lang == "pl" and mention.parent_id == ""
    assert mention.created_at == datetime(2025, 5, 1, 10, 0, tzinfo=UTC)

    publisher = publisher_for(listener_config(devnet, brand))
    request = PublishRequest(idempotency_key="reply-1", text="Sorry! DM us.", in_reply_to=uri)
    post = publish_once(publisher, request, MemoryLedger())

    reply = AtUri.parse(post.external_id)
    assert reply.repo == brand.did
    assert post.url == f"https://bsky.app/profile/{brand.handle}/post/{reply.rkey}"
    stored = devnet.login(customer).com.atproto.repo.get_record(
        {"repo": reply.repo, "collection": reply.collection, "rkey": reply.rkey}
    )
    value = stored.value.model_dump(by_alias=True)
    assert value["text"] == "Sorry! DM us."
    assert value["reply"]["root"]["uri"] == uri
    assert value["reply"]["parent"]["uri"] == uri


def test_a_reply_to_a_reply_keeps_the_thread_root(
    devnet: Any,
    customer: Any,
    brand: Any,
    publisher_for: Callable[[BlueskyConfig], BlueskyPublisher],
) -> None:
    customer_client = devnet.login(customer)
    root = devnet.create_post(customer_client, customer.did, f"@{brand.handle} first complaint")
    publisher = publisher_for(listener_config(devnet, brand))
    first = publisher.publish(PublishRequest("thread-1", "We are on it", in_reply_to=root))
    second = publisher.publish(
        PublishRequest("thread-2", "Fixed now", in_reply_to=first.external_id)
    )

    at = AtUri.parse(second.external_id)
    value = customer_client.com.atproto.repo.get_record(
        {"repo": at.repo, "collection": at.collection, "rkey": at.rkey}
    ).value.model_dump(by_alias=True)
    assert value["reply"]["root"]["uri"] == root
    assert value["reply"]["parent"]["uri"] == first.external_id


def test_retrying_a_request_key_never_posts_twice(
    devnet: Any, brand: Any, publisher_for: Callable[[BlueskyConfig], BlueskyPublisher]
) -> None:
    publisher = publisher_for(listener_config(devnet, brand))
    request = PublishRequest(idempotency_key="announcement-7", text="Service restored.")

    first = publisher.publish(request)
    again = publisher_for(listener_config(devnet, brand)).publish(request)

    assert again.external_id == first.external_id
    listed = devnet.login(brand).com.atproto.repo.list_records(
        {"repo": brand.did, "collection": "app.bsky.feed.post", "limit": 100}
    )
    texts = [r.value.model_dump(by_alias=True)["text"] for r in listed.records]
    assert texts.count("Service restored.") == 1


def test_it_quotes_a_post_with_an_embedded_record(
    devnet: Any,
    customer: Any,
    brand: Any,
    publisher_for: Callable[[BlueskyConfig], BlueskyPublisher],
) -> None:
    quoted = devnet.create_post(devnet.login(customer), customer.did, f"@{brand.handle} thanks!")
    publisher = publisher_for(listener_config(devnet, brand))

    post = publisher.publish(PublishRequest("quote-1", "Glad to help"), quote_uri=quoted)

    at = AtUri.parse(post.external_id)
    value = (
        devnet.login(brand)
        .com.atproto.repo.get_record(
            {"repo": at.repo, "collection": at.collection, "rkey": at.rkey}
        )
        .value.model_dump(by_alias=True)
    )
    assert value["embed"]["$type"] == "app.bsky.embed.record"
    assert value["embed"]["record"]["uri"] == quoted


def test_replying_to_a_missing_post_is_a_permanent_error(
    devnet: Any, brand: Any, publisher_for: Callable[[BlueskyConfig], BlueskyPublisher]
) -> None:
    publisher = publisher_for(listener_config(devnet, brand))
    missing = f"at://{brand.did}/app.bsky.feed.post/3kaaaaaaaaaaa"

    with pytest.raises(PublishError) as caught:
        publisher.publish(PublishRequest("reply-missing", "hello", in_reply_to=missing))

    assert caught.value.permanent


def test_a_wrong_app_password_is_a_permanent_error(
    devnet: Any, brand: Any, publisher_for: Callable[[BlueskyConfig], BlueskyPublisher]
) -> None:
    config = listener_config(devnet, brand).model_copy(update={"app_password": SecretStr("nope")})

    with pytest.raises(PublishError) as caught:
        publisher_for(config).publish(PublishRequest("k", "hello"))

    assert caught.value.permanent


def test_a_restart_from_the_saved_cursor_loses_and_repeats_nothing(
    devnet: Any, customer: Any, brand: Any, started: Callable[..., None]
) -> None:
    config = listener_config(devnet, brand, terms=("#stormtest",))
    client = devnet.login(customer)
    first = BlueskyFirehoseListener(config, clock=FixedClock())
    started(first, None)
    posted = [devnet.create_post(client, customer.did, f"#StormTest {i}") for i in range(4)]
    devnet.create_post(client, customer.did, "noise that no filter wants")

    # batch_size=2: collect stops after one or two fetches, with 2 or 3 of the 4 drained and
    # the rest still queued when the listener stops; the restart must recover those.
    seen, cursor = collect(first, None, want=2)
    first.stop()
    posted += [devnet.create_post(client, customer.did, f"#stormtest {i}") for i in range(4, 7)]
    second = BlueskyFirehoseListener(config, clock=FixedClock())
    started(second, cursor)
    rest, _ = collect(second, cursor, want=len(posted) - len(seen))

    assert 2 <= len(seen) < 4
    ids = [m.id for m in seen + rest]
    assert sorted(ids) == sorted(posted)
    assert len(ids) == len(set(ids))
