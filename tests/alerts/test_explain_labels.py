"""An alert names an emerging narrative by its readable label, not by the tracker's id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stormwatch.alerts.detections import explain_episode
from stormwatch.detect.detection import EMERGING_NARRATIVE, Detection

AT = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
STORY = Detection(
    kind=EMERGING_NARRATIVE,
    monitor="bank",
    started_at=AT,
    detected_at=AT + timedelta(hours=1),
    observed=33,
    expected=7.4,
    window=timedelta(hours=1),
    p_value=1e-9,
    subject="n-2c8a189da41d",
)


def test_the_label_replaces_the_tracker_id_in_both_languages() -> None:
    labels = {"n-2c8a189da41d": "infolinia nie odbiera"}
    english = explain_episode([STORY], "en", labels)
    polish = explain_episode([STORY], "pl", labels)
    assert "infolinia nie odbiera" in english and "n-2c8a189da41d" not in english
    assert "infolinia nie odbiera" in polish and "n-2c8a189da41d" not in polish


def test_without_a_stored_label_the_id_is_kept() -> None:
    assert "n-2c8a189da41d" in explain_episode([STORY], "en", {})
