"""Runs the stage table over a bus until there is nothing left to do.

The runner drains downstream stages first, so consumers free room before producers add more;
together with the bus's capacity this is the back-pressure that keeps memory bounded when a
1 GB file is imported.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from stormwatch.pipeline.bus import Bus, MemoryBus, Payload
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.stages import STAGES, Rejected, StageSpec

INTAKE_SUBJECT = "mentions.received"


@dataclass
class StageStats:
    processed: int = 0
    rejected: int = 0
    seconds: float = 0.0


@dataclass
class RunReport:
    stages: dict[str, StageStats] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.stages["store"].processed if "store" in self.stages else 0


class Pipeline:
    def __init__(
        self,
        *,
        context: StageContext,
        bus: Bus | None = None,
        stages: Sequence[StageSpec] = STAGES,
        batch_size: int = 1000,
    ) -> None:
        self.context = context
        self.bus: Bus = bus or MemoryBus()
        self.stages = tuple(stages)
        self.batch_size = batch_size
        self.report = RunReport(stages={s.name: StageStats() for s in self.stages})

    def submit(
        self,
        workspace_id: int,
        items: Sequence[dict[str, Any]],
        raws: Sequence[dict[str, Any] | None] | None = None,
    ) -> None:
        """Queue canonical mention objects for the workspace; `raws` are the platform payloads
        kept beside them (by default the item itself)."""
        raw_list = raws if raws is not None else [None] * len(items)
        self.bus.publish(
            INTAKE_SUBJECT,
            [
                {"workspace_id": workspace_id, "item": item, "raw": raw}
                for item, raw in zip(items, raw_list, strict=True)
            ],
        )

    def has_room(self, count: int) -> bool:
        return self.bus.has_room(INTAKE_SUBJECT, count)

    def run_until_idle(self) -> RunReport:
        while self._run_one_round():
            pass
        return self.report

    def _run_one_round(self) -> bool:
        worked = False
        for stage in reversed(self.stages):
            while self._run_stage_batch(stage):
                worked = True
        return worked

    def _run_stage_batch(self, stage: StageSpec) -> bool:
        messages = self.bus.pull(stage.consumes, max_messages=self.batch_size)
        if not messages:
            return False
        started = time.perf_counter()
        batch: list[Payload] = [m.payload() for m in messages]
        result = stage.handler(self.context, batch)
        if stage.produces and result.outputs:
            self.bus.publish(stage.produces, result.outputs)
        self.bus.ack(messages)
        stats = self.report.stages[stage.name]
        stats.processed += len(result.outputs)
        stats.rejected += len(result.rejected)
        stats.seconds += time.perf_counter() - started
        self.report.rejected.extend(result.rejected)
        return True
