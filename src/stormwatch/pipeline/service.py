"""The long-running pipeline: schedules sources and reports a heartbeat for /readyz.

Runs in a background thread of `stormwatch serve` (the default, single-machine mode).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import close_old_connections
from django.db.models import Min

from stormwatch.core.clock import Clock, SystemClock
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.ingest import shared_context
from stormwatch.pipeline.models import PipelineStatus
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.runtime import SourceBuilder, run_due_sources

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = timedelta(seconds=5)
IDLE_SLEEP_SECONDS = 1.0


class PipelineService:
    def __init__(
        self,
        *,
        builders: Mapping[str, SourceBuilder],
        clock: Clock | None = None,
        context: StageContext | None = None,
        name: str = "default",
    ) -> None:
        self.builders = builders
        self.clock = clock or SystemClock()
        self.context = context or shared_context()
        self.name = name
        self.processed = 0
        self._stop = threading.Event()
        self._last_heartbeat: datetime | None = None
        self._started_at = self.clock.now()

    def run_once(self) -> int:
        stored = run_due_sources(clock=self.clock, context=self.context, builders=self.builders)
        self.processed += stored
        from stormwatch.alerts.detect_stage import run_alert_round  # alerts hook (escalation)

        run_alert_round(now=self.clock.now())
        self._heartbeat()
        return stored

    def run_forever(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # keep the service alive; the heartbeat shows the stall
                log.exception("pipeline round failed")
            finally:
                close_old_connections()
            self._stop.wait(IDLE_SLEEP_SECONDS)

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name="stormwatch-pipeline", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

    def _heartbeat(self) -> None:
        now = self.clock.now()
        if self._last_heartbeat and now - self._last_heartbeat < HEARTBEAT_EVERY:
            return
        oldest_due = SourceConfig.objects.filter(is_enabled=True, wake_at__lte=now).aggregate(
            m=Min("wake_at")
        )["m"]
        lag = (now - oldest_due).total_seconds() if oldest_due else 0.0
        PipelineStatus.objects.update_or_create(
            name=self.name,
            defaults={
                "started_at": self._started_at,
                "heartbeat_at": now,
                "processed": self.processed,
                "lag_seconds": max(lag, 0.0),
            },
        )
        self._last_heartbeat = now
