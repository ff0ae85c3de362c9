"""What pipeline handlers share: the clock, compiled monitors and per-workspace enrichers.

Compiled monitors are cached per workspace and refreshed when a monitor changes (its
`updated_at`), so editing a query takes effect on the next batch without a restart.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from stormwatch.core.clock import Clock, SystemClock

if TYPE_CHECKING:
    from stormwatch.enrich.stage import EnrichmentStage
    from stormwatch.monitors.query import CompiledQuery

EnrichmentMode = Literal["full", "fast", "off"]


@dataclass(frozen=True)
class CompiledMonitor:
    id: int
    name: str
    query: CompiledQuery


@dataclass
class _MonitorCacheEntry:
    version: tuple[int, datetime | None]
    monitors: list[CompiledMonitor]


@dataclass
class StageContext:
    clock: Clock = field(default_factory=SystemClock)
    enrichment: EnrichmentMode = "full"
    _monitors: dict[int, _MonitorCacheEntry] = field(default_factory=dict)
    _enrichers: dict[int, EnrichmentStage] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def monitors_for(self, workspace_id: int) -> list[CompiledMonitor]:
        from stormwatch.monitors.queries import list_compiled_monitors, monitor_cache_version

        version = monitor_cache_version(workspace_id)
        with self._lock:
            entry = self._monitors.get(workspace_id)
            if entry is None or entry.version != version:
                entry = _MonitorCacheEntry(version, list_compiled_monitors(workspace_id))
                self._monitors[workspace_id] = entry
            return entry.monitors

    def enricher_for(self, workspace_id: int) -> EnrichmentStage:
        """One stateful enrichment stage per workspace (its dedup index and narratives)."""
        from stormwatch.enrich.stage import EnrichmentStage
        from stormwatch.workspaces.models import Workspace

        with self._lock:
            stage = self._enrichers.get(workspace_id)
            if stage is None:
                langs = (
                    Workspace.objects.filter(pk=workspace_id)
                    .values_list("expected_langs", flat=True)
                    .first()
                )
                stage = EnrichmentStage(
                    expected_langs=langs or None,
                    sentiment_tier="fast",
                    narratives=self.enrichment == "full",
                )
                self._enrichers[workspace_id] = stage
            return stage

    @property
    def lock(self) -> threading.RLock:
        return self._lock
