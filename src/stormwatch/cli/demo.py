from __future__ import annotations

import argparse

from stormwatch.cli.django_setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser("demo", help="the live demo workspace")
    verbs = demo.add_subparsers(dest="verb", required=True, metavar="VERB")
    setup = verbs.add_parser("setup", help="create the demo workspace and print its login")
    setup.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="replay the scenario this many times faster than real time (default 1)",
    )
    setup.set_defaults(handler=setup_demo_command)


def setup_demo_command(args: argparse.Namespace) -> int:
    setup_django()
    from stormwatch.core.clock import SystemClock
    from stormwatch.demo.setup import set_up_demo

    login = set_up_demo(now=SystemClock().now(), time_scale=args.time_scale)
    print("Demo workspace ready.")
    print(f"  log in at http://127.0.0.1:8000/ as {login.username} / {login.password}")
    return 0
