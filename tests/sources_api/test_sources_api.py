"""/api/v1/sources through the HTTP client: the token's workspace only, secrets never out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from django.test import Client
from tests.localhttp import LocalServer

from stormwatch.core.clock import SystemClock
from stormwatch.mentions.models import Mention
from stormwatch.sources.kinds import decrypt_stored
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.service import add_source
from stormwatch.testing import TEST_NOW_ISO, rss_feed
from stormwatch.workspaces.service import issue_api_token

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat(TEST_NOW_ISO)
SECRET = "AAAA-api-secret-bearer"
URL = "/api/v1/sources"


class Api:
    def __init__(self, token: str) -> None:
        self.client = Client()
        self.auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str = "") -> Any:
        return self.client.get(URL + path, **self.auth)

    def send(self, method: str, path: str = "", body: Any = None) -> Any:
        call = getattr(self.client, method)
        data = json.dumps(body) if body is not None else None
        return call(URL + path, data=data, content_type="application/json", **self.auth)


def _api(cast: Any, workspace: Any, user: Any) -> Api:
    return Api(issue_api_token(workspace=workspace, name="t", created_by=user, now=NOW).secret)


@pytest.fixture
def ours(cast: Any) -> Api:
    return _api(cast, cast.workspace, cast.owner)


@pytest.fixture
def theirs(cast: Any) -> Api:
    return _api(cast, cast.other_workspace, cast.outsider)


@pytest.fixture
def x_source(cast: Any) -> SourceConfig:
    return add_source(
        workspace=cast.workspace,
        kind="x",
        name="X search",
        config={"bearer_token": SECRET, "query": "nordbank"},
        now=NOW,
    )


@pytest.fixture
def feed_url() -> Iterator[str]:
    now = SystemClock().now()
    items = [
        (f"n{n}", f"Awaria Nordbanku {n}", format_datetime(now - timedelta(minutes=n)))
        for n in range(1, 4)
    ]
    with LocalServer() as server:
        server.route("GET", "/feed.xml", (200, rss_feed(items), {}))
        yield server.url + "/feed.xml"


def test_it_lists_sources_with_health_and_masked_secrets(ours: Api, x_source: Any) -> None:
    response = ours.get()
    assert response.status_code == 200
    (source,) = response.json()
    assert source["name"] == "X search" and source["kind"] == "x"
    assert source["status"] == "new" and source["enabled"] is True
    assert source["config"]["bearer_token"] == "**********"
    assert SECRET not in response.content.decode()


def test_it_adds_a_source_and_never_echoes_the_secret(ours: Api, cast: Any) -> None:
    body = {"kind": "x", "name": "X", "config": {"bearer_token": SECRET, "query": "nordbank"}}
    response = ours.send("post", body=body)
    assert response.status_code == 201
    assert SECRET not in response.content.decode()
    stored = SourceConfig.objects.get(workspace=cast.workspace)
    assert stored.name == "X" and SECRET not in json.dumps(stored.config)


def test_bad_input_answers_422_naming_each_field(ours: Api) -> None:
    body = {"kind": "x", "name": "", "config": {"bearer_token": SECRET, "page_size": 5}}
    response = ours.send("post", body=body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"name", "query", "page_size"} <= fields
    assert SECRET not in response.content.decode()
    unknown = ours.send("post", body={"kind": "myspace", "name": "M", "config": {}})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "kind"
    assert not SourceConfig.objects.exists()


def test_the_test_call_fetches_a_few_items_and_stores_nothing(
    ours: Api, cast: Any, feed_url: str
) -> None:
    source = add_source(
        workspace=cast.workspace, kind="rss", name="Feed", config={"url": feed_url}, now=NOW
    )
    response = ours.send("post", f"/{source.pk}/test")
    assert response.status_code == 200
    assert [i["text"] for i in response.json()["items"]][:1] == ["Awaria Nordbanku 1"]
    assert not Mention.objects.exists()


def test_a_failing_test_call_says_why(ours: Api, cast: Any) -> None:
    source = add_source(
        workspace=cast.workspace,
        kind="rss",
        name="Feed",
        config={"url": "http://127.0.0.1:9/feed.xml"},
        now=NOW,
    )
    response = ours.send("post", f"/{source.pk}/test")
    assert response.status_code == 502
    assert response.json()["error"] == "test fetch failed"


def test_patch_renames_disables_and_changes_config_keeping_the_secret(
    ours: Api, x_source: Any
) -> None:
    path = f"/{x_source.pk}"
    renamed = ours.send("patch", path, {"name": "X renamed", "enabled": False})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "X renamed" and renamed.json()["status"] == "paused"
    changed = ours.send("patch", path, {"config": {"bearer_token": "**********", "query": "nb"}})
    assert changed.json()["config"]["query"] == "nb"
    x_source.refresh_from_db()
    typed: Any = decrypt_stored("x", x_source.config)
    assert typed.bearer_token.get_secret_value() == SECRET
    assert not x_source.is_enabled
    assert ours.send("patch", path, {"enabled": True}).json()["enabled"] is True
    bad = ours.send("patch", path, {"config": {"query": "nb", "page_size": 1}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "page_size"


def test_delete_removes_the_source(ours: Api, x_source: Any) -> None:
    assert ours.send("delete", f"/{x_source.pk}").status_code == 204
    assert not SourceConfig.objects.exists()
    assert ours.send("delete", f"/{x_source.pk}").status_code == 404


def test_another_workspaces_token_sees_and_touches_nothing(theirs: Api, x_source: Any) -> None:
    assert theirs.get().json() == []
    path = f"/{x_source.pk}"
    assert theirs.send("patch", path, {"name": "Hijacked"}).status_code == 404
    assert theirs.send("post", f"{path}/test").status_code == 404
    assert theirs.send("delete", path).status_code == 404
    x_source.refresh_from_db()
    assert x_source.name == "X search"


def test_a_missing_or_wrong_token_is_refused(x_source: Any) -> None:
    assert Client().get(URL).status_code == 401
    assert Api("nope").send("delete", f"/{x_source.pk}").status_code == 401
    assert SourceConfig.objects.exists()
