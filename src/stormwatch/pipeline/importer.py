"""Import a CSV or JSONL file into a workspace through the pipeline, streaming.

Memory stays bounded by the batch size whatever the file size: rows are read, validated,
pushed through the pipeline and stored one batch at a time. Every bad row is reported with its
line number and the import goes on; nothing already stored is rolled back by a later bad row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.runner import Pipeline


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class ImportSummary:
    read: int = 0
    stored: int = 0
    failed: int = 0
    errors_shown: list[RowError] = field(default_factory=list)


ProgressCallback = Callable[[int, int], None]  # bytes read so far, total bytes
ErrorCallback = Callable[[RowError], None]


def import_file(
    *,
    workspace_id: int,
    path: Path,
    file_format: str | None,
    mapping: Mapping[str, str],
    context: StageContext,
    batch_size: int = 1000,
    on_progress: ProgressCallback | None = None,
    on_error: ErrorCallback | None = None,
) -> ImportSummary:
    from stormwatch.importing import open_reader

    summary = ImportSummary()
    pipeline = Pipeline(context=context, batch_size=batch_size)
    reader = open_reader(path, format=file_format, mapping=mapping)
    batch: list[dict[str, Any]] = []
    for result in reader:
        summary.read += 1
        if result.mention is None:
            summary.failed += 1
            if on_error:
                on_error(RowError(result.line, result.error_message))
        else:
            batch.append(result.mention.to_json_dict())
        if len(batch) >= batch_size:
            _flush(pipeline, workspace_id, batch, summary)
            if on_progress:
                on_progress(reader.bytes_read, reader.total_bytes)
    _flush(pipeline, workspace_id, batch, summary)
    if on_progress:
        on_progress(reader.bytes_read, reader.total_bytes)
    return summary


def _flush(pipeline: Pipeline, workspace_id: int, batch: list[dict[str, Any]], summary: ImportSummary) -> None:
    if not batch:
        return
    before = pipeline.report.stored
    pipeline.submit(workspace_id, batch)
    pipeline.run_until_idle()
    summary.stored += pipeline.report.stored - before
    batch.clear()
