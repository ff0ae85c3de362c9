"""The stage table: what each pipeline stage consumes, produces and runs.

source -> normalise -> match -> enrich -> store (-> detect -> alert, see the detect app).
Every handler takes a batch of JSON payloads and returns the payloads for the next subject plus
the ones it rejected with a reason. Handlers are idempotent: storing upserts on
(workspace, platform, external_id), so a redelivered batch changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from stormwatch.pipeline.bus import Payload
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.handlers import enrich_batch, match_batch, normalise_batch, store_batch


@dataclass(frozen=True)
class Rejected:
    payload: Payload
    reason: str


@dataclass
class StageResult:
    outputs: list[Payload] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


Handler = Callable[[StageContext, list[Payload]], StageResult]


@dataclass(frozen=True)
class StageSpec:
    name: str
    consumes: str
    produces: str | None
    handler: Handler


def _normalise(ctx: StageContext, batch: list[Payload]) -> StageResult:
    outputs, rejected = normalise_batch(batch)
    return StageResult(outputs, [Rejected(p, r) for p, r in rejected])


def _match(ctx: StageContext, batch: list[Payload]) -> StageResult:
    return StageResult(match_batch(ctx, batch))


def _enrich(ctx: StageContext, batch: list[Payload]) -> StageResult:
    return StageResult(enrich_batch(ctx, batch))


def _store(ctx: StageContext, batch: list[Payload]) -> StageResult:
    return StageResult(store_batch(ctx, batch))


def _detect(ctx: StageContext, batch: list[Payload]) -> StageResult:
    from stormwatch.alerts.detect_stage import detect_batch

    return StageResult(detect_batch(ctx, batch))


STAGES: tuple[StageSpec, ...] = (
    StageSpec("normalise", "mentions.received", "mentions.normalised", _normalise),
    StageSpec("match", "mentions.normalised", "mentions.matched", _match),
    StageSpec("enrich", "mentions.matched", "mentions.enriched", _enrich),
    StageSpec("store", "mentions.enriched", "mentions.stored", _store),
    # Outputs are alert changes (notified inside the stage); nothing consumes them yet.
    StageSpec("detect", "mentions.stored", None, _detect),
)
