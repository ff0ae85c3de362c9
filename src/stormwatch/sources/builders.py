"""Which connector runs each source kind: a literal table (kind slug -> builder)."""

from __future__ import annotations

from datetime import datetime

from stormwatch.core.clock import Clock
from stormwatch.sources.contract import Source
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.runtime import SourceBuilder


def build_demo(config: SourceConfig, clock: Clock) -> Source:
    from stormwatch.demo.source import build_demo_source

    options = config.config
    return build_demo_source(
        created_at=datetime.fromisoformat(options["created_at"]),
        clock=clock,
        seed=int(options.get("seed", 7)),
        time_scale=float(options.get("time_scale", 1.0)),
    )


SOURCE_BUILDERS: dict[str, SourceBuilder] = {
    "demo": build_demo,
}
