"""What pipeline handlers share: the clock, compiled monitors and per-workspace enrichers.

Compiled monitors are cached per workspace and refreshed when a monitor changes (its
`updated_at`), so editing a query takes effect on the next batch without a restart. Likewise
enabled custom classifiers are reloaded when the set of enabled models changes. A workspace's
narrative tracker is restored from its saved state when its stage is built, and saved again
every `save_state_every` batches (sooner when a batch founds a narrative), so narrative ids
survive a restart.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from stormwatch.core.clock import Clock, SystemClock

if TYPE_CHECKING:
    from stormwatch.annotations.training import LoadedModel
    from stormwatch.enrich.narratives import NarrativeTracker
    from stormwatch.enrich.stage import EnrichmentStage
    from stormwatch.monitors.query import CompiledQuery

log = logging.getLogger(__name__)

EnrichmentMode = Literal["full", "fast", "off"]
# A batch that founds a narrative saves state at most this often (state can be megabytes).
SAVE_ON_NEW_NARRATIVE_AFTER = timedelta(seconds=60)


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
    save_state_every: int = 10  # batches
    _enrichers: dict[int, EnrichmentStage] = field(default_factory=dict)
    _unsaved_batches: dict[int, int] = field(default_factory=dict)
    _saved_at: dict[int, datetime] = field(default_factory=dict)
    _custom: dict[int, tuple[tuple[int, ...], list[LoadedModel]]] = field(default_factory=dict)
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
                full = self.enrichment == "full"
                stage = EnrichmentStage(
                    expected_langs=langs or None,
                    sentiment_tier="fast",
                    narratives=full,
                    narrative_tracker=_restore_tracker(workspace_id) if full else None,
                )
                self._enrichers[workspace_id] = stage
            return stage

    def custom_models_for(self, workspace_id: int) -> list[LoadedModel]:
        """The workspace's enabled custom classifiers, reloaded when that set changes."""
        from stormwatch.annotations.training import enabled_models_key, load_enabled_models

        key = enabled_models_key(workspace_id)
        with self._lock:
            cached = self._custom.get(workspace_id)
            if cached is None or cached[0] != key:
                cached = (key, load_enabled_models(workspace_id) if key else [])
                self._custom[workspace_id] = cached
            return cached[1]

    def note_enriched(self, workspace_id: int, *, founded: int) -> None:
        """Count an enriched batch; save the tracker when due (see the module docstring)."""
        with self._lock:
            unsaved = self._unsaved_batches.get(workspace_id, 0) + 1
            self._unsaved_batches[workspace_id] = unsaved
            last = self._saved_at.get(workspace_id)
            now = self.clock.now()
            soon = last is None or now - last >= SAVE_ON_NEW_NARRATIVE_AFTER
            if unsaved >= self.save_state_every or (founded and soon):
                self.save_enrichment_state(workspace_id)

    def save_enrichment_state(self, workspace_id: int) -> None:
        """Save the workspace's narrative tracker now (no-op without narratives)."""
        from stormwatch.annotations.service import save_enrichment_state

        with self._lock:
            stage = self._enrichers.get(workspace_id)
            if stage is None or stage.narratives is None:
                return
            now = self.clock.now()
            state = stage.narratives.export_state()
            save_enrichment_state(workspace_id=workspace_id, narratives=state, now=now)
            self._unsaved_batches[workspace_id] = 0
            self._saved_at[workspace_id] = now

    @property
    def lock(self) -> threading.RLock:
        return self._lock


def _restore_tracker(workspace_id: int) -> NarrativeTracker | None:
    """The saved tracker of the workspace, or None (a fresh one) when none or unreadable."""
    from stormwatch.annotations.queries import find_enrichment_state
    from stormwatch.enrich.narratives import NarrativeTracker

    state = find_enrichment_state(workspace_id)
    if state is None:
        return None
    try:
        return NarrativeTracker.from_state(state)
    except (ValueError, KeyError, TypeError):
        log.warning("workspace %s: saved narrative state unreadable; starting afresh", workspace_id)
        return None
