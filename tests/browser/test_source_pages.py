"""Sources: the list with health, the add form built from the config model, the Test button
fetching a few items without storing, and disabling a source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.localhttp import LocalServer

from stormwatch.core.clock import SystemClock
from stormwatch.mentions.models import Mention
from stormwatch.sources.kinds import decrypt_stored
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.service import add_source
from stormwatch.testing import rss_feed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def feed() -> Iterator[str]:
    now = SystemClock().now()
    items = [
        (f"n{n}", f"Awaria bankowości numer {n}", format_datetime(now - timedelta(minutes=n)))
        for n in range(1, 4)
    ]
    with LocalServer() as server:
        server.route("GET", "/feed.xml", (200, rss_feed(items), {}))
        yield server.url + "/feed.xml"


@pytest.fixture
def sources(cast: Any) -> Any:
    now = SystemClock().now()
    healthy = add_source(
        workspace=cast.workspace,
        kind="x",
        name="X search",
        config={"bearer_token": "AAAA-browser-secret", "query": "nordbank"},
        now=now,
    )
    healthy.last_success_at = now - timedelta(minutes=3)
    healthy.wake_at = now + timedelta(minutes=5)
    healthy.save()
    failing = add_source(
        workspace=cast.workspace,
        kind="mastodon",
        name="Mastodon tag",
        config={"api_base_url": "https://mastodon.example", "query": "nordbank"},
        now=now,
    )
    SourceConfig.objects.filter(pk=failing.pk).update(
        consecutive_failures=4, last_error="MastodonNotFoundError: Record not found"
    )
    return cast


def test_the_list_shows_health_with_a_failing_source_in_red(
    page: Any, live_server: Any, sources: Any, log_in: Any
) -> None:
    log_in("wiktor")
    page.goto(f"{live_server.url}/w/nordbank/sources/")
    failing = page.get_by_test_id("source-row").filter(has_text="Mastodon tag")
    expect(failing).to_have_css("background-color", "rgb(253, 232, 232)")
    expect(failing.get_by_text("failing")).to_be_visible()
    expect(failing).to_contain_text("Record not found")
    expect(failing).to_contain_text("4 failures in a row")
    healthy = page.get_by_test_id("source-row").filter(has_text="X search")
    expect(healthy.get_by_text("healthy")).to_be_visible()
    expect(page.get_by_role("link", name="Add source")).to_have_count(0)
    assert "AAAA-browser-secret" not in page.content()


def test_an_owner_tests_then_adds_a_feed_from_the_generated_form(
    page: Any, live_server: Any, cast: Any, feed: str, log_in: Any
) -> None:
    log_in("olga")
    page.goto(f"{live_server.url}/w/nordbank/sources/")
    page.get_by_role("link", name="Add source").click()
    page.get_by_role("link", name="RSS / Atom feed").click()
    expect(page.get_by_label("Authorization")).to_have_attribute("type", "password")
    expect(page.get_by_label("Poll every (minutes)")).to_have_value("15")
    page.get_by_label("Name").fill("Bank news")
    page.get_by_label("Url").fill(feed)
    page.get_by_role("button", name="Test").click()
    expect(page.get_by_test_id("test-count")).to_have_text("3 items fetched (nothing stored)")
    expect(page.get_by_test_id("test-items")).to_contain_text("Awaria bankowości numer 1")
    assert not SourceConfig.objects.exists() and not Mention.objects.exists()
    page.get_by_role("button", name="Save source").click()
    page.wait_for_url("**/sources/")
    row = page.get_by_test_id("source-row").filter(has_text="Bank news")
    expect(row.get_by_text("waiting for first fetch")).to_be_visible()


def test_a_bad_field_is_named_on_the_form(
    page: Any, live_server: Any, cast: Any, log_in: Any
) -> None:
    log_in("olga")
    page.goto(f"{live_server.url}/w/nordbank/sources/new/mastodon/")
    page.get_by_label("Name").fill("Tag")
    page.get_by_label("Api base url").fill("mastodon.social")
    page.get_by_role("button", name="Save source").click()
    expect(page.get_by_role("alert")).to_contain_text("api_base_url")
    assert not SourceConfig.objects.exists()


def test_an_owner_disables_a_source(page: Any, live_server: Any, sources: Any, log_in: Any) -> None:
    log_in("olga")
    page.goto(f"{live_server.url}/w/nordbank/sources/")
    row = page.get_by_test_id("source-row").filter(has_text="X search")
    row.get_by_role("button", name="Disable").click()
    row = page.get_by_test_id("source-row").filter(has_text="X search")
    expect(row.get_by_text("disabled")).to_be_visible()
    expect(row.get_by_role("button", name="Enable")).to_be_visible()
    assert not SourceConfig.objects.get(name="X search").is_enabled


def test_an_owner_edits_a_source_and_its_secret_is_kept(
    page: Any, live_server: Any, sources: Any, log_in: Any
) -> None:
    log_in("olga")
    page.goto(f"{live_server.url}/w/nordbank/sources/")
    row = page.get_by_test_id("source-row").filter(has_text="X search")
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit source: X (Twitter)")).to_be_visible()
    expect(page.get_by_label("Search query")).to_have_value("nordbank")
    expect(page.get_by_label("Bearer token")).to_have_value("**********")
    page.get_by_label("Name").fill("X search PL")
    page.get_by_label("Search query").fill("nordbank lang:pl")
    page.get_by_role("button", name="Save source").click()
    page.wait_for_url("**/sources/")
    expect(page.get_by_test_id("source-row").filter(has_text="X search PL")).to_be_visible()
    stored = SourceConfig.objects.get(name="X search PL")
    assert stored.config["query"] == "nordbank lang:pl"
    assert "AAAA-browser-secret" not in page.content()
    typed: Any = decrypt_stored("x", stored.config)
    assert typed.bearer_token.get_secret_value() == "AAAA-browser-secret"
