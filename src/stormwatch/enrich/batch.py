"""Batch enrichment of a JSONL file: the service behind `stormwatch enrich`.

Streams: reads one line at a time, enriches `batch_size` items at once and writes them out, so
memory stays flat however big the file is (lines over `MAX_LINE_BYTES` are skipped unread).
A bad line (not UTF-8, not JSON, no `id`, `text` not a string or too long) is reported on the
error stream with its line number and skipped; the run goes on. Only an input or output that
cannot be opened stops it, with `EnrichFileError`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from tqdm import tqdm

from stormwatch.core.errors import FieldError, InvalidItem, StormwatchError
from stormwatch.enrich.stage import EnrichInput, Enrichment, EnrichmentStage
from stormwatch.mentions.canonical import MAX_ID_CHARS, MAX_TEXT_CHARS, METRIC_NAMES

# JSON may spell each of 100,000 characters as a 6-byte \\u escape; anything longer is not ours.
MAX_LINE_BYTES = 6 * MAX_TEXT_CHARS + 64 * 1024
DEFAULT_BATCH_SIZE = 256
_WHOLE_LINE = "(line)"


class EnrichFileError(StormwatchError):
    """The input cannot be read or the output cannot be written."""


@dataclass(frozen=True)
class EnrichSummary:
    read: int  # non-blank lines seen
    written: int
    skipped: int


@dataclass(frozen=True)
class _Line:
    number: int
    data: bytes


def run_enrich(
    input_path: Path | str,
    output_path: Path | str,
    *,
    langs: list[str] | None = None,
    tier: str = "fast",
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = True,
    errors: TextIO | None = None,
) -> EnrichSummary:
    """Enrich every valid line of `input_path` into `output_path` ("-" means stdin/stdout).

    Raises EnrichFileError when either file cannot be opened or read; ValueError on a bad
    `tier` or `batch_size`. Bad lines never raise: they are counted in `skipped`.
    """
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    stage = EnrichmentStage(expected_langs=langs, sentiment_tier=tier)
    err = errors if errors is not None else sys.stderr
    source, size = _open_input(input_path)
    try:
        sink = _open_output(output_path)
        try:
            with tqdm(total=size, unit="B", unit_scale=True, file=err, disable=not progress) as bar:
                return _process(_read_lines(source, bar, err), stage, sink, batch_size, err)
        finally:
            if sink is not sys.stdout:
                sink.close()
    except OSError as exc:
        raise EnrichFileError(f"cannot read {input_path} or write {output_path}: {exc}") from exc
    finally:
        if source is not sys.stdin.buffer:
            source.close()


def _open_input(path: Path | str) -> tuple[BinaryIO, int | None]:
    if str(path) == "-":
        return sys.stdin.buffer, None
    try:
        handle = Path(path).open("rb")  # noqa: SIM115 -- closed by run_enrich, which owns it
        return handle, Path(path).stat().st_size
    except OSError as exc:
        raise EnrichFileError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _open_output(path: Path | str) -> TextIO:
    if str(path) == "-":
        return sys.stdout
    try:
        return Path(path).open("w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise EnrichFileError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _read_lines(source: BinaryIO, bar: tqdm[Any], err: TextIO) -> Iterator[_Line]:
    """Non-blank lines with their 1-based numbers; over-long lines are reported and drained."""
    number = 0
    while True:
        data = source.readline(MAX_LINE_BYTES + 1)
        if not data:
            return
        number += 1
        bar.update(len(data))
        if len(data) > MAX_LINE_BYTES and not data.endswith(b"\n"):
            bar.update(_drain_line(source))
            _report(err, number, f"line is longer than {MAX_LINE_BYTES} bytes")
            yield _Line(number, b"")  # counted as read, then skipped
            continue
        if data.strip():
            yield _Line(number, data)


def _drain_line(source: BinaryIO) -> int:
    drained = 0
    while True:
        chunk = source.readline(1 << 20)
        drained += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return drained


def _process(
    lines: Iterator[_Line], stage: EnrichmentStage, sink: IO[str], batch_size: int, err: TextIO
) -> EnrichSummary:
    read = written = 0
    pending: list[tuple[int, EnrichInput]] = []
    for line in lines:
        read += 1
        item = _parse_or_report(line, err)
        if item is not None:
            pending.append((line.number, item))
        if len(pending) >= batch_size:
            written += _flush(stage, pending, sink, err)
            pending = []
    written += _flush(stage, pending, sink, err)
    return EnrichSummary(read=read, written=written, skipped=read - written)


def _flush(
    stage: EnrichmentStage, pending: list[tuple[int, EnrichInput]], sink: IO[str], err: TextIO
) -> int:
    enrichments = _enrich_safely(stage, pending, err)
    for enrichment in enrichments:
        sink.write(json.dumps(asdict(enrichment), ensure_ascii=False) + "\n")
    sink.flush()
    return len(enrichments)


def _enrich_safely(
    stage: EnrichmentStage, pending: list[tuple[int, EnrichInput]], err: TextIO
) -> list[Enrichment]:
    """Enrich a batch; if it fails, retry item by item so one bad item costs only itself."""
    if not pending:
        return []
    try:
        return stage.enrich([item for _, item in pending])
    except Exception:  # a run over a million lines must not die on one of them
        pass
    out: list[Enrichment] = []
    for number, item in pending:
        try:
            out.extend(stage.enrich([item]))
        except Exception as exc:  # reported with its line, then skipped
            _report(err, number, f"enrichment failed: {type(exc).__name__}: {exc}")
    return out


def _parse_or_report(line: _Line, err: TextIO) -> EnrichInput | None:
    if not line.data:
        return None  # already reported (too long)
    try:
        return parse_enrich_input(_decode_json(line.data))
    except InvalidItem as exc:
        _report(err, line.number, "; ".join(_describe(e) for e in exc.errors))
        return None


def _describe(error: FieldError) -> str:
    return error.message if error.field == _WHOLE_LINE else str(error)


def _decode_json(data: bytes) -> object:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidItem(
            [FieldError(_WHOLE_LINE, f"not valid UTF-8 at byte {exc.start}")]
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidItem(
            [FieldError(_WHOLE_LINE, f"not JSON: {exc.msg} at column {exc.colno}")]
        ) from exc


def parse_enrich_input(obj: object) -> EnrichInput:
    """An `EnrichInput` from a decoded JSON line: `id` and `text` required; `lang`, `platform`,
    `author.followers` (or `followers`) and `metrics` read when present and well-formed.

    Raises InvalidItem naming each bad required field. Bad optional fields are ignored: they
    only refine reach and language, and a whole mention should not be lost over them.
    """
    if not isinstance(obj, dict):
        raise InvalidItem([FieldError(_WHOLE_LINE, "expected a JSON object")])
    errors: list[FieldError] = []
    mention_id = _read_id(obj.get("id"), errors)
    text = obj.get("text")
    if text is None:
        errors.append(FieldError("text", "is required"))
    elif not isinstance(text, str):
        errors.append(FieldError("text", f"expected a string, got {type(text).__name__}"))
    elif len(text) > MAX_TEXT_CHARS:
        errors.append(
            FieldError("text", f"is {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
        )
    if errors or not isinstance(text, str):
        raise InvalidItem(errors)
    return EnrichInput(
        id=mention_id,
        text=text,
        lang_hint=_optional_str(obj.get("lang"))[:16],
        platform=_optional_str(obj.get("platform"))[:64],
        author_followers=_read_followers(obj),
        metrics=_read_metrics(obj.get("metrics")),
    )


def _read_id(value: object, errors: list[FieldError]) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is None or value == "":
        errors.append(FieldError("id", "is required"))
    elif not isinstance(value, str):
        errors.append(FieldError("id", f"expected a string, got {type(value).__name__}"))
    elif len(value) > MAX_ID_CHARS:
        errors.append(FieldError("id", f"is longer than {MAX_ID_CHARS} characters"))
    else:
        return value
    return ""


def _optional_str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _read_followers(obj: dict[str, Any]) -> int | None:
    author = obj.get("author")
    value = author.get("followers") if isinstance(author, dict) else obj.get("followers")
    return value if _is_count(value) else None


def _read_metrics(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if k in METRIC_NAMES and _is_count(v)}


def _report(err: TextIO, number: int, reason: str) -> None:
    tqdm.write(f"line {number}: skipped: {reason}", file=err)
