"""The `stormwatch` command: noun-verb sub-commands, each a thin adapter over service functions.

The registry below is a literal list: adding a command means adding a line here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from stormwatch.annotations import cli as labels  # [enrichment import]
from stormwatch.cli import backtest as backtest  # [alerts import]
from stormwatch.cli import db, demo, enrich, imports, serve, users, workspaces
from stormwatch.cli import eval as eval_cli  # 'eval' alone would shadow the built-in
from stormwatch.cli import sources as sources  # [sources import]

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

COMMANDS: tuple[Register, ...] = (
    serve.register,
    db.register,
    users.register,
    workspaces.register,
    imports.register,
    demo.register,
    backtest.register,
    backtest.register_alerts,
    # [alerts commands]
    sources.register,
    # [sources commands]
    enrich.register,
    eval_cli.register,
    labels.register,
    # [enrichment commands]
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stormwatch", description="Stormwatch: social media crisis management."
    )
    subparsers = parser.add_subparsers(dest="noun", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
