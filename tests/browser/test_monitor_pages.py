"""Monitors: create with a live preview, see syntax errors where they are, edit, delete."""

from __future__ import annotations

from typing import Any

import pytest

from stormwatch.core.clock import SystemClock
from stormwatch.monitors.models import Monitor
from stormwatch.pipeline.ingest import ingest_items
from stormwatch.testing import mention_json

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def mentions(cast: Any) -> Any:
    now = SystemClock().now().isoformat()
    texts = [
        "Gdzie są moje pieniądze? Przelew nie doszedł",
        "gdzie moje pieniadze",
        "Nordbank app works great",
    ]
    ingest_items(
        workspace_id=cast.workspace.pk,
        items=[mention_json(f"p{i}", t, created_at=now) for i, t in enumerate(texts)],
    )
    return cast


def test_the_preview_counts_matches_live_while_typing(
    page: Any, live_server: Any, mentions: Any, log_in: Any
) -> None:
    log_in("adam")
    page.goto(f"{live_server.url}/w/nordbank/monitors/new/")
    page.get_by_label("Query", exact=True).fill("pieniadze")
    count = page.get_by_test_id("preview-count")
    count.wait_for()
    assert count.inner_text().startswith("2 of 3")
    page.get_by_label("Ignore Polish diacritics").uncheck()
    page.wait_for_function(
        "document.querySelector('[data-testid=preview-count]').innerText.startsWith('1 of 3')"
    )


def test_a_syntax_error_names_the_position(
    page: Any, live_server: Any, mentions: Any, log_in: Any
) -> None:
    log_in("adam")
    page.goto(f"{live_server.url}/w/nordbank/monitors/new/")
    page.get_by_label("Query", exact=True).fill("(awaria OR down")
    error = page.get_by_test_id("query-error")
    error.wait_for()
    assert "position" in error.inner_text()
    page.get_by_label("Name").fill("Broken")
    page.get_by_role("button", name="Save monitor").click()
    assert "position" in page.get_by_role("alert").first.inner_text()
    assert not Monitor.objects.filter(name="Broken").exists()


def test_an_analyst_creates_edits_and_deletes_a_monitor(
    page: Any, live_server: Any, mentions: Any, log_in: Any
) -> None:
    log_in("adam")
    page.goto(f"{live_server.url}/w/nordbank/monitors/")
    page.get_by_role("link", name="New monitor").click()
    page.get_by_label("Name").fill("Money")
    page.get_by_label("Query", exact=True).fill("pieniądze OR przelew*")
    page.get_by_role("button", name="Save monitor").click()
    page.wait_for_url("**/monitors/")
    assert page.get_by_role("cell", name="Money").is_visible()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Name").fill("Money matters")
    page.get_by_role("button", name="Save monitor").click()
    page.wait_for_url("**/monitors/")
    assert page.get_by_role("cell", name="Money matters").is_visible()
    page.get_by_role("link", name="Edit").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete monitor").click()
    page.wait_for_url("**/monitors/")
    assert not Monitor.objects.exists()


def test_a_viewer_cannot_open_the_monitor_editor(
    page: Any, live_server: Any, mentions: Any, log_in: Any
) -> None:
    log_in("wiktor")
    page.goto(f"{live_server.url}/w/nordbank/monitors/")
    assert page.get_by_role("link", name="New monitor").count() == 0
    response = page.goto(f"{live_server.url}/w/nordbank/monitors/new/")
    assert response is not None and response.status == 403
