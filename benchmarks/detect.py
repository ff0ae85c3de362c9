"""Detector throughput and memory for many monitors; prints one JSON object.

    .venv/bin/python benchmarks/detect.py [--monitors 1000] [--hours 6]

Each monitor gets a synthetic stream (weekly rhythm, Poisson noise; sizes cycle through
30, 120 and 600 mentions per hour at peak). Every monitor runs every product detector
(`step_monitor`): 1-minute, 5-minute and hourly buckets, in time order across monitors, as a
scheduler would. The states are round-tripped through JSON once at the end to measure their
persisted size. Memory is the process's peak resident set (ru_maxrss), streams included, and the
JSON size of the detector states (what a worker must keep or persist per monitor).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from datetime import timedelta

from stormwatch.detect.monitor import new_monitor_state, step_monitor
from stormwatch.detect.records import Bucket
from stormwatch.detect.synthetic import buckets

SIZES = (30.0, 120.0, 600.0)


def make_streams(monitors: int, hours: float) -> list[list[Bucket]]:
    """Per monitor: its 1-min, 5-min and hourly buckets merged in order of end time."""
    streams = []
    for m in range(monitors):
        merged: list[Bucket] = []
        for width in (timedelta(minutes=1), timedelta(minutes=5), timedelta(hours=1)):
            merged.extend(
                buckets(base=SIZES[m % 3], width=width, days=hours / 24, seed=m, monitor=f"m{m}")
            )
        merged.sort(key=lambda b: (b.end_at, b.width))
        streams.append(merged)
    return streams


def run(monitors: int, hours: float) -> dict[str, float]:
    streams = make_streams(monitors, hours)
    states = [new_monitor_state() for _ in range(monitors)]
    total = sum(len(s) for s in streams)
    started = time.perf_counter()
    detections = 0
    for i in range(len(streams[0])):
        for m in range(monitors):
            states[m], found = step_monitor(states[m], streams[m][i])
            detections += len(found)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    state_bytes = sum(len(json.dumps(s)) for s in states)
    return {
        "monitors": monitors,
        "data_hours": hours,
        "buckets": total,
        "seconds": round(elapsed, 2),
        "buckets_per_second": round(total / elapsed),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "state_json_kib_per_monitor": round(state_bytes / monitors / 1024, 1),
        "detections": detections,
        "realtime_factor_1min": round(hours * 3600 / elapsed, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--monitors", type=int, default=1000)
    parser.add_argument("--hours", type=float, default=6.0)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.monitors, args.hours), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
