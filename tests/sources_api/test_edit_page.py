"""The source edit page through Django's test client: prefilled, secrets kept, owners only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from stormwatch.sources.kinds import decrypt_stored
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.secrets import MASK
from stormwatch.sources.service import add_source
from stormwatch.testing import TEST_NOW_ISO

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat(TEST_NOW_ISO)
SECRET = "AAAA-edit-page-secret"
BASE = "/w/nordbank/sources/"


@pytest.fixture
def x_source(cast: Any) -> SourceConfig:
    return add_source(
        workspace=cast.workspace,
        kind="x",
        name="X search",
        config={"bearer_token": SECRET, "query": "nordbank", "page_size": 50},
        now=NOW,
    )


def _bearer(source: SourceConfig) -> str:
    source.refresh_from_db()
    typed: Any = decrypt_stored(source.kind, source.config)
    return str(typed.bearer_token.get_secret_value())


def test_the_edit_page_is_prefilled_with_the_masked_config(cast: Any, x_source: Any) -> None:
    page = cast.client_for(cast.owner).get(f"{BASE}{x_source.pk}/edit/").content.decode()
    assert 'value="X search"' in page
    assert 'name="query" value="nordbank"' in page
    assert 'name="page_size" value="50"' in page
    assert f'value="{MASK}"' in page
    assert SECRET not in page


def test_a_masked_or_empty_secret_keeps_its_stored_value(cast: Any, x_source: Any) -> None:
    client = cast.client_for(cast.owner)
    url = f"{BASE}{x_source.pk}/edit/"
    response = client.post(url, {"name": "Renamed", "bearer_token": MASK, "query": "nordbank pl"})
    assert response.status_code == 302
    assert _bearer(x_source) == SECRET
    assert x_source.name == "Renamed" and x_source.config["query"] == "nordbank pl"
    client.post(url, {"name": "Renamed", "bearer_token": "", "query": "nordbank"})
    assert _bearer(x_source) == SECRET


def test_a_new_secret_replaces_the_stored_one(cast: Any, x_source: Any) -> None:
    cast.client_for(cast.owner).post(
        f"{BASE}{x_source.pk}/edit/", {"name": "X", "bearer_token": "new-one", "query": "q"}
    )
    assert _bearer(x_source) == "new-one"


def test_a_bad_edit_names_the_field_and_changes_nothing(cast: Any, x_source: Any) -> None:
    response = cast.client_for(cast.owner).post(
        f"{BASE}{x_source.pk}/edit/", {"name": "X", "bearer_token": MASK, "page_size": "5"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="page_size"' in page and SECRET not in page
    x_source.refresh_from_db()
    assert x_source.config["page_size"] == 50


@pytest.mark.parametrize("role", ["analyst", "responder", "viewer", "outsider"])
def test_only_owners_and_admins_may_edit(cast: Any, x_source: Any, role: str) -> None:
    client = cast.client_for(getattr(cast, role))
    url = f"{BASE}{x_source.pk}/edit/"
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"name": "Hijacked", "query": "x"}).status_code in (403, 404)
    x_source.refresh_from_db()
    assert x_source.name == "X search"


def test_another_workspaces_source_is_not_found(cast: Any) -> None:
    theirs = add_source(
        workspace=cast.other_workspace,
        kind="rss",
        name="Feed",
        config={"url": "http://x/"},
        now=NOW,
    )
    assert cast.client_for(cast.owner).get(f"{BASE}{theirs.pk}/edit/").status_code == 404


def test_the_list_links_to_the_edit_page_for_managers_only(cast: Any, x_source: Any) -> None:
    edit = f'href="{BASE}{x_source.pk}/edit/"'
    assert edit in cast.client_for(cast.owner).get(BASE).content.decode()
    assert edit not in cast.client_for(cast.viewer).get(BASE).content.decode()


def test_the_polish_form_shows_polish_labels(cast: Any) -> None:
    client = cast.client_for(cast.owner)
    page = client.get(BASE + "new/x/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Zapytanie wyszukiwania" in page
    assert "Search query" not in page
