from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from stormwatch.cli.django_setup import setup_django

if TYPE_CHECKING:
    from stormwatch.pipeline.importer import ImportOptions

MAX_ERRORS_PRINTED = 50


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = subparsers.add_parser("import", help="import mentions from a CSV or JSONL file")
    cmd.add_argument("file", type=Path)
    cmd.add_argument("--workspace", required=True, help="workspace slug")
    cmd.add_argument("--format", choices=["csv", "jsonl"], help="default: from the file extension")
    cmd.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="CSV: map a column to a mention field, e.g. --map tweet_text=text (repeatable)",
    )
    cmd.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="CSV: a value for a field no column gives, e.g. --set platform=x (repeatable)",
    )
    cmd.add_argument(
        "--timezone", help="CSV: time zone of timestamps without an offset, e.g. Europe/Warsaw"
    )
    cmd.add_argument("--errors", type=Path, help="write every rejected row to this file")
    cmd.add_argument("--enrichment", choices=["full", "fast", "off"], default="full")
    cmd.add_argument("--batch-size", type=int, default=1000)
    cmd.set_defaults(handler=import_command)


def _fail(message: str) -> int:
    print(f"stormwatch import: {message}", file=sys.stderr)
    return 2


def import_command(args: argparse.Namespace) -> int:
    setup_django()
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from stormwatch.importing import ImportFileError, MappingError, parse_defaults, parse_mapping
    from stormwatch.pipeline.importer import ImportOptions
    from stormwatch.workspaces.queries import find_workspace

    workspace = find_workspace(args.workspace)
    if workspace is None:
        return _fail(f"no workspace with slug {args.workspace!r}")
    if not args.file.is_file():
        return _fail(f"{args.file}: no such file")
    try:
        options = ImportOptions(
            file_format=args.format,
            mapping=parse_mapping(args.map),
            defaults=parse_defaults(args.set),
            default_tz=ZoneInfo(args.timezone) if args.timezone else None,
            batch_size=max(1, args.batch_size),
        )
    except (MappingError, ZoneInfoNotFoundError, ValueError) as exc:
        return _fail(str(exc))
    error_file = args.errors.open("w", encoding="utf-8") if args.errors else None
    try:
        return _run(args, workspace.pk, options, error_file)
    except ImportFileError as exc:
        return _fail(str(exc))
    finally:
        if error_file:
            error_file.close()


def _run(
    args: argparse.Namespace, workspace_id: int, options: ImportOptions, error_file: TextIO | None
) -> int:
    from tqdm import tqdm

    from stormwatch.pipeline.context import StageContext
    from stormwatch.pipeline.importer import import_file

    printed = 0
    bar = tqdm(
        total=args.file.stat().st_size, unit="B", unit_scale=True, desc="import", file=sys.stderr
    )

    def on_progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    def on_error(message: str) -> None:
        nonlocal printed
        if error_file:
            error_file.write(message + "\n")
        if printed < MAX_ERRORS_PRINTED:
            bar.write(message, file=sys.stderr)
            printed += 1

    with bar:
        summary = import_file(
            workspace_id=workspace_id,
            path=args.file,
            options=options,
            context=StageContext(enrichment=args.enrichment),
            on_progress=on_progress,
            on_error=on_error,
        )
    if summary.failed > printed and not error_file:
        print(
            f"{summary.failed - printed} more rejected rows not shown; --errors FILE keeps all",
            file=sys.stderr,
        )
    print(f"read {summary.read} rows: stored {summary.stored}, rejected {summary.failed}")
    return 0
