"""Alert rules as pure values: which detections become alerts, when people are told.

Sensitivity is a floor on the detection's severity: "more" lets every detection through,
"balanced" needs severity 2, "fewer" severity 3. `min_volume` is a floor on the observed
count for count-type detections (surges, builds, narratives); share and reach detections carry
no count and are not filtered by it. Quiet hours (local time, start inclusive, end exclusive,
may wrap past midnight) hold back notifications below `quiet_min_severity`; the alert is
still recorded and shown in the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from stormwatch.detect.detection import EMERGING_NARRATIVE, VOLUME_BUILD, VOLUME_SURGE, Detection

SENSITIVITIES: tuple[str, ...] = ("fewer", "balanced", "more")
MIN_SEVERITY = {"more": 1, "balanced": 2, "fewer": 3}
COUNT_KINDS = frozenset({VOLUME_SURGE, VOLUME_BUILD, EMERGING_NARRATIVE})
LOCAL_TZ = "Europe/Warsaw"


@dataclass(frozen=True)
class Rule:
    sensitivity: str = "balanced"
    min_volume: int = 0
    cooldown: timedelta = timedelta(hours=2)
    quiet_start_hour: int | None = None
    quiet_end_hour: int | None = None
    quiet_min_severity: int = 4
    escalate_after: timedelta = timedelta(minutes=30)

    def __post_init__(self) -> None:
        if self.sensitivity not in SENSITIVITIES:
            raise ValueError(f"sensitivity must be one of {', '.join(SENSITIVITIES)}")
        for hour in (self.quiet_start_hour, self.quiet_end_hour):
            if hour is not None and not 0 <= hour <= 23:
                raise ValueError("quiet hours must be between 0 and 23")
        if not 1 <= self.quiet_min_severity <= 5:
            raise ValueError("the quiet-hours severity must be between 1 and 5")

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "sensitivity": self.sensitivity,
            "min_volume": self.min_volume,
            "cooldown_minutes": round(self.cooldown.total_seconds() / 60),
            "quiet_start_hour": self.quiet_start_hour,
            "quiet_end_hour": self.quiet_end_hour,
            "quiet_min_severity": self.quiet_min_severity,
            "escalate_after_minutes": round(self.escalate_after.total_seconds() / 60),
        }


DEFAULT_RULE = Rule()


def admits(rule: Rule, detection: Detection) -> bool:
    """Whether the detection is strong enough to raise or update an alert under `rule`."""
    if detection.severity < MIN_SEVERITY[rule.sensitivity]:
        return False
    return not (detection.kind in COUNT_KINDS and detection.observed < rule.min_volume)


def is_quiet(rule: Rule, at: datetime, tz: str = LOCAL_TZ) -> bool:
    start, end = rule.quiet_start_hour, rule.quiet_end_hour
    if start is None or end is None or start == end:
        return False
    hour = at.astimezone(ZoneInfo(tz)).hour
    return start <= hour < end if start < end else hour >= start or hour < end


def should_notify(rule: Rule, severity: int, at: datetime, tz: str = LOCAL_TZ) -> bool:
    """Outside quiet hours (read in `tz`, the team's zone), or severe enough to break them."""
    return not is_quiet(rule, at, tz) or severity >= rule.quiet_min_severity


def joins_episode(last_detected_at: datetime | None, rule: Rule, detection: Detection) -> bool:
    """A detection within `cooldown` of the monitor's latest alert belongs to that episode."""
    if last_detected_at is None:
        return False
    return detection.detected_at - last_detected_at < rule.cooldown


def lowered(sensitivity: str) -> str:
    """One step fewer alerts: what a false alarm does to a monitor's sensitivity."""
    index = SENSITIVITIES.index(sensitivity)
    return SENSITIVITIES[max(index - 1, 0)]
