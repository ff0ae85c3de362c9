"""`stormwatch backtest` (no database) and `stormwatch alerts digest|escalate`."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import timedelta
from pathlib import Path

from stormwatch.cli.django_setup import setup_django

_SPAN = re.compile(r"^(\d+)([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_span(text: str) -> timedelta:
    """'30m', '24h' or '7d' -> timedelta; raises argparse.ArgumentTypeError otherwise."""
    match = _SPAN.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: use a number and m, h or d, like 24h")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("backtest", help="which alerts would have fired on past data")
    parser.add_argument("--input", type=Path, required=True, help="mentions, one JSON a line")
    parser.add_argument("--monitors", type=Path, required=True, help="TOML: name = 'query'")
    parser.add_argument("--output", type=Path, required=True, help="alerts, one JSON a line")
    parser.add_argument("--sensitivity", choices=("fewer", "balanced", "more"), default="balanced")
    parser.add_argument("--no-enrich", action="store_true", help="skip sentiment and language")
    parser.set_defaults(handler=backtest_command)


def register_alerts(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    alerts = subparsers.add_parser("alerts", help="alert digests and escalation")
    verbs = alerts.add_subparsers(dest="verb", required=True, metavar="VERB")
    digest = verbs.add_parser("digest", help="send a summary of recent alerts to the channels")
    digest.add_argument("--workspace", required=True, help="workspace slug")
    digest.add_argument("--since", type=parse_span, default=timedelta(hours=24))
    digest.set_defaults(handler=digest_command)
    escalate = verbs.add_parser("escalate", help="escalate alerts nobody acknowledged in time")
    escalate.set_defaults(handler=escalate_command)


def backtest_command(args: argparse.Namespace) -> int:
    from stormwatch.alerts.backtest_files import run_backtest, write_alerts
    from stormwatch.alerts.rules import Rule

    for path in (args.input, args.monitors):
        if not path.is_file():
            print(f"stormwatch: no such file: {path}", file=sys.stderr)
            return 2
    try:
        report = run_backtest(
            args.input,
            args.monitors,
            rule=Rule(sensitivity=args.sensitivity),
            enrich=not args.no_enrich,
        )
    except ValueError as exc:  # a bad monitors file or query
        print(f"stormwatch: {exc}", file=sys.stderr)
        return 2
    write_alerts(report.alerts, args.output)
    matched = ", ".join(f"{name} {n}" for name, n in report.matched.items())
    print(
        f"{report.mentions} mentions ({report.invalid} invalid lines skipped); matched: {matched}"
    )
    print(f"{len(report.alerts)} alerts written to {args.output}")
    return 0


def digest_command(args: argparse.Namespace) -> int:
    setup_django()
    from stormwatch.alerts.notify.digests import send_digest_now
    from stormwatch.core.clock import SystemClock
    from stormwatch.workspaces.queries import find_workspace

    workspace = find_workspace(args.workspace)
    if workspace is None:
        print(f"stormwatch: no workspace {args.workspace!r}", file=sys.stderr)
        return 2
    now = SystemClock().now()
    deliveries = send_digest_now(workspace=workspace, since=now - args.since, now=now)
    ok = sum(1 for d in deliveries if d.ok)
    print(f"digest sent to {ok} of {len(deliveries)} channels")
    return 0 if ok == len(deliveries) else 1


def escalate_command(args: argparse.Namespace) -> int:
    setup_django()
    from stormwatch.alerts.notify.service import notify_changes
    from stormwatch.alerts.service import escalate_overdue
    from stormwatch.core.clock import SystemClock

    now = SystemClock().now()
    changes = escalate_overdue(now=now)
    notify_changes(changes, now=now)
    print(f"{len(changes)} alerts escalated")
    return 0
