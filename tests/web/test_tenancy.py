"""Every workspace page: members see it, an outsider gets 404, a weak role gets 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from stormwatch.monitors.service import MonitorInput, create_monitor
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.ingest import ingest_items
from stormwatch.testing import mention_json

pytestmark = pytest.mark.django_db

PAGES = ["", "mentions/", "mentions/new/?after=0", "monitors/", "monitors/preview/?query=a"]


@pytest.fixture
def seeded(cast: Any) -> dict[str, int]:
    monitor = create_monitor(
        workspace=cast.workspace,
        data=MonitorInput(name="M", query="nordbank"),
        now=cast.workspace.created_at,
    )
    ingest_items(
        workspace_id=cast.workspace.pk,
        items=[mention_json("1", "nordbank")],
        context=StageContext(enrichment="off"),
    )
    mention_id = cast.workspace.mentions.get().pk
    return {"monitor": monitor.pk, "mention": mention_id}


@pytest.mark.parametrize("page", PAGES)
def test_members_see_the_page_and_outsiders_get_not_found(
    cast: Any, seeded: Any, page: str
) -> None:
    url = f"/w/nordbank/{page}"
    assert cast.client_for(cast.viewer).get(url).status_code == 200
    assert cast.client_for(cast.outsider).get(url).status_code == 404


def test_detail_pages_of_another_workspace_are_not_found_even_by_id(cast: Any, seeded: Any) -> None:
    outsider = cast.client_for(cast.outsider)
    assert outsider.get(f"/w/rivalbank/mentions/{seeded['mention']}/").status_code == 404
    assert outsider.get(f"/w/rivalbank/monitors/{seeded['monitor']}/").status_code == 404
    assert (
        cast.client_for(cast.viewer).get(f"/w/nordbank/mentions/{seeded['mention']}/").status_code
        == 200
    )


def test_signed_out_visitors_are_sent_to_the_login_page(seeded: Any) -> None:
    response = Client().get("/w/nordbank/mentions/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        ("viewer", "/w/nordbank/monitors/new/", 403),
        ("responder", "/w/nordbank/monitors/new/", 403),
        ("analyst", "/w/nordbank/monitors/new/", 200),
        ("analyst", "/w/nordbank/tokens/", 403),
        ("owner", "/w/nordbank/tokens/", 200),
    ],
)
def test_roles_decide_who_may_edit(
    cast: Any, seeded: Any, user: str, url: str, status: int
) -> None:
    assert cast.client_for(getattr(cast, user)).get(url).status_code == status


def test_a_viewer_cannot_delete_a_monitor_by_posting(cast: Any, seeded: Any) -> None:
    response = cast.client_for(cast.viewer).post(
        f"/w/nordbank/monitors/{seeded['monitor']}/delete/"
    )
    assert response.status_code == 403
    assert cast.workspace.monitors.count() == 1
