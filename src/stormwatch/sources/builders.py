"""Which connector runs each source kind: a literal table, filled as connectors land."""

from __future__ import annotations

from stormwatch.sources.runtime import SourceBuilder

SOURCE_BUILDERS: dict[str, SourceBuilder] = {}
