"""Publishing through a source's account: recorded with its approver, never posted twice.
Mastodon's real client posts to a local HTTP server answering in Mastodon's documented format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.localhttp import LocalServer

from stormwatch.core.clock import FrozenClock
from stormwatch.sources.models import PublishRecord, SourceConfig
from stormwatch.sources.publish import PublishError, PublishRequest
from stormwatch.sources.queries import list_publish_records
from stormwatch.sources.service import add_source, publish_reply

from .conftest import NOW

pytestmark = pytest.mark.django_db

POSTED = (
    Path(__file__).resolve().parents[2]
    / "src/stormwatch/sources/mastodon/fixtures/status-posted.json"
).read_text(encoding="utf-8")
STATUSES = "/api/v1/statuses"
JSON = {"Content-Type": "application/json; charset=utf-8"}
REPLY = PublishRequest("response-17", "Przepraszamy, pracujemy nad tym.", in_reply_to="1135")


@pytest.fixture
def mastodon() -> Iterator[LocalServer]:
    with LocalServer() as server:
        server.route("POST", STATUSES, (200, POSTED, JSON))
        yield server


@pytest.fixture
def account(cast: Any, mastodon: LocalServer) -> SourceConfig:
    return add_source(
        workspace=cast.workspace,
        kind="mastodon",
        name="Our Mastodon",
        config={"api_base_url": mastodon.url, "access_token": "brand-token", "stream": "public"},
        now=NOW,
    )


def posts_sent(server: LocalServer) -> int:
    return sum(1 for r in server.requests if (r.method, r.path) == ("POST", STATUSES))


def test_a_reply_is_posted_once_and_recorded_with_its_approver(
    cast: Any, mastodon: LocalServer, account: SourceConfig
) -> None:
    clock = FrozenClock(NOW)
    args = {"workspace": cast.workspace, "source": account, "request": REPLY, "clock": clock}
    post = publish_reply(approved_by=cast.owner, **args)
    again = publish_reply(approved_by=cast.responder, **args)
    assert again == post and post.external_id == "113500000000000100"
    assert posts_sent(mastodon) == 1
    assert mastodon.requests[0].headers["idempotency-key"] == "response-17"
    assert mastodon.requests[0].headers["authorization"] == "Bearer brand-token"
    (record,) = list_publish_records(cast.workspace)
    assert (record.status, record.approved_by, record.in_reply_to) == (
        "published",
        cast.owner,
        "1135",
    )
    assert record.url == post.url and record.text == REPLY.text


def test_a_refused_post_is_recorded_failed_and_may_be_retried(
    cast: Any, mastodon: LocalServer, account: SourceConfig
) -> None:
    mastodon.route("POST", STATUSES, (422, {"error": "Validation failed: Text too long"}, {}))
    clock = FrozenClock(NOW)
    args = {"workspace": cast.workspace, "source": account, "request": REPLY, "clock": clock}
    with pytest.raises(PublishError, match="Text too long") as caught:
        publish_reply(approved_by=cast.owner, **args)
    assert caught.value.permanent
    record = PublishRecord.objects.get()
    assert record.status == "failed" and "Text too long" in record.error
    mastodon.route("POST", STATUSES, (200, POSTED, JSON))
    publish_reply(approved_by=cast.owner, **args)
    assert PublishRecord.objects.get().status == "published"


def test_an_attempt_with_an_unknown_outcome_is_never_repeated(
    cast: Any, mastodon: LocalServer, account: SourceConfig
) -> None:
    PublishRecord.objects.create(
        idempotency_key=REPLY.idempotency_key,
        workspace=cast.workspace,
        source=account,
        kind="mastodon",
        text=REPLY.text,
        approved_by=cast.owner,
        status="claimed",  # a crash after the HTTP call, before the outcome was written
        created_at=NOW,
        updated_at=NOW,
    )
    clock = FrozenClock(NOW)
    with pytest.raises(PublishError, match="unknown outcome"):
        publish_reply(
            workspace=cast.workspace,
            source=account,
            request=REPLY,
            approved_by=cast.owner,
            clock=clock,
        )
    assert posts_sent(mastodon) == 0


def test_a_source_of_another_workspace_or_without_publishing_is_refused(
    cast: Any, account: SourceConfig
) -> None:
    clock = FrozenClock(NOW)
    with pytest.raises(PublishError, match="another workspace"):
        publish_reply(
            workspace=cast.other_workspace,
            source=account,
            request=REPLY,
            approved_by=cast.outsider,
            clock=clock,
        )
    feed = add_source(
        workspace=cast.workspace,
        kind="rss",
        name="Feed",
        config={"url": "http://127.0.0.1:9/f"},
        now=NOW,
    )
    with pytest.raises(PublishError, match="cannot publish"):
        publish_reply(
            workspace=cast.workspace,
            source=feed,
            request=REPLY,
            approved_by=cast.owner,
            clock=clock,
        )
    assert not PublishRecord.objects.exists()
