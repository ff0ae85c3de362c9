"""Alerts in real Chromium: list, detail with its chart, buttons, rule editor with preview."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from stormwatch.alerts.models import Alert
from stormwatch.alerts.service import record_detections
from stormwatch.detect.detection import VOLUME_SURGE, Detection
from stormwatch.monitors.service import MonitorInput, create_monitor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def alert(cast: Any) -> Alert:
    from datetime import UTC, datetime, timedelta

    at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    monitor = create_monitor(
        workspace=cast.workspace, data=MonitorInput(name="Outage", query="awaria"), now=at
    )
    detection = Detection(
        kind=VOLUME_SURGE,
        monitor="Outage",
        started_at=at - timedelta(minutes=10),
        detected_at=at,
        observed=60,
        expected=6,
        window=timedelta(minutes=5),
        p_value=1e-9,
        severity=3,
        top_terms=("awaria", "przelew"),
    )
    return record_detections(monitor=monitor, detections=[detection], now=at)[0].alert


def test_the_alert_list_leads_to_a_detail_with_chart_band_and_marker(
    page: Any, live_server: Any, alert: Alert, log_in: Any
) -> None:
    log_in("wiktor")
    page.goto(f"{live_server.url}/w/nordbank/")
    page.get_by_role("link", name="Alerts").click()
    expect(page.get_by_role("cell", name="Outage")).to_be_visible()
    page.get_by_role("link", name="2026-11-24").first.click()
    expect(page.get_by_test_id("explanation")).to_contain_text("Mentions rose to 60")
    chart = page.get_by_test_id("alert-chart")
    expect(chart.locator(".legendtext", has_text="usual range")).to_be_visible()
    expect(chart.locator(".annotation-text", has_text="detected")).to_be_visible()
    expect(chart.locator(".shapelayer path")).to_have_count(1)
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)  # a viewer


def test_a_responder_acknowledges_then_marks_useful(
    page: Any, live_server: Any, alert: Alert, log_in: Any
) -> None:
    log_in("rita")
    page.goto(f"{live_server.url}/w/nordbank/alerts/{alert.pk}/")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("state")).to_have_text("acknowledged")
    page.get_by_role("button", name="Useful").click()
    expect(page.get_by_text("marked useful")).to_be_visible()
    assert Alert.objects.get().feedback == "useful"


def test_the_rule_editor_previews_the_last_30_days_before_saving(
    page: Any, live_server: Any, alert: Alert, log_in: Any
) -> None:
    log_in("adam")
    page.goto(f"{live_server.url}/w/nordbank/alerts/")
    page.get_by_role("link", name="Rule for Outage").click()
    page.get_by_label("Sensitivity").select_option("fewer")
    page.get_by_role("button", name="Preview the last 30 days").click()
    expect(page.get_by_test_id("preview-alert-count")).to_contain_text("in the last 30 days")
    page.get_by_role("button", name="Save rule").click()
    expect(page.get_by_text("Alert rule saved.")).to_be_visible()


def test_a_failing_source_shows_in_the_alert_list_and_leads_to_the_sources_page(
    page: Any, live_server: Any, cast: Any, log_in: Any
) -> None:
    from datetime import UTC, datetime

    from stormwatch.alerts.service import record_source_health
    from stormwatch.sources.models import SourceConfig
    from stormwatch.sources.service import add_source

    at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    source = add_source(
        workspace=cast.workspace,
        kind="rss",
        name="News feed",
        config={"url": "http://127.0.0.1:9/feed.xml"},
        now=at,
    )
    SourceConfig.objects.filter(pk=source.pk).update(
        consecutive_failures=3, last_error="http://127.0.0.1:9/feed.xml: HTTP 403", last_error_at=at
    )
    record_source_health(workspace=cast.workspace, now=at)
    log_in("wiktor")
    page.goto(f"{live_server.url}/w/nordbank/alerts/")
    expect(page.get_by_role("cell", name="News feed source")).to_be_visible()
    expect(page.get_by_role("cell", name="is failing: 3 fetches in a row failed")).to_be_visible()
    page.get_by_role("link", name="2026-11-24").first.click()
    expect(page.get_by_test_id("explanation")).to_contain_text("The platform said: http")
    expect(page.get_by_test_id("alert-chart")).to_have_count(0)
    page.get_by_test_id("sources-link").click()
    expect(page).to_have_url(f"{live_server.url}/w/nordbank/sources/")
    expect(page.get_by_text("News feed").first).to_be_visible()
