"""The overview chart, the live mention stream, its filters, and one mention's detail page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from stormwatch.core.clock import SystemClock
from stormwatch.mentions.models import Mention
from stormwatch.monitors.service import MonitorInput, create_monitor
from stormwatch.pipeline.ingest import ingest_items
from stormwatch.testing import mention_json

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _recent(minutes_ago: int) -> str:
    return (SystemClock().now() - timedelta(minutes=minutes_ago)).isoformat()


@pytest.fixture
def stream(cast: Any) -> Any:
    now = SystemClock().now()
    create_monitor(
        workspace=cast.workspace, data=MonitorInput(name="Outage", query="awaria OR down"), now=now
    )
    items = [
        mention_json(
            "m1",
            "Awaria aplikacji Nordbank, nie działa logowanie",
            created_at=_recent(30),
            lang="pl",
        ),
        mention_json(
            "m2", "Love the new Nordbank card design", created_at=_recent(20), platform="mastodon"
        ),
        mention_json(
            "m3",
            "@kasia same here, app down for me too",
            created_at=_recent(10),
            parent_id="m1",
            author={"handle": "tomek", "followers": 5000},
        ),
    ]
    ingest_items(workspace_id=cast.workspace.pk, items=items)
    return cast


def test_the_overview_draws_a_chart_per_monitor(page: Any, stream: Any, log_in: Any) -> None:
    log_in("olga")
    cards = page.locator("section.card")
    assert cards.count() == 2  # all mentions + the Outage monitor
    outage = page.get_by_role("region", name="Outage")
    assert outage.get_by_test_id("total").inner_text() == "2"
    outage.locator(".main-svg").first.wait_for()
    assert outage.locator("g.trace.bars").count() >= 1


def test_the_stream_lists_mentions_newest_first_and_filters_by_monitor(
    page: Any, live_server: Any, stream: Any, log_in: Any
) -> None:
    log_in("adam")
    page.goto(f"{live_server.url}/w/nordbank/mentions/")
    ids = page.locator("article.mention").evaluate_all("els => els.map(e => e.dataset.mentionId)")
    texts = page.locator("article.mention").all_inner_texts()
    assert len(ids) == 3 and "app down for me too" in texts[0]
    page.get_by_label("Monitor").select_option(label="Outage")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    texts = page.locator("article.mention").all_inner_texts()
    assert len(texts) == 2
    assert all("Love the new" not in t for t in texts)


def test_a_new_mention_appears_in_the_stream_without_a_reload(
    page: Any, live_server: Any, stream: Any, log_in: Any
) -> None:
    log_in("rita")
    page.goto(f"{live_server.url}/w/nordbank/mentions/")
    assert page.locator("article.mention").count() == 3
    page.evaluate("window.__marker = 'same page'")
    ingest_items(
        workspace_id=stream.workspace.pk,
        items=[
            mention_json(
                "fresh", "Breaking: Nordbank przelewy znowu nie działają", created_at=_recent(0)
            )
        ],
    )
    page.locator("article.mention", has_text="Breaking: Nordbank").wait_for(timeout=10_000)
    assert page.evaluate("window.__marker") == "same page"
    assert page.locator("article.mention").count() == 4


def test_searching_finds_text_and_shows_an_empty_state(
    page: Any, live_server: Any, stream: Any, log_in: Any
) -> None:
    log_in("wiktor")
    page.goto(f"{live_server.url}/w/nordbank/mentions/")
    page.get_by_label("Search").fill("card design")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert page.locator("article.mention").count() == 1
    page.get_by_label("Search").fill("nothing like this")
    page.get_by_role("button", name="Filter").click()
    assert "No mentions match these filters yet" in page.locator("#stream").inner_text()


def test_a_mention_shows_its_author_and_thread(
    page: Any, live_server: Any, stream: Any, log_in: Any
) -> None:
    log_in("olga")
    reply = Mention.objects.get(external_id="m3")
    page.goto(f"{live_server.url}/w/nordbank/mentions/{reply.pk}/")
    assert (
        page.get_by_test_id("mention-text").inner_text() == "@kasia same here, app down for me too"
    )
    assert page.get_by_text("@tomek").first.is_visible()
    thread = page.locator("section.card", has=page.get_by_role("heading", name="Thread"))
    assert "Awaria aplikacji Nordbank" in thread.inner_text()
