"""Alert pages through the HTTP front door, with the named cast's permissions."""

from __future__ import annotations

from typing import Any

import pytest
from tests.alerts.builders import T0, make_monitor, surge

from stormwatch.alerts.models import Alert, AlertRule, NotificationChannel
from stormwatch.alerts.service import record_detections, record_source_health
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.service import add_source

pytestmark = pytest.mark.django_db


def _alert(cast: Any) -> Alert:
    monitor = make_monitor(cast.workspace)
    return record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)[0].alert


def test_a_viewer_sees_alerts_but_cannot_acknowledge_them(cast: Any) -> None:
    alert = _alert(cast)
    client = cast.client_for(cast.viewer)
    page = client.get(f"/w/nordbank/alerts/{alert.pk}/")
    assert page.status_code == 200
    assert "Mentions rose to 60" in page.content.decode()
    assert "Acknowledge" not in page.content.decode()
    denied = client.post(f"/w/nordbank/alerts/{alert.pk}/act/", {"action": "acknowledge"})
    assert denied.status_code == 403
    assert Alert.objects.get().state == "open"


def test_a_responder_acknowledges_and_marks_a_false_alarm(cast: Any) -> None:
    alert = _alert(cast)
    client = cast.client_for(cast.responder)
    client.post(f"/w/nordbank/alerts/{alert.pk}/act/", {"action": "acknowledge"})
    assert Alert.objects.get().state == "acknowledged"
    client.post(f"/w/nordbank/alerts/{alert.pk}/act/", {"action": "false_alarm"})
    saved = Alert.objects.get()
    assert (saved.state, saved.feedback) == ("dismissed", "false_alarm")


def test_an_outsider_gets_404(cast: Any) -> None:
    alert = _alert(cast)
    client = cast.client_for(cast.outsider)
    assert client.get(f"/w/nordbank/alerts/{alert.pk}/").status_code == 404
    assert client.get("/w/rivalbank/alerts/").content.decode().count("Outage") == 0


def test_only_analysts_and_above_edit_rules(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    form = {
        "sensitivity": "fewer",
        "min_volume": "5",
        "cooldown_minutes": "60",
        "quiet_min_severity": "4",
        "escalate_after_minutes": "20",
    }
    url = f"/w/nordbank/alerts/rules/{monitor.pk}/"
    assert cast.client_for(cast.responder).post(url, form).status_code == 403
    assert cast.client_for(cast.analyst).post(url, form).status_code == 302
    rule = AlertRule.objects.get(monitor=monitor)
    assert (rule.sensitivity, rule.min_volume, rule.escalate_after_minutes) == ("fewer", 5, 20)


def test_a_bad_quiet_hour_is_refused_with_a_message(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    url = f"/w/nordbank/alerts/rules/{monitor.pk}/"
    page = cast.client_for(cast.analyst).post(
        url, {"quiet_start_hour": "25", "quiet_end_hour": "7"}
    )
    assert page.status_code == 400
    assert "quiet hours" in page.content.decode()


def test_owners_add_channels_and_analysts_cannot(cast: Any, webhook: Any) -> None:
    form = {"name": "Ops", "url": webhook.url, "min_severity": "3"}
    assert (
        cast.client_for(cast.analyst).post("/w/nordbank/alerts/channels/", form).status_code == 403
    )
    page = cast.client_for(cast.owner).post("/w/nordbank/alerts/channels/", form, follow=True)
    assert NotificationChannel.objects.get().name == "Ops"
    assert "Ops" in page.content.decode()
    invalid = cast.client_for(cast.owner).post(
        "/w/nordbank/alerts/channels/", {"name": "X", "url": "nonsense", "min_severity": "1"}
    )
    assert invalid.status_code == 400


def _source_alert(cast: Any) -> Alert:
    source = add_source(
        workspace=cast.workspace,
        kind="rss",
        name="News feed",
        config={"url": "http://127.0.0.1:9/feed.xml"},
        now=T0,
    )
    SourceConfig.objects.filter(pk=source.pk).update(
        consecutive_failures=3, last_error="http://127.0.0.1:9/feed.xml: HTTP 403", last_error_at=T0
    )
    (change,) = record_source_health(workspace=cast.workspace, now=T0)
    return change.alert


def test_a_source_alert_links_to_the_sources_page_instead_of_a_chart(cast: Any) -> None:
    alert = _source_alert(cast)
    client = cast.client_for(cast.viewer)
    listing = client.get("/w/nordbank/alerts/").content.decode()
    assert "News feed" in listing and 'href="/w/nordbank/sources/"' in listing
    detail = client.get(f"/w/nordbank/alerts/{alert.pk}/").content.decode()
    assert "Alert: News feed" in detail and "HTTP 403" in detail
    assert 'data-testid="sources-link"' in detail and "alert-chart" not in detail


def test_a_source_alert_reads_in_polish_for_a_polish_reader(cast: Any) -> None:
    alert = _source_alert(cast)
    client = cast.client_for(cast.viewer)
    detail = client.get(f"/w/nordbank/alerts/{alert.pk}/", headers={"accept-language": "pl"})
    text = detail.content.decode()
    assert "Źródło „News feed”" in text and "Otwórz stronę źródeł" in text


def test_false_alarm_on_a_source_alert_dismisses_it_without_touching_rules(cast: Any) -> None:
    alert = _source_alert(cast)
    client = cast.client_for(cast.responder)
    client.post(f"/w/nordbank/alerts/{alert.pk}/act/", {"action": "false_alarm"})
    assert Alert.objects.get().state == "dismissed" and AlertRule.objects.count() == 0
