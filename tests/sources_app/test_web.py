"""Source pages through Django's test client: who may do what, and secrets never in HTML."""

from __future__ import annotations

from typing import Any

import pytest

from stormwatch.sources.models import SourceConfig
from stormwatch.sources.service import add_source

from .conftest import FEED_PATH, NOW

pytestmark = pytest.mark.django_db

SECRET = "AAAA-web-secret-bearer"
BASE = "/w/nordbank/sources/"


@pytest.fixture
def x_source(cast: Any) -> SourceConfig:
    return add_source(
        workspace=cast.workspace,
        kind="x",
        name="X search",
        config={"bearer_token": SECRET, "query": "nordbank"},
        now=NOW,
    )


def test_the_owner_adds_a_source_from_the_generated_form(cast: Any) -> None:
    client = cast.client_for(cast.owner)
    page = client.get(BASE + "new/x/").content.decode()
    assert 'type="password" id="id_bearer_token"' in page
    assert 'name="page_size" value="100" step="1" min="10" max="100"' in page
    response = client.post(
        BASE + "new/x/", {"name": "X search", "bearer_token": SECRET, "query": "nordbank"}
    )
    assert response.status_code == 302
    listing = client.get(BASE).content.decode()
    assert "X search" in listing and SECRET not in listing


def test_a_bad_form_shows_field_errors_and_never_echoes_the_secret(cast: Any) -> None:
    response = cast.client_for(cast.owner).post(
        BASE + "new/x/", {"name": "X", "bearer_token": SECRET, "query": "", "page_size": "5"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="query"' in page and 'data-field="page_size"' in page
    assert SECRET not in page
    assert not SourceConfig.objects.exists()


def test_the_test_button_shows_items_without_storing(cast: Any, recent_feed_server: Any) -> None:
    response = cast.client_for(cast.owner).post(
        BASE + "test/rss/", {"url": recent_feed_server.url + FEED_PATH}
    )
    page = response.content.decode()
    assert "3 items fetched (nothing stored)" in page
    assert "Awaria aplikacji Nordbanku numer 2" in page
    assert not SourceConfig.objects.exists()


def test_the_test_button_shows_the_platforms_error(cast: Any, feed_server: Any) -> None:
    feed_server.route("GET", FEED_PATH, (404, b"gone", {}))
    page = cast.client_for(cast.owner).post(
        BASE + "test/rss/", {"url": feed_server.url + FEED_PATH}
    )
    assert "HTTP 404" in page.content.decode()


def test_an_admin_disables_enables_and_deletes(cast: Any, x_source: SourceConfig) -> None:
    client = cast.client_for(cast.owner)
    client.post(f"{BASE}{x_source.pk}/switch/", {"enabled": "0"})
    assert not SourceConfig.objects.get().is_enabled
    assert "disabled" in client.get(BASE).content.decode()
    client.post(f"{BASE}{x_source.pk}/switch/", {"enabled": "1"})
    assert SourceConfig.objects.get().is_enabled
    client.post(f"{BASE}{x_source.pk}/delete/")
    assert not SourceConfig.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "responder", "viewer"])
def test_members_without_manage_sources_see_the_list_but_cannot_change_it(
    cast: Any, x_source: SourceConfig, role: str
) -> None:
    client = cast.client_for(getattr(cast, role))
    listing = client.get(BASE)
    assert listing.status_code == 200 and "X search" in listing.content.decode()
    assert "Add source" not in listing.content.decode()
    assert client.get(BASE + "new/x/").status_code == 403
    assert (
        client.post(BASE + "new/x/", {"name": "Y", "bearer_token": "t", "query": "q"}).status_code
        == 403
    )
    assert client.post(BASE + "test/rss/", {"url": "http://127.0.0.1:9/"}).status_code == 403
    assert client.post(f"{BASE}{x_source.pk}/delete/").status_code == 403
    assert SourceConfig.objects.count() == 1


def test_an_outsider_gets_404_everywhere(cast: Any, x_source: SourceConfig) -> None:
    client = cast.client_for(cast.outsider)
    assert client.get(BASE).status_code == 404
    assert client.get(BASE + "new/x/").status_code == 404
    assert client.post(f"{BASE}{x_source.pk}/delete/").status_code == 404
    assert client.post(f"{BASE}{x_source.pk}/switch/", {"enabled": "0"}).status_code == 404
    own_ws = f"/w/{cast.other_workspace.slug}/sources/{x_source.pk}/delete/"
    assert client.post(own_ws).status_code == 404  # another workspace's source id
    assert SourceConfig.objects.get().is_enabled


def test_a_failing_source_is_red_with_the_platforms_message(
    cast: Any, x_source: SourceConfig
) -> None:
    SourceConfig.objects.update(
        consecutive_failures=3, last_error="StormwatchError: X: 401 Unauthorized", last_error_at=NOW
    )
    page = cast.client_for(cast.viewer).get(BASE).content.decode()
    assert 'data-status="failing"' in page and "background:#fde8e8" in page
    assert "X: 401 Unauthorized" in page and "3 failures in a row" in page


def test_own_accounts_are_added_and_removed_by_an_owner(cast: Any) -> None:
    client = cast.client_for(cast.owner)
    client.post(
        BASE + "own-accounts/", {"platform": "mastodon", "handle": "@nordbank@mastodon.social"}
    )
    assert "mastodon: @nordbank@mastodon.social" in client.get(BASE).content.decode()
    account = cast.workspace.own_accounts.get()
    assert (
        cast.client_for(cast.viewer).post(f"{BASE}own-accounts/{account.pk}/delete/").status_code
        == 403
    )
    client.post(f"{BASE}own-accounts/{account.pk}/delete/")
    assert not cast.workspace.own_accounts.exists()
