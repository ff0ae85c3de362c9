"""`stormwatch eval nab DATA_DIR --out RESULTS_DIR [--labels WINDOWS.json] [--profiles P.json]`.

A thin adapter: the work happens in stormwatch.detect.nab.runner.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stormwatch.core.errors import StormwatchError
from stormwatch.detect.nab.runner import count_labels, load_windows, run_corpus, score_results
from stormwatch.detect.nab.scoring import STANDARD_PROFILES, load_profiles


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `eval` noun with its `nab` verb to the top-level parser."""
    noun = subparsers.add_parser("eval", help="evaluate detectors on benchmarks")
    verbs = noun.add_subparsers(dest="verb", required=True, metavar="VERB")
    nab = verbs.add_parser("nab", help="run the Numenta Anomaly Benchmark on a corpus")
    nab.add_argument("data_dir", type=Path, help="folder of sub-folders of timestamp,value CSVs")
    nab.add_argument("--out", type=Path, required=True, help="where result CSVs are written")
    nab.add_argument(
        "--labels",
        type=Path,
        help="NAB combined_windows.json; prints scores (a combined_labels.json beside it sets "
        "the perfect score's anomaly count, as NAB does)",
    )
    nab.add_argument("--profiles", type=Path, help="NAB profiles.json (default: NAB's three)")
    nab.set_defaults(handler=run_nab)


def run_nab(args: argparse.Namespace) -> int:
    """Stream every series through the core, write results, print scores with --labels."""
    if not args.data_dir.is_dir():
        print(f"error: {args.data_dir} is not a folder", file=sys.stderr)
        return 2
    try:
        results = run_corpus(args.data_dir, args.out)
        print(f"scored {len(results)} series into {args.out}")
        if args.labels is None:
            return 0
        profiles = load_profiles(args.profiles) if args.profiles else STANDARD_PROFILES
        count = count_labels(args.labels, results)
        for score in score_results(results, load_windows(args.labels), profiles, count):
            print(f"{score.profile:20s} {score.normalised:6.1f}  (threshold {score.threshold:.4f})")
    except (StormwatchError, OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point until the integrator wires `register` into stormwatch.cli.main."""
    parser = argparse.ArgumentParser(prog="stormwatch")
    register(parser.add_subparsers(dest="noun", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
