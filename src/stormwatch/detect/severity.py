"""Severity 1-5 from magnitude, negativity, reach, velocity and spread across platforms.

Each factor is mapped to [0, 1]:
  magnitude  m = clip(log10(ratio), 0, 1)            (1x -> 0, 10x or more -> 1)
  negativity n = clip((negative_share - 0.2) / 0.6)   (20 % -> 0, 80 % or more -> 1)
  reach      r = clip((log10(reach) - 3) / 3)         (1k -> 0, 1M or more -> 1)
  velocity   v = clip(log10(1 + velocity) / 2)        (excess ratio per hour; 99/h -> 1)
  spread     s = clip((platforms with >= 10 % share - 1) / 3)
severity = 1 + round(4 * (0.35 m + 0.25 n + 0.20 r + 0.10 v + 0.10 s)), so it never decreases
when any factor grows. For share-type detections (negative share, share of voice) the
magnitude is the observed/expected ratio of the share itself.
"""

from __future__ import annotations

import math
from dataclasses import replace

from stormwatch.detect.detection import INFLUENCER_NEGATIVE, NEGATIVE_REACH, Detection

WEIGHTS = {"magnitude": 0.35, "negativity": 0.25, "reach": 0.20, "velocity": 0.10, "spread": 0.10}


def _clip(x: float) -> float:
    return min(max(x, 0.0), 1.0)


def factors(d: Detection) -> dict[str, float]:
    """The five factors in [0, 1]; exposed so the UI can show why a severity was given."""
    ratio = d.ratio if d.kind not in (INFLUENCER_NEGATIVE, NEGATIVE_REACH) else 1.0
    ratio = 10.0 if math.isinf(ratio) else ratio
    spread = sum(1 for share in d.platforms.values() if share >= 0.10)
    return {
        "magnitude": _clip(math.log10(max(ratio, 1.0))),
        "negativity": _clip((d.negative_share - 0.2) / 0.6),
        "reach": _clip((math.log10(max(d.reach, 1.0)) - 3.0) / 3.0),
        "velocity": _clip(math.log10(1.0 + max(d.velocity, 0.0)) / 2.0),
        "spread": _clip((spread - 1) / 3.0),
    }


def severity_of(d: Detection) -> int:
    total = sum(WEIGHTS[k] * v for k, v in factors(d).items())
    return int(min(max(1 + round(4 * total), 1), 5))


def with_severity(d: Detection) -> Detection:
    return replace(d, severity=severity_of(d))
