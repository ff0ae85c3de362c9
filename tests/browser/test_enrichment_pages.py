"""Sentiment, tags and narratives in the browser: one-click corrections in the stream, the
narratives page with its charts, and teaching Stormwatch a workspace's own classifier."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from stormwatch.annotations.models import Correction
from stormwatch.annotations.service import NarrativeSighting, correct_sentiment, record_narratives
from stormwatch.core.clock import SystemClock
from stormwatch.mentions.models import Mention
from stormwatch.testing import store_labelled_mentions

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

OUTAGE = [
    "Aplikacja nie działa od rana",
    "Nie mogę się zalogować do bankowości internetowej",
    "Strona banku leży, błąd 503",
    "Przelewy nie przechodzą, system padł",
    "The app keeps crashing whenever I try to pay",
    "Online banking is down again, can't log in",
    "Website shows error 500 all day",
    "Transfers are stuck, your system is broken",
]
PRAISE = [
    "Świetna obsługa w oddziale, dziękuję",
    "Great support today, thank you Nordbank",
    "Love the new app design",
    "Super szybki przelew, polecam",
    "The advisor was really helpful",
    "Bardzo miła pani na infolinii",
    "Best bank app I have used",
    "Dziękuję za szybką pomoc",
]


def test_one_click_corrects_sentiment_in_the_stream_without_a_reload(
    page: Any, live_server: Any, cast: Any, log_in: Any
) -> None:
    store_labelled_mentions(
        cast.workspace.pk,
        [("m1", "Dzięki za szybką pomoc w oddziale", "neutral", [])],
        now=SystemClock().now(),
    )
    log_in("rita")
    page.goto(f"{live_server.url}/w/nordbank/mentions/")
    page.evaluate("window.__marker = 'same page'")
    row = page.locator("article.mention", has_text="szybką pomoc")
    expect(row.get_by_test_id("sentiment")).to_have_text("neutral")
    row.hover()
    row.get_by_role("button", name="Mark positive").click()
    expect(row.get_by_test_id("sentiment")).to_have_text("positive ✎")
    row.get_by_role("button", name="Add tag praise").click()
    expect(row.get_by_test_id("tag")).to_contain_text("praise")
    expect(row.get_by_role("button", name="Remove tag praise")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"
    assert Mention.objects.get(external_id="m1").sentiment == "neutral"  # the machine's, kept
    assert Correction.objects.count() == 2


def test_the_narratives_page_shows_labels_volume_charts_and_links(
    page: Any, live_server: Any, cast: Any, log_in: Any
) -> None:
    now = SystemClock().now()
    rows = [(f"o{i}", t, "negative", ["complaint"]) for i, t in enumerate(OUTAGE[:4])]
    store_labelled_mentions(cast.workspace.pk, rows, now=now, narrative="n-outage")
    store_labelled_mentions(
        cast.workspace.pk, [("p0", PRAISE[0], "positive", [])], now=now, narrative="n-praise"
    )
    record_narratives(
        workspace_id=cast.workspace.pk,
        sightings=[
            NarrativeSighting(
                "n-outage", "awaria · aplikacja · logowanie", "o0", 4, now - timedelta(days=2)
            ),
            NarrativeSighting("n-outage", "awaria · aplikacja · logowanie", "o0", 4, now),
            NarrativeSighting("n-praise", "obsługa · oddział · dziękuję", "p0", 1, now),
        ],
    )
    log_in("wiktor")
    page.get_by_role("link", name="Narratives").click()
    outage = page.get_by_test_id("narrative-row").filter(has_text="awaria · aplikacja")
    expect(outage.get_by_test_id("narrative-size")).to_have_text("4")
    expect(outage.locator(".sparkline .main-svg").first).to_be_attached()
    expect(page.get_by_test_id("narrative-row")).to_have_count(2)
    outage.get_by_role("link", name="awaria · aplikacja · logowanie").click()
    expect(page.locator("article.mention")).to_have_count(4)
    expect(page.locator("article.mention").first.get_by_test_id("narrative")).to_contain_text(
        "awaria · aplikacja"
    )


def test_the_teach_page_trains_a_model_and_switches_it_on(
    page: Any, live_server: Any, cast: Any, log_in: Any
) -> None:
    now = SystemClock().now()
    rows: list[tuple[str, str, str, list[str]]] = [
        (f"o{i}", t, "neutral", []) for i, t in enumerate(OUTAGE)
    ]
    rows += [(f"p{i}", t, "positive", []) for i, t in enumerate(PRAISE)]
    store_labelled_mentions(cast.workspace.pk, rows, now=now)
    for mention in Mention.objects.filter(workspace=cast.workspace):
        value = "negative" if mention.external_id.startswith("o") else "positive"
        correct_sentiment(mention=mention, value=value, by=cast.responder, now=now)
    log_in("adam")
    page.get_by_role("link", name="Teach").click()
    sentiment = page.get_by_role("region", name="Sentiment")
    expect(sentiment.get_by_role("row", name="negative 8")).to_be_visible()
    sentiment.get_by_role("button", name="Train sentiment model").click()
    expect(page.get_by_test_id("trained")).to_contain_text("Trained version 1")
    sentiment = page.get_by_role("region", name="Sentiment")
    expect(sentiment.get_by_test_id("baseline")).to_have_text("50 %")  # praise right, outage not
    expect(sentiment.get_by_test_id("status")).to_have_text("off")
    sentiment.get_by_role("button", name="Switch on").click()
    expect(page.get_by_role("region", name="Sentiment").get_by_test_id("status")).to_have_text(
        "on: labels new mentions"
    )
