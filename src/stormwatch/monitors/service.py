"""Every state change of monitors. A query is parsed before it is saved: a bad one never lands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stormwatch.monitors.models import Monitor, MonitorKind
from stormwatch.monitors.query import QuerySyntaxError, parse_query
from stormwatch.workspaces.models import Workspace


@dataclass(frozen=True)
class MonitorInput:
    name: str
    query: str
    kind: str = MonitorKind.BRAND
    fold_diacritics: bool = True
    lemmas: bool = False
    is_active: bool = True


class MonitorError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def validate_monitor(
    workspace: Workspace, data: MonitorInput, *, existing: Monitor | None = None
) -> None:
    if not data.name.strip():
        raise MonitorError("name", "a monitor needs a name")
    clash = Monitor.objects.filter(workspace=workspace, name=data.name.strip())
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if clash.exists():
        raise MonitorError("name", f"a monitor named {data.name!r} already exists")
    if data.kind not in MonitorKind.values:
        raise MonitorError("kind", f"unknown kind {data.kind!r}")
    try:
        parse_query(data.query)
    except QuerySyntaxError as exc:
        raise MonitorError("query", str(exc)) from exc


def create_monitor(*, workspace: Workspace, data: MonitorInput, now: datetime) -> Monitor:
    validate_monitor(workspace, data)
    return Monitor.objects.create(
        workspace=workspace,
        name=data.name.strip(),
        kind=data.kind,
        query=data.query.strip(),
        fold_diacritics=data.fold_diacritics,
        lemmas=data.lemmas,
        is_active=data.is_active,
        created_at=now,
        updated_at=now,
    )


def update_monitor(*, monitor: Monitor, data: MonitorInput, now: datetime) -> Monitor:
    validate_monitor(monitor.workspace, data, existing=monitor)
    monitor.name = data.name.strip()
    monitor.kind = data.kind
    monitor.query = data.query.strip()
    monitor.fold_diacritics = data.fold_diacritics
    monitor.lemmas = data.lemmas
    monitor.is_active = data.is_active
    monitor.updated_at = now
    monitor.save()
    return monitor


def delete_monitor(*, monitor: Monitor) -> None:
    monitor.delete()
