"""Acceptance: the demo's crisis raises an alert with an explanation and reaches a webhook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from stormwatch.alerts.models import Alert, Delivery
from stormwatch.alerts.notify.service import add_channel
from stormwatch.core.clock import FrozenClock
from stormwatch.demo.setup import set_up_demo
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.service import PipelineService
from stormwatch.sources.builders import SOURCE_BUILDERS

pytestmark = pytest.mark.django_db

CREATED_AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_the_demo_crisis_raises_one_explained_alert_that_reaches_the_webhook(
    webhook: Any,
) -> None:
    login = set_up_demo(now=CREATED_AT)
    owner = login.workspace.memberships.get().user
    add_channel(
        workspace=login.workspace,
        name="Ops hook",
        url=webhook.url,
        min_severity=3,
        owner=owner,
        now=CREATED_AT,
    )
    clock = FrozenClock(CREATED_AT)
    service = PipelineService(
        builders=SOURCE_BUILDERS, clock=clock, context=StageContext(enrichment="fast")
    )
    for _ in range(20):
        service.run_once()
    before = set(Alert.objects.values_list("pk", flat=True))
    clock.advance_to(CREATED_AT + timedelta(minutes=60))
    service.run_once()
    crisis = Alert.objects.exclude(pk__in=before).filter(monitor__name="Outage and transfers")
    assert crisis.count() == 1
    alert = crisis.get()
    assert alert.severity >= 3
    # The scenario's outage starts 3 minutes after CREATED_AT; detection follows the data.
    assert CREATED_AT <= alert.started_at < alert.detected_at <= CREATED_AT + timedelta(hours=1)
    assert "rose" in alert.explanation_en
    assert "wzrosła" in alert.explanation_pl or "wzrósł" in alert.explanation_pl
    assert Delivery.objects.filter(alert=alert, ok=True).exists()
    assert any("Outage and transfers" in body["title"] for body in webhook.received)
