"""The detect stage end to end: mentions through the pipeline raise one alert per episode."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.alerts.builders import T0, make_monitor

from stormwatch.alerts.models import Alert, Delivery, DetectorState
from stormwatch.alerts.notify.service import add_channel
from stormwatch.core.clock import FrozenClock
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.ingest import ingest_items
from stormwatch.testing import mention_json

pytestmark = pytest.mark.django_db

START = T0 - timedelta(days=3, hours=10)


def _quiet_days() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    at = START
    while at < T0:
        items.append(
            mention_json(
                f"q{len(items)}", "Nordbank awaria? nie, wszystko ok", created_at=at.isoformat()
            )
        )
        at += timedelta(minutes=20)
    return items


def _surge(prefix: str, at: Any, count: int = 80) -> list[dict[str, Any]]:
    return [
        mention_json(
            f"{prefix}{k}",
            "Nordbank awaria, przelew nie działa!",
            created_at=(at + timedelta(seconds=6 * k)).isoformat(),
        )
        for k in range(count)
    ]


def test_a_surge_through_the_pipeline_raises_one_alert_and_notifies(
    cast: Any, webhook: Any
) -> None:
    monitor = make_monitor(cast.workspace)
    add_channel(
        workspace=cast.workspace,
        name="Hook",
        url=webhook.url,
        min_severity=1,
        owner=cast.owner,
        now=T0,
    )
    context = StageContext(clock=FrozenClock(T0), enrichment="off")
    history = _quiet_days()
    for i in range(0, len(history), 100):  # batches, like a source would deliver them
        ingest_items(workspace_id=cast.workspace.pk, items=history[i : i + 100], context=context)
    assert not Alert.objects.exists()
    ingest_items(workspace_id=cast.workspace.pk, items=_surge("s", T0), context=context)
    tail = [
        mention_json("t1", "Nordbank awaria", created_at=(T0 + timedelta(minutes=20)).isoformat())
    ]
    ingest_items(workspace_id=cast.workspace.pk, items=tail, context=context)
    alert = Alert.objects.get(monitor=monitor)
    assert T0 - timedelta(minutes=1) <= alert.started_at < alert.detected_at
    assert alert.detected_at <= T0 + timedelta(minutes=20)
    assert "Mentions rose to" in alert.explanation_en
    assert Delivery.objects.filter(alert=alert, ok=True).count() == 1
    assert len(webhook.received) == 1
    state = DetectorState.objects.get(monitor=monitor)
    assert state.watermark_at == T0 + timedelta(minutes=20)
    assert set(state.state["detectors"]) >= {"volume_surge", "negative_share"}


def test_redelivering_a_batch_raises_nothing_new(cast: Any) -> None:
    make_monitor(cast.workspace)
    context = StageContext(clock=FrozenClock(T0), enrichment="off")
    items = _quiet_days() + _surge("s", T0)
    items.append(
        mention_json("t1", "Nordbank awaria", created_at=(T0 + timedelta(minutes=20)).isoformat())
    )
    ingest_items(workspace_id=cast.workspace.pk, items=items, context=context)
    count = Alert.objects.count()
    ingest_items(workspace_id=cast.workspace.pk, items=items, context=context)
    assert Alert.objects.count() == count == 1
