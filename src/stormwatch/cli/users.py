from __future__ import annotations

import argparse
import getpass
import sys

from stormwatch.cli.django_setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = subparsers.add_parser("user", help="people who log in")
    verbs = user.add_subparsers(dest="verb", required=True, metavar="VERB")
    create = verbs.add_parser("create", help="create a user (asks for the password if not given)")
    create.add_argument("username")
    create.add_argument("--email", default="")
    create.add_argument("--password", help="avoid on shared machines: it lands in shell history")
    create.set_defaults(handler=create_user)


def create_user(args: argparse.Namespace) -> int:
    setup_django()
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if User.objects.filter(username=args.username).exists():
        print(f"stormwatch: user {args.username!r} already exists", file=sys.stderr)
        return 1
    password = args.password or getpass.getpass("Password: ")
    try:
        validate_password(password)
    except ValidationError as exc:
        print("stormwatch: password rejected: " + " ".join(exc.messages), file=sys.stderr)
        return 1
    User.objects.create_user(args.username, email=args.email, password=password)
    print(f"created user {args.username}")
    return 0
