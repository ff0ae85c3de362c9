"""Detections as stored on an alert: JSON round-trip and the alert's two-language text.

`detect.detection.Detection.to_json_dict` exists; its inverse did not, so it lives here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from stormwatch.detect.detection import Detection
from stormwatch.detect.explain import explain
from stormwatch.detect.records import MentionRef

MAX_EXPLAINED = 4  # the episode's first detections say what happened; later ones repeat it


def detection_from_json(data: dict[str, Any]) -> Detection:
    """Inverse of `Detection.to_json_dict` (the derived "ratio" key is ignored)."""
    fields = {k: v for k, v in data.items() if k != "ratio"}
    fields["started_at"] = datetime.fromisoformat(data["started_at"])
    fields["detected_at"] = datetime.fromisoformat(data["detected_at"])
    fields["window"] = timedelta(seconds=data["window"])
    fields["top_terms"] = tuple(data.get("top_terms", ()))
    fields["top_mentions"] = tuple(MentionRef(**m) for m in data.get("top_mentions", ()))
    return Detection(**fields)


def explain_episode(
    detections: Sequence[Detection], lang: str, narrative_labels: Mapping[str, str] | None = None
) -> str:
    """One paragraph per distinct kind, in the order they fired, in "en" or "pl". A narrative
    named by its tracker id is shown by its readable label when `narrative_labels` has it."""
    seen: set[str] = set()
    parts: list[str] = []
    for detection in detections:
        if detection.kind in seen:
            continue
        seen.add(detection.kind)
        label = (narrative_labels or {}).get(detection.subject)
        shown = replace(detection, subject=label) if label else detection
        parts.append(explain(shown, lang, tz=settings.TIME_ZONE))
        if len(parts) == MAX_EXPLAINED:
            break
    return "\n\n".join(parts)
