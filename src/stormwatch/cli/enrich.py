"""`stormwatch enrich`: enrich a JSONL file of mentions (a thin adapter over `run_enrich`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from stormwatch.enrich.batch import DEFAULT_BATCH_SIZE, EnrichFileError, run_enrich
from stormwatch.enrich.stage import SENTIMENT_TIERS

EXIT_OK = 0
EXIT_UNREADABLE = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `enrich` sub-command; its handler is `args.handler(args) -> exit code`."""
    parser = subparsers.add_parser(
        "enrich",
        help="enrich a JSONL file of mentions (language, sentiment, intents, narratives...)",
        description="Read mentions (one JSON object per line, at least id and text) and write "
        "one enrichment per line. Bad lines are reported on stderr and skipped.",
    )
    parser.add_argument("--input", required=True, help="JSONL file to read, or - for stdin")
    parser.add_argument("--output", required=True, help="JSONL file to write, or - for stdout")
    parser.add_argument(
        "--langs", default="", help="expected languages, comma-separated (e.g. pl,en)"
    )
    parser.add_argument("--tier", choices=SENTIMENT_TIERS, default="fast", help="sentiment tier")
    parser.add_argument(
        "--batch-size", type=_positive_int, default=DEFAULT_BATCH_SIZE, help="items per batch"
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(handler=handle_enrich)


def handle_enrich(args: argparse.Namespace) -> int:
    """Run the command; 0 when the run completed (even with skipped lines), 2 on unreadable I/O."""
    langs = [code.strip().lower() for code in args.langs.split(",") if code.strip()]
    try:
        summary = run_enrich(
            args.input,
            args.output,
            langs=langs or None,
            tier=args.tier,
            batch_size=args.batch_size,
            progress=not args.no_progress,
        )
    except EnrichFileError as exc:
        print(f"stormwatch enrich: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(
        f"read {summary.read}, written {summary.written}, skipped {summary.skipped}",
        file=sys.stderr,
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point (`python -m stormwatch.cli.enrich enrich ...`), used by tests."""
    parser = argparse.ArgumentParser(prog="stormwatch")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


if __name__ == "__main__":
    sys.exit(main())
