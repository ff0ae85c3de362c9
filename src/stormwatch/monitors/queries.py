"""Reads of monitors, including the compiled form the pipeline matches with."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Max
from django.http import Http404

from stormwatch.monitors.models import Monitor
from stormwatch.workspaces.models import Workspace


def list_monitors(workspace: Workspace) -> list[Monitor]:
    return list(Monitor.objects.filter(workspace=workspace).order_by("name"))


def get_monitor(workspace: Workspace, monitor_id: int) -> Monitor:
    monitor = Monitor.objects.filter(workspace=workspace, pk=monitor_id).first()
    if monitor is None:
        raise Http404("no such monitor")
    return monitor


def monitor_cache_version(workspace_id: int) -> tuple[int, datetime | None]:
    """Changes whenever a monitor of the workspace is added, edited or removed."""
    row = Monitor.objects.filter(workspace_id=workspace_id).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    return (row["n"], row["last"])


def list_compiled_monitors(workspace_id: int) -> list:  # type: ignore[type-arg]
    from stormwatch.monitors.query import compile_query
    from stormwatch.pipeline.context import CompiledMonitor

    return [
        CompiledMonitor(
            id=m.pk,
            name=m.name,
            query=compile_query(m.query, fold_diacritics=m.fold_diacritics, lemmas=m.lemmas),
        )
        for m in Monitor.objects.filter(workspace_id=workspace_id, is_active=True)
    ]
