""" "What would this rule have done over the last 30 days": a backtest over stored mentions."""

from __future__ import annotations

from datetime import datetime, timedelta

from stormwatch.alerts.backtest import BacktestAlert, backtest_monitor
from stormwatch.alerts.detect_stage import load_scored_mentions
from stormwatch.alerts.rules import Rule
from stormwatch.monitors.models import Monitor

PREVIEW_SPAN = timedelta(days=30)


def preview_rule(monitor: Monitor, rule: Rule, *, now: datetime) -> list[BacktestAlert]:
    """Alerts `rule` would have raised over the monitor's stored mentions of the last 30 days.

    The detectors start cold at the window's start, as a new monitor would (they need two
    days of data before they alarm), so the first days rarely alert.
    """
    mentions = [
        m for m in load_scored_mentions(monitor, since=now - PREVIEW_SPAN) if m.created_at <= now
    ]
    return backtest_monitor(monitor.name, mentions, rule)
