"""The in-process bus and the stage runner: bounded, JSON-clean, idempotent."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from stormwatch.mentions.models import Author, Mention, MentionMatch
from stormwatch.monitors.service import MonitorInput, create_monitor
from stormwatch.pipeline.bus import BusFull, MemoryBus
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.runner import INTAKE_SUBJECT, Pipeline
from stormwatch.pipeline.stages import STAGES
from stormwatch.testing import mention_json


def test_the_bus_refuses_to_grow_past_its_capacity() -> None:
    bus = MemoryBus(capacity=3)
    bus.publish("s", [{"n": 1}, {"n": 2}])
    assert bus.has_room("s", 1) and not bus.has_room("s", 2)
    with pytest.raises(BusFull):
        bus.publish("s", [{"n": 3}, {"n": 4}])
    assert [m.payload() for m in bus.pull("s", max_messages=10)] == [{"n": 1}, {"n": 2}]


def test_the_bus_carries_json_not_python_objects() -> None:
    bus = MemoryBus()
    payload = {"when": "2026-11-24T10:00:00+00:00", "ids": [1, 2]}
    bus.publish("s", [payload])
    received = bus.pull("s", max_messages=1)[0].payload()
    assert received == payload and received is not payload
    with pytest.raises(TypeError):
        bus.publish("s", [{"not json": object()}])


def test_the_stage_table_chains_subjects_from_intake_to_store() -> None:
    assert STAGES[0].consumes == INTAKE_SUBJECT
    for upstream, downstream in pairwise(STAGES):
        assert upstream.produces == downstream.consumes
    assert [s.name for s in STAGES][:4] == ["normalise", "match", "enrich", "store"]


@pytest.mark.django_db
def test_a_batch_goes_through_every_stage_and_is_stored_once(cast: Any) -> None:
    create_monitor(
        workspace=cast.workspace,
        data=MonitorInput(name="Outage", query='awaria OR "nie działa"'),
        now=cast.workspace.created_at,
    )
    items = [
        mention_json("1", "Awaria! Przelew nie działa"),
        mention_json("2", "Dobra aplikacja", author={"handle": "@tomek", "followers": 3}),
        {"id": "3", "platform": "x"},  # invalid: rejected by normalise, reported
    ]
    for _ in range(2):  # redelivery of the same batch changes nothing
        pipeline = Pipeline(context=StageContext(enrichment="off"))
        pipeline.submit(cast.workspace.pk, items)
        report = pipeline.run_until_idle()
    assert report.stages["normalise"].processed == 2
    assert report.stages["normalise"].rejected == 1
    assert "text: is required" in report.rejected[0].reason
    assert Mention.objects.count() == 2
    assert Author.objects.filter(handle="tomek").exists()
    matched = MentionMatch.objects.values_list("mention__external_id", flat=True)
    assert list(matched) == ["1"]


@pytest.mark.django_db
def test_editing_a_monitor_takes_effect_on_the_next_batch(cast: Any) -> None:
    from stormwatch.monitors.service import update_monitor

    context = StageContext(enrichment="off")
    monitor = create_monitor(
        workspace=cast.workspace,
        data=MonitorInput(name="M", query="alpha"),
        now=cast.workspace.created_at,
    )
    pipeline = Pipeline(context=context)
    pipeline.submit(cast.workspace.pk, [mention_json("1", "beta here")])
    pipeline.run_until_idle()
    later = cast.workspace.created_at.replace(hour=13)
    update_monitor(monitor=monitor, data=MonitorInput(name="M", query="beta"), now=later)
    pipeline.submit(cast.workspace.pk, [mention_json("2", "beta again")])
    pipeline.run_until_idle()
    matched = MentionMatch.objects.values_list("mention__external_id", flat=True)
    assert list(matched) == ["2"]


@pytest.mark.django_db
def test_control_characters_are_removed_before_storing(cast: Any) -> None:
    pipeline = Pipeline(context=StageContext(enrichment="off"))
    pipeline.submit(cast.workspace.pk, [mention_json("nul", "bad\x00byte\x07 here  ")])
    pipeline.run_until_idle()
    assert Mention.objects.get().text == "badbyte here"
