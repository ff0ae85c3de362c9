"""The detect stage's two paths close the same buckets: kept aggregators fed only new mentions,
and a rebuild from the database (another process, or after a restart)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from stormwatch.alerts import detect_stage
from stormwatch.alerts.models import Alert, DetectorState
from stormwatch.monitors.service import MonitorInput, create_monitor
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.ingest import ingest_items
from stormwatch.testing import TEST_NOW_ISO, mention_json

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.fromisoformat(TEST_NOW_ISO) - timedelta(days=2)


def _batches() -> list[list[dict[str, Any]]]:
    """Two days of a quiet rhythm, then a surge, cut into many small batches."""
    items = []
    for minute in range(0, 2 * 24 * 60, 20):
        at = START + timedelta(minutes=minute)
        items.append(mention_json(f"q{minute}", "nordbank ok", created_at=at.isoformat()))
    surge_at = START + timedelta(days=2)
    for n in range(120):
        at = surge_at + timedelta(seconds=15 * n)
        items.append(mention_json(f"s{n}", "nordbank awaria!", created_at=at.isoformat()))
    return [items[i : i + 25] for i in range(0, len(items), 25)]


def _run(cast: Any, *, forget_between_batches: bool) -> tuple[dict[str, Any], list[Any]]:
    context = StageContext(enrichment="off")
    for batch in _batches():
        ingest_items(workspace_id=cast.workspace.pk, items=batch, context=context)
        if forget_between_batches:
            detect_stage._OPEN_WINDOWS.clear()
    state = DetectorState.objects.get().state
    alerts = list(Alert.objects.order_by("pk").values_list("kind", "started_at", "severity"))
    return state, alerts


def test_kept_and_rebuilt_windows_give_the_same_state_and_alerts(cast: Any) -> None:
    create_monitor(
        workspace=cast.workspace, data=MonitorInput(name="N", query="nordbank"), now=START
    )
    detect_stage._OPEN_WINDOWS.clear()
    kept_state, kept_alerts = _run(cast, forget_between_batches=False)
    assert detect_stage._OPEN_WINDOWS  # the incremental path was really taken
    cast.workspace.mentions.all().delete()
    DetectorState.objects.all().delete()
    Alert.objects.all().delete()
    rebuilt_state, rebuilt_alerts = _run(cast, forget_between_batches=True)
    assert kept_alerts and kept_alerts == rebuilt_alerts
    assert kept_state == rebuilt_state
