from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stormwatch.cli.django_setup import setup_django

MAX_ERRORS_PRINTED = 50


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = subparsers.add_parser("import", help="import mentions from a CSV or JSONL file")
    cmd.add_argument("file", type=Path)
    cmd.add_argument("--workspace", required=True, help="workspace slug")
    cmd.add_argument("--format", choices=["csv", "jsonl"], help="default: from the file extension")
    cmd.add_argument(
        "--map", action="append", default=[], metavar="COLUMN=FIELD",
        help="map a CSV column to a mention field, e.g. --map tweet_text=text (repeatable)",
    )
    cmd.add_argument("--errors", type=Path, help="write every rejected row to this file")
    cmd.add_argument("--enrichment", choices=["full", "fast", "off"], default="full")
    cmd.add_argument("--batch-size", type=int, default=1000)
    cmd.set_defaults(handler=import_command)


def import_command(args: argparse.Namespace) -> int:
    setup_django()
    from tqdm import tqdm

    from stormwatch.importing import parse_mapping
    from stormwatch.pipeline.context import StageContext
    from stormwatch.pipeline.importer import RowError, import_file
    from stormwatch.workspaces.queries import find_workspace

    workspace = find_workspace(args.workspace)
    if workspace is None:
        print(f"stormwatch: no workspace with slug {args.workspace!r}", file=sys.stderr)
        return 2
    if not args.file.is_file():
        print(f"stormwatch: {args.file}: no such file", file=sys.stderr)
        return 2
    try:
        mapping = parse_mapping(args.map)
    except ValueError as exc:
        print(f"stormwatch: --map: {exc}", file=sys.stderr)
        return 2
    error_file = args.errors.open("w", encoding="utf-8") if args.errors else None
    printed = 0
    bar = tqdm(total=args.file.stat().st_size, unit="B", unit_scale=True, desc="import", file=sys.stderr)

    def on_progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    def on_error(error: RowError) -> None:
        nonlocal printed
        if error_file:
            error_file.write(f"line {error.line}: {error.message}\n")
        if printed < MAX_ERRORS_PRINTED:
            bar.write(f"line {error.line}: {error.message}", file=sys.stderr)
            printed += 1

    try:
        summary = import_file(
            workspace_id=workspace.pk, path=args.file, file_format=args.format, mapping=mapping,
            context=StageContext(enrichment=args.enrichment), batch_size=args.batch_size,
            on_progress=on_progress, on_error=on_error,
        )
    finally:
        bar.close()
        if error_file:
            error_file.close()
    if summary.failed > printed and not args.errors:
        print(f"... {summary.failed - printed} more rejected rows; use --errors FILE to keep them all", file=sys.stderr)
    print(f"read {summary.read} rows: stored {summary.stored}, rejected {summary.failed}")
    return 0
