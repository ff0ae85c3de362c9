"""All detectors of one monitor behind one step function, routed by bucket width.

    state = new_monitor_state()
    for bucket in aggregator.add(mention):
        state, detections = step_monitor(state, bucket, zone="Europe/Warsaw")

Routing: the fast surge and influencer detectors run on the shortest width (FAST_WIDTH,
1 minute by default), the negative-share detector on 5-minute buckets, and the slow build,
reach-weighted negativity and emerging narrative detectors on hourly buckets. Every returned
Detection carries its severity. The state is one JSON-serialisable dict.

`zone` is the team's time zone: the volume detectors learn their hour-of-week rhythm in it, so
"Tuesday 10:00" and the summer-time dates are the team's. A state learnt in one zone and
stepped in another keeps working, shifted by the zones' offset, until it relearns (days).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import Any

from stormwatch.detect.detection import Detection
from stormwatch.detect.detectors import narrative, negativity, reach, volume
from stormwatch.detect.records import SCALES, Bucket
from stormwatch.detect.severity import with_severity

FAST_WIDTH = timedelta(minutes=1)
SHARE_WIDTH = timedelta(minutes=5)
SLOW_WIDTH = timedelta(hours=1)
MONITOR_WIDTHS = SCALES

DEFAULT_ZONE = "Europe/Warsaw"

State = dict[str, Any]
Step = Callable[[State, Bucket, str], tuple[State, Detection | None]]


@lru_cache(maxsize=16)
def _surge_config(zone: str) -> volume.SurgeConfig:
    return volume.SurgeConfig(timezone=zone)


@lru_cache(maxsize=16)
def _build_config(zone: str) -> volume.BuildConfig:
    return volume.BuildConfig(timezone=zone)


def _surge(state: State, bucket: Bucket, zone: str) -> tuple[State, Detection | None]:
    return volume.step(state, bucket, _surge_config(zone))


def _build(state: State, bucket: Bucket, zone: str) -> tuple[State, Detection | None]:
    return volume.step_build(state, bucket, _build_config(zone))


def _any_zone(step: Callable[[State, Bucket], tuple[State, Detection | None]]) -> Step:
    """A detector with no daily rhythm: the zone does not matter to it."""
    return lambda state, bucket, zone: step(state, bucket)


# name -> (bucket width, new-state factory, step): a literal registry, no magic.
DETECTORS: dict[str, tuple[timedelta, Callable[[], State], Step]] = {
    "volume_surge": (FAST_WIDTH, volume.new_state, _surge),
    "influencer_negative": (FAST_WIDTH, reach.new_state, _any_zone(reach.step)),
    "negative_share": (SHARE_WIDTH, negativity.new_state, _any_zone(negativity.step)),
    "volume_build": (SLOW_WIDTH, volume.new_state, _build),
    "negative_reach": (SLOW_WIDTH, reach.new_state, _any_zone(reach.step_weighted)),
    "emerging_narrative": (SLOW_WIDTH, narrative.new_state, _any_zone(narrative.step)),
}


def new_monitor_state() -> State:
    return {name: factory() for name, (_, factory, _) in DETECTORS.items()}


def step_monitor(
    state: State, bucket: Bucket, zone: str = DEFAULT_ZONE
) -> tuple[State, list[Detection]]:
    """Feed one bucket to every detector registered for its width, in the team's `zone`."""
    new = dict(state)
    found: list[Detection] = []
    for name, (width, _, step) in DETECTORS.items():
        if bucket.width != width:
            continue
        new[name], detection = step(state[name], bucket, zone)
        if detection is not None:
            found.append(with_severity(detection))
    return new, found
