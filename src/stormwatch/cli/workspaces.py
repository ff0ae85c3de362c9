from __future__ import annotations

import argparse
import sys

from stormwatch.cli.django_setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    workspace = subparsers.add_parser("workspace", help="teams and their members")
    verbs = workspace.add_subparsers(dest="verb", required=True, metavar="VERB")
    create = verbs.add_parser("create", help="create a workspace owned by an existing user")
    create.add_argument("name")
    create.add_argument("--owner", required=True, help="username of the owner")
    create.add_argument("--langs", default="pl,en", help="expected languages, comma separated")
    create.set_defaults(handler=create_workspace_command)
    add = verbs.add_parser("add-member", help="add a user to a workspace with a role")
    add.add_argument("workspace", help="workspace slug")
    add.add_argument("username")
    add.add_argument(
        "--role", default="viewer", choices=["owner", "admin", "analyst", "responder", "viewer"]
    )
    add.set_defaults(handler=add_member_command)


def create_workspace_command(args: argparse.Namespace) -> int:
    setup_django()
    from django.contrib.auth.models import User

    from stormwatch.core.clock import SystemClock
    from stormwatch.workspaces.service import create_workspace

    owner = User.objects.filter(username=args.owner).first()
    if owner is None:
        print(
            f"stormwatch: no user {args.owner!r}; create it with 'stormwatch user create'",
            file=sys.stderr,
        )
        return 1
    langs = [code.strip().lower() for code in args.langs.split(",") if code.strip()]
    workspace = create_workspace(
        name=args.name, owner=owner, now=SystemClock().now(), expected_langs=langs
    )
    print(f"created workspace {workspace.name!r} with slug {workspace.slug}")
    return 0


def add_member_command(args: argparse.Namespace) -> int:
    setup_django()
    from django.contrib.auth.models import User

    from stormwatch.core.clock import SystemClock
    from stormwatch.workspaces.queries import find_workspace
    from stormwatch.workspaces.service import add_member

    workspace = find_workspace(args.workspace)
    user = User.objects.filter(username=args.username).first()
    if workspace is None or user is None:
        missing = "workspace" if workspace is None else "user"
        print(f"stormwatch: no such {missing}", file=sys.stderr)
        return 1
    add_member(workspace=workspace, user=user, role=args.role, now=SystemClock().now())
    print(f"{user.username} is now {args.role} of {workspace.slug}")
    return 0
