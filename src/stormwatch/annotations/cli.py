"""`stormwatch labels train --workspace W --target sentiment|tags`: a thin adapter over
`training.train_workspace_model`. The new model is stored switched off; a person compares its
accuracy with the built-in one and switches it on in "Teach Stormwatch"."""

from __future__ import annotations

import argparse
import sys

from stormwatch.cli.django_setup import setup_django

TARGETS = ("sentiment", "tags")  # as annotations.labels.TARGETS, without importing Django here


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    labels = subparsers.add_parser("labels", help="people's corrections and custom classifiers")
    verbs = labels.add_subparsers(dest="verb", required=True, metavar="VERB")
    train = verbs.add_parser(
        "train", help="train a workspace's classifier from its corrections (stored switched off)"
    )
    train.add_argument("--workspace", required=True, help="workspace slug")
    train.add_argument("--target", required=True, choices=TARGETS)
    train.set_defaults(handler=train_command)


def train_command(args: argparse.Namespace) -> int:
    """0 when trained; 1 for an unknown workspace or too few examples."""
    setup_django()
    from stormwatch.annotations.training import NotEnoughExamples, train_workspace_model
    from stormwatch.core.clock import SystemClock
    from stormwatch.workspaces.queries import find_workspace

    workspace = find_workspace(args.workspace)
    if workspace is None:
        print(f"stormwatch: no workspace {args.workspace!r}", file=sys.stderr)
        return 1
    try:
        model = train_workspace_model(
            workspace=workspace, target=args.target, now=SystemClock().now()
        )
    except NotEnoughExamples as exc:
        print(f"stormwatch: not enough examples: {exc}", file=sys.stderr)
        return 1
    print(
        f"trained {args.target} model version {model.version} on {model.examples} examples: "
        f"accuracy {model.accuracy:.1%} (cross-validated), built-in {model.baseline_accuracy:.1%}"
        f"; labels {', '.join(model.labels)}. It is off: switch it on in Teach Stormwatch."
    )
    return 0
