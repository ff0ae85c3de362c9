"""The channels page through the HTTP front door: the digest editor and the delivery log's
retry state, with the named cast's permissions."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from tests.alerts.builders import T0, make_monitor, surge

from stormwatch.alerts.detect_stage import run_alert_round
from stormwatch.alerts.models import DigestSchedule
from stormwatch.alerts.notify.service import add_channel, notify_changes
from stormwatch.alerts.service import record_detections

pytestmark = pytest.mark.django_db

PAGE = "/w/nordbank/alerts/channels/"
DIGEST = "/w/nordbank/alerts/channels/digest/"


def test_an_owner_sets_the_daily_digest_and_everyone_sees_it(cast: Any) -> None:
    page = cast.client_for(cast.owner).post(DIGEST, {"hour": "9"}, follow=True)
    text = page.content.decode()
    assert "Daily digest saved." in text
    assert "Every day at 09:00 (Europe/Warsaw)" in text
    assert DigestSchedule.objects.get().hour == 9
    seen = cast.client_for(cast.viewer).get(PAGE).content.decode()
    assert "Every day at 09:00" in seen and 'name="hour"' not in seen


def test_only_owners_and_admins_change_the_digest(cast: Any) -> None:
    assert cast.client_for(cast.analyst).post(DIGEST, {"hour": "9"}).status_code == 403
    assert cast.client_for(cast.outsider).post(DIGEST, {"hour": "9"}).status_code == 404
    assert not DigestSchedule.objects.exists()


def test_the_digest_can_be_turned_off_and_a_bad_hour_is_explained(cast: Any) -> None:
    client = cast.client_for(cast.owner)
    client.post(DIGEST, {"hour": "7"})
    bad = client.post(DIGEST, {"hour": "25"}, follow=True).content.decode()
    assert "Choose an hour between 0 and 23, or off." in bad
    assert DigestSchedule.objects.get().hour == 7
    off = client.post(DIGEST, {"hour": ""}, follow=True).content.decode()
    assert "Daily digest turned off." in off and "Off: no digest is sent." in off


def test_the_digest_editor_speaks_polish(cast: Any) -> None:
    client = cast.client_for(cast.owner)
    page = client.get(PAGE, headers={"accept-language": "pl"}).content.decode()
    assert "Codzienne podsumowanie" in page and "Zapisz podsumowanie" in page


def test_the_delivery_log_shows_a_pending_retry_then_its_success(cast: Any, webhook: Any) -> None:
    add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=webhook.url,
        min_severity=1,
        owner=cast.owner,
        now=T0,
    )
    monitor = make_monitor(cast.workspace)
    webhook.status = 500
    notify_changes(record_detections(monitor=monitor, detections=[surge(monitor)], now=T0), now=T0)
    client = cast.client_for(cast.viewer)
    pending = html.unescape(client.get(PAGE).content.decode())
    assert "retry 2 of 4 at 11:01" in pending  # T0 + 1 minute, in Warsaw time
    webhook.status = 200
    run_alert_round(now=T0 + timedelta(minutes=1))
    done = html.unescape(client.get(PAGE).content.decode())
    assert "on attempt 2" in done and "retried" in done
