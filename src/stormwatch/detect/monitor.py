"""All detectors of one monitor behind one step function, routed by bucket width.

    state = new_monitor_state()
    for bucket in aggregator.add(mention):
        state, detections = step_monitor(state, bucket)

Routing: the fast surge and influencer detectors run on the shortest width (FAST_WIDTH,
1 minute by default), the negative-share detector on 5-minute buckets, and the slow build,
reach-weighted negativity and emerging narrative detectors on hourly buckets. Every returned
Detection carries its severity. The state is one JSON-serialisable dict.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from stormwatch.detect.detection import Detection
from stormwatch.detect.detectors import narrative, negativity, reach, volume
from stormwatch.detect.records import SCALES, Bucket
from stormwatch.detect.severity import with_severity

FAST_WIDTH = timedelta(minutes=1)
SHARE_WIDTH = timedelta(minutes=5)
SLOW_WIDTH = timedelta(hours=1)
MONITOR_WIDTHS = SCALES

Step = Callable[[dict[str, Any], Bucket], tuple[dict[str, Any], Detection | None]]

# name -> (bucket width, new-state factory, step): a literal registry, no magic.
DETECTORS: dict[str, tuple[timedelta, Callable[[], dict[str, Any]], Step]] = {
    "volume_surge": (FAST_WIDTH, volume.new_state, volume.step),
    "influencer_negative": (FAST_WIDTH, reach.new_state, reach.step),
    "negative_share": (SHARE_WIDTH, negativity.new_state, negativity.step),
    "volume_build": (SLOW_WIDTH, volume.new_state, volume.step_build),
    "negative_reach": (SLOW_WIDTH, reach.new_state, reach.step_weighted),
    "emerging_narrative": (SLOW_WIDTH, narrative.new_state, narrative.step),
}


def new_monitor_state() -> dict[str, Any]:
    return {name: factory() for name, (_, factory, _) in DETECTORS.items()}


def step_monitor(state: dict[str, Any], bucket: Bucket) -> tuple[dict[str, Any], list[Detection]]:
    """Feed one bucket to every detector registered for its width."""
    new = dict(state)
    found: list[Detection] = []
    for name, (width, _, step) in DETECTORS.items():
        if bucket.width != width:
            continue
        new[name], detection = step(state[name], bucket)
        if detection is not None:
            found.append(with_severity(detection))
    return new, found
