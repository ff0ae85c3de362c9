"""`stormwatch sources add|test|list|own-account`: thin adapters over stormwatch.sources.

Config comes from a JSON file (`--config FILE.json`, the model's own field names and types)
or from `--set key=value` pairs read as the web form reads them (lists comma-separated,
durations in minutes). Nothing printed ever contains a secret.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from stormwatch.cli.django_setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sources = subparsers.add_parser("sources", help="platform connectors of a workspace")
    verbs = sources.add_subparsers(dest="verb", required=True, metavar="VERB")
    add = verbs.add_parser("add", help="add a source (its config is validated first)")
    add.add_argument("kind", help="source kind, e.g. rss, mastodon, x")
    add.add_argument("--workspace", required=True, help="workspace slug")
    add.add_argument("--name", required=True)
    _config_arguments(add)
    add.set_defaults(handler=add_command)
    test = verbs.add_parser("test", help="fetch a few items with a config; stores nothing")
    test.add_argument("kind")
    _config_arguments(test)
    test.set_defaults(handler=test_command)
    listing = verbs.add_parser("list", help="sources of a workspace with their health")
    listing.add_argument("--workspace", required=True, help="workspace slug")
    listing.set_defaults(handler=list_command)
    own = verbs.add_parser("own-account", help="mark a handle as the brand's own account")
    own.add_argument("platform")
    own.add_argument("handle")
    own.add_argument("--workspace", required=True, help="workspace slug")
    own.set_defaults(handler=own_account_command)


def _config_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--config", type=Path, help="JSON file with the config")
    group.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="one config field (repeatable); lists comma-separated, durations in minutes",
    )


def add_command(args: argparse.Namespace) -> int:
    setup_django()
    from stormwatch.core.clock import SystemClock
    from stormwatch.sources.service import SourceInputError, add_source, public_config
    from stormwatch.workspaces.queries import find_workspace

    workspace = find_workspace(args.workspace)
    if workspace is None:
        return _fail(f"no workspace {args.workspace!r}")
    try:
        source = add_source(
            workspace=workspace,
            kind=args.kind,
            name=args.name,
            config=_read_config(args),
            now=SystemClock().now(),
        )
    except SourceInputError as exc:
        return _fail_fields(exc)
    print(f"added source #{source.pk} {source.name!r} ({source.kind}) to {workspace.slug}")
    print(json.dumps(public_config(source), indent=2, ensure_ascii=False))
    return 0


def test_command(args: argparse.Namespace) -> int:
    setup_django()
    from stormwatch.core.clock import SystemClock
    from stormwatch.sources.service import SourceInputError, test_source_config

    try:
        mentions = test_source_config(
            kind=args.kind, config=_read_config(args), clock=SystemClock()
        )
    except SourceInputError as exc:
        return _fail_fields(exc)
    except Exception as exc:  # the platform's own message is what the person needs
        return _fail(f"test fetch failed: {type(exc).__name__}: {exc}")
    print(f"{len(mentions)} items fetched (nothing stored)")
    for m in mentions:
        author = f"@{m.author.handle}" if m.author else "-"
        text = " ".join((m.title or m.text).split())[:100]
        print(f"{m.created_at:%Y-%m-%d %H:%M}  {author}  {text}  {m.url}")
    return 0


def list_command(args: argparse.Namespace) -> int:
    setup_django()
    from stormwatch.core.clock import SystemClock
    from stormwatch.sources.queries import list_source_health
    from stormwatch.workspaces.queries import find_workspace

    workspace = find_workspace(args.workspace)
    if workspace is None:
        return _fail(f"no workspace {args.workspace!r}")
    rows = [("ID", "NAME", "KIND", "STATUS", "LAST SUCCESS", "FAILURES", "PER HOUR", "ERROR")]
    for h in list_source_health(workspace, SystemClock().now()):
        last = f"{h.last_success_at:%Y-%m-%d %H:%M}" if h.last_success_at else "never"
        error = " ".join(h.last_error.split())[:60] if h.consecutive_failures else ""
        failures, rate = str(h.consecutive_failures), f"{h.mentions_per_hour:.1f}"
        rows.append((str(h.source_id), h.name, h.kind, h.status, last, failures, rate, error))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


def own_account_command(args: argparse.Namespace) -> int:
    setup_django()
    from stormwatch.core.clock import SystemClock
    from stormwatch.sources.service import SourceInputError, add_own_account
    from stormwatch.workspaces.queries import find_workspace

    workspace = find_workspace(args.workspace)
    if workspace is None:
        return _fail(f"no workspace {args.workspace!r}")
    try:
        account = add_own_account(
            workspace=workspace, platform=args.platform, handle=args.handle, now=SystemClock().now()
        )
    except SourceInputError as exc:
        return _fail_fields(exc)
    print(f"{account} is now one of {workspace.slug}'s own accounts")
    return 0


def _read_config(args: argparse.Namespace) -> dict[str, Any]:
    from stormwatch.sources.config_form import config_from_form
    from stormwatch.sources.kinds import find_kind
    from stormwatch.sources.service import SourceInputError

    if args.config is not None:
        data = json.loads(Path(args.config).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise SourceInputError([_field_error("config", "the file must hold a JSON object")])
        return data
    pairs = [item.partition("=") for item in args.set]
    bad = [key for key, sep, _ in pairs if not sep or not key]
    if bad:
        raise SourceInputError([_field_error(k or "?", "use --set KEY=VALUE") for k in bad])
    info = find_kind(args.kind)
    if info is None:
        raise SourceInputError([_field_error("kind", f"unknown source kind {args.kind!r}")])
    return config_from_form(
        info.config, {key: value for key, _, value in pairs}, missing_is_false=False
    )


def _field_error(field: str, message: str) -> Any:
    from stormwatch.core.errors import FieldError

    return FieldError(field, message)


def _fail(message: str) -> int:
    print(f"stormwatch: {message}", file=sys.stderr)
    return 1


def _fail_fields(exc: Any) -> int:
    for error in exc.errors:
        print(f"stormwatch: {error}", file=sys.stderr)
    return 1
