"""Import a CSV or JSONL file into a workspace through the pipeline, streaming.

Memory stays bounded by the batch size whatever the file size: rows are read, validated,
pushed through the pipeline and stored one batch at a time. Every bad row is reported with its
line number and the import goes on; nothing already stored is rolled back by a later bad row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path
from typing import Any

from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.runner import Pipeline
from stormwatch.pipeline.stages import STAGES, StageSpec


@dataclass
class ImportSummary:
    read: int = 0
    stored: int = 0
    failed: int = 0


@dataclass(frozen=True)
class ImportOptions:
    file_format: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)
    default_tz: tzinfo | None = None
    batch_size: int = 1000
    detect: bool = True  # False only to measure the stages before detection (benchmarks)


ProgressCallback = Callable[[int, int], None]  # bytes read so far, total bytes
ErrorCallback = Callable[[str], None]  # "line 17: created_at: needs a UTC offset ..."


def import_file(
    *,
    workspace_id: int,
    path: Path,
    options: ImportOptions,
    context: StageContext,
    on_progress: ProgressCallback | None = None,
    on_error: ErrorCallback | None = None,
) -> ImportSummary:
    """Raises stormwatch.importing.ImportFileError when the file as a whole cannot be read."""
    from stormwatch.importing import open_reader

    summary = ImportSummary()
    stages = STAGES if options.detect else _without_detection(STAGES)
    pipeline = Pipeline(context=context, batch_size=options.batch_size, stages=stages)
    batch: list[dict[str, Any]] = []
    with open_reader(
        path,
        format=options.file_format,
        mapping=options.mapping,
        defaults=options.defaults,
        default_tz=options.default_tz,
    ) as reader:
        for result in reader:
            summary.read += 1
            if result.mention is None:
                summary.failed += 1
                if on_error:
                    on_error(result.describe())
            else:
                batch.append(result.mention.to_json_dict())
            if len(batch) >= options.batch_size:
                _flush(pipeline, workspace_id, batch, summary)
                if on_progress:
                    on_progress(reader.bytes_read, reader.total_bytes)
        _flush(pipeline, workspace_id, batch, summary)
        if on_progress:
            on_progress(reader.bytes_read, reader.total_bytes)
    return summary


def _without_detection(stages: tuple[StageSpec, ...]) -> tuple[StageSpec, ...]:
    kept = tuple(s for s in stages if s.name != "detect")
    return (*kept[:-1], replace(kept[-1], produces=None))


def _flush(
    pipeline: Pipeline, workspace_id: int, batch: list[dict[str, Any]], summary: ImportSummary
) -> None:
    if not batch:
        return
    before = pipeline.report.stored
    pipeline.submit(workspace_id, batch)
    pipeline.run_until_idle()
    summary.stored += pipeline.report.stored - before
    batch.clear()
