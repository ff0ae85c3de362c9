"""Alerts: one per episode, the lifecycle table, escalation on an injected clock, feedback."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.alerts.builders import T0, make_monitor, surge

from stormwatch.alerts.models import Alert, InAppNotification
from stormwatch.alerts.queries import rule_for
from stormwatch.alerts.rules import Rule
from stormwatch.alerts.service import (
    escalate_overdue,
    give_feedback,
    record_detections,
    save_rule,
    transition_alert,
)
from stormwatch.alerts.state import TransitionError

pytestmark = pytest.mark.django_db


def test_detections_of_one_episode_make_one_alert_that_grows(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    first = record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)
    later = surge(monitor, at=T0 + timedelta(minutes=40), severity=4)
    grown = record_detections(monitor=monitor, detections=[later], now=T0)
    assert Alert.objects.count() == 1
    alert = Alert.objects.get()
    assert [c.reason for c in first] == ["raised"]
    assert [c.reason for c in grown] == ["updated"]
    assert alert.severity == 4
    assert len(alert.detections) == 2
    assert "Mentions rose to 60" in alert.explanation_en


def test_a_detection_after_the_cooldown_raises_a_new_alert(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)
    record_detections(
        monitor=monitor, detections=[surge(monitor, at=T0 + timedelta(hours=3))], now=T0
    )
    assert Alert.objects.count() == 2


def test_the_rule_filters_weak_and_small_detections(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    save_rule(monitor=monitor, rule=Rule(sensitivity="fewer", min_volume=100), now=T0)
    weak = surge(monitor, severity=2, observed=500)
    small = surge(monitor, severity=5, observed=50)
    assert record_detections(monitor=monitor, detections=[weak, small], now=T0) == []
    assert not Alert.objects.exists()


def test_responders_are_told_in_the_app_when_an_alert_is_raised(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)
    told = set(InAppNotification.objects.values_list("user__username", flat=True))
    assert told == {"olga", "adam", "rita"}


def test_acknowledging_follows_the_transition_table(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    alert = record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)[0].alert
    transition_alert(alert=alert, action="acknowledge", actor=cast.responder, now=T0)
    assert alert.state == "acknowledged"
    assert alert.acknowledged_by == cast.responder
    with pytest.raises(TransitionError):
        transition_alert(alert=alert, action="escalate", actor=cast.responder, now=T0)
    transition_alert(alert=alert, action="resolve", actor=cast.responder, now=T0)
    assert Alert.objects.get().state == "resolved"


def test_an_alert_nobody_acknowledges_escalates_after_the_rules_minutes(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    save_rule(monitor=monitor, rule=Rule(escalate_after=timedelta(minutes=15)), now=T0)
    record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)
    assert escalate_overdue(now=T0 + timedelta(minutes=14)) == []
    changes = escalate_overdue(now=T0 + timedelta(minutes=15))
    assert [c.reason for c in changes] == ["escalated"]
    assert Alert.objects.get().state == "escalated"
    assert escalate_overdue(now=T0 + timedelta(minutes=60)) == []  # once only


def test_an_acknowledged_alert_is_not_escalated(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    alert = record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)[0].alert
    transition_alert(alert=alert, action="acknowledge", actor=cast.owner, now=T0)
    assert escalate_overdue(now=T0 + timedelta(hours=2)) == []


def test_a_false_alarm_lowers_sensitivity_and_useful_keeps_it(cast: Any) -> None:
    monitor = make_monitor(cast.workspace)
    save_rule(monitor=monitor, rule=Rule(sensitivity="more"), now=T0)
    first = record_detections(monitor=monitor, detections=[surge(monitor)], now=T0)[0].alert
    give_feedback(alert=first, verdict="useful", actor=cast.responder, now=T0)
    assert rule_for(monitor).sensitivity == "more"
    give_feedback(alert=first, verdict="false_alarm", actor=cast.responder, now=T0)
    assert rule_for(monitor).sensitivity == "balanced"
    assert Alert.objects.get().state == "dismissed"
