"""The demo workspace comes alive: the pipeline service fetches the scenario and keeps going."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from stormwatch.core.clock import FrozenClock
from stormwatch.demo.setup import DEMO_USERNAME, set_up_demo
from stormwatch.mentions.models import Mention, MentionMatch
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.models import PipelineStatus
from stormwatch.pipeline.service import PipelineService
from stormwatch.sources.builders import SOURCE_BUILDERS
from stormwatch.sources.models import SourceConfig

pytestmark = pytest.mark.django_db

CREATED_AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _service(clock: FrozenClock) -> PipelineService:
    return PipelineService(
        builders=SOURCE_BUILDERS, clock=clock, context=StageContext(enrichment="off")
    )


def test_setting_up_the_demo_twice_keeps_one_workspace_and_prints_a_working_login() -> None:
    first = set_up_demo(now=CREATED_AT)
    second = set_up_demo(now=CREATED_AT)
    assert first.workspace.pk == second.workspace.pk
    assert SourceConfig.objects.count() == 1
    client = Client()
    assert client.login(username=DEMO_USERNAME, password=second.password)
    assert not Client().login(username=DEMO_USERNAME, password=first.password)


def test_the_demo_backfills_history_then_streams_the_crisis_live() -> None:
    login = set_up_demo(now=CREATED_AT)
    clock = FrozenClock(CREATED_AT)
    service = _service(clock)
    for _ in range(20):  # backfill arrives in batches of 1000, each due at once
        service.run_once()
    history = Mention.objects.filter(workspace=login.workspace).count()
    assert history > 5000
    assert Mention.objects.filter(created_at__gt=CREATED_AT).count() == 0
    clock.advance_to(CREATED_AT + timedelta(minutes=60))
    service.run_once()
    live = Mention.objects.filter(created_at__gt=CREATED_AT)
    assert live.count() > 20  # the crisis has started: far above the ~20 per hour baseline
    outage = MentionMatch.objects.filter(
        monitor__name="Outage and transfers", created_at__gt=CREATED_AT
    )
    assert outage.count() > 10
    status = PipelineStatus.objects.get()
    assert status.processed == Mention.objects.count()


def test_readiness_follows_the_pipeline_heartbeat(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["pipeline"] == "not running"
    set_up_demo(now=datetime.now(UTC))
    PipelineService(builders={}, context=StageContext(enrichment="off")).run_once()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
