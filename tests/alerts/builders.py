"""Builders for alert tests (imported by module path: tests cannot import conftest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stormwatch.detect.detection import VOLUME_SURGE, Detection
from stormwatch.monitors.models import Monitor
from stormwatch.monitors.service import MonitorInput, create_monitor
from stormwatch.workspaces.models import Workspace

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def make_monitor(workspace: Workspace, name: str = "Outage", query: str = "awaria") -> Monitor:
    return create_monitor(workspace=workspace, data=MonitorInput(name=name, query=query), now=T0)


def surge(
    monitor: Monitor, *, at: datetime = T0, severity: int = 3, observed: float = 60.0
) -> Detection:
    return Detection(
        kind=VOLUME_SURGE,
        monitor=monitor.name,
        started_at=at - timedelta(minutes=10),
        detected_at=at,
        observed=observed,
        expected=6.0,
        window=timedelta(minutes=5),
        p_value=1e-9,
        severity=severity,
        top_terms=("awaria", "przelew"),
    )
