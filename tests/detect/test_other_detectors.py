import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

from stormwatch.detect.detection import Detection
from stormwatch.detect.detectors import competitor, narrative, negativity, reach
from stormwatch.detect.records import Bucket
from stormwatch.detect.synthetic import START_AT, buckets, influencer_ref

FIVE = timedelta(minutes=5)
HOUR = timedelta(hours=1)


def run(stream: list[Bucket], step: Any, state: dict[str, Any]) -> list[Detection]:
    found = []
    for b in stream:
        state, d = step(state, b)
        if d is not None:
            found.append(d)
            assert d.detected_at >= b.end_at >= d.started_at
    return found


def test_it_flags_a_25_point_negative_share_jump_at_constant_volume_once() -> None:
    jump = START_AT + timedelta(days=4, hours=10)
    stream = list(buckets(base=200, width=FIVE, days=5, neg_jump_at=jump))
    found = run(stream, negativity.step, negativity.new_state())
    assert len(found) == 1
    assert jump < found[0].detected_at <= jump + timedelta(hours=2)
    assert found[0].observed > found[0].expected + 0.12


def test_it_keeps_the_share_detector_quiet_on_normal_weeks_and_quiet_monitors() -> None:
    assert (
        run(list(buckets(base=200, width=FIVE, days=14)), negativity.step, negativity.new_state())
        == []
    )
    assert (
        run(
            list(buckets(base=0.2, width=FIVE, days=30, seed=4)),
            negativity.step,
            negativity.new_state(),
        )
        == []
    )


def test_it_flags_one_negative_influencer_mention_once_per_author() -> None:
    stream = list(buckets(base=60, width=timedelta(minutes=1), days=0.2))
    big = influencer_ref(1_200_000)
    stream[100] = replace(stream[100], top_mentions=(big,))
    stream[150] = replace(stream[150], top_mentions=(big,))
    found = run(stream, reach.step, reach.new_state())
    assert [d.reach for d in found] == [1_200_000]
    assert found[0].top_mentions[0].author_handle == "tvn24"


def test_it_ignores_a_big_account_that_is_not_negative() -> None:
    stream = list(buckets(base=60, width=timedelta(minutes=1), days=0.1))
    stream[10] = replace(stream[10], top_mentions=(influencer_ref(5e6, sentiment="positive"),))
    assert run(stream, reach.step, reach.new_state()) == []


def test_it_flags_reach_weighted_negativity_far_above_normal() -> None:
    stream = [
        replace(b, reach_negative=b.negative * 500.0)
        for b in buckets(base=100, width=HOUR, days=10)
    ]
    stream[-5] = replace(stream[-5], reach_negative=5e6)
    found = run(stream, reach.step_weighted, reach.new_state())
    assert len(found) == 1 and found[0].observed == 5e6


def test_it_flags_an_emerging_narrative_against_its_own_history() -> None:
    stream = [
        replace(b, narratives={"fees": 2}, terms={}) for b in buckets(base=100, width=HOUR, days=6)
    ]
    stream[-3] = replace(stream[-3], narratives={"fees": 2, "outage": 40})
    stream[-2] = replace(stream[-2], narratives={"fees": 2, "outage": 60})
    found = run(stream, narrative.step, narrative.new_state())
    assert [(d.subject, d.observed) for d in found] == [("outage", 40.0)]


def test_it_keeps_narrative_state_bounded_and_json_safe() -> None:
    stream = [
        replace(b, narratives={f"n{i % 50}": 1}, terms={})
        for i, b in enumerate(buckets(base=10, width=HOUR, days=20))
    ]
    state = narrative.new_state()
    for b in stream:
        state, _ = narrative.step(json.loads(json.dumps(state)), b)
    assert len(state["keys"]) <= 50


def test_it_flags_a_competitor_crisis_from_share_of_voice() -> None:
    config = competitor.CompetitorConfig(brand="brand", competitor="rival")
    brand = list(buckets(base=100, width=HOUR, days=5, monitor="brand"))
    rival = list(buckets(base=50, width=HOUR, days=5, monitor="rival", seed=9))
    rival[-4] = replace(rival[-4], volume=400, negative=250)
    state = competitor.new_state()
    found = []
    for b, r in zip(brand, rival, strict=True):
        for bucket in (r, b):
            state, d = competitor.step(state, bucket, config)
            if d is not None:
                found.append(d)
    assert len(found) == 1
    assert found[0].subject == "rival" and found[0].observed > 0.6
