"""Run a NAB-format corpus through the streaming NAB detector and score the results.

A corpus is a folder of sub-folders holding `timestamp,value` CSV files (NAB's `data/`).
Results mirror that layout: RESULTS_DIR/<subfolder>/<file> with `timestamp,value,anomaly_score`.
Labels are NAB's combined_windows.json: "<subfolder>/<file>" -> [[start, end], ...].
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from stormwatch.core.errors import FieldError, InvalidItem
from stormwatch.detect.nab.detector import DEFAULT_NAB, NabConfig, score_values
from stormwatch.detect.nab.scoring import (
    STANDARD_PROFILES,
    CorpusScore,
    Profile,
    probation_length,
    score_corpus,
)

Windows = dict[str, list[tuple[datetime, datetime]]]


@dataclass(frozen=True)
class Series:
    name: str  # "<subfolder>/<file>", the key used by NAB's label files
    timestamps: list[datetime]
    values: list[float]


def parse_nab_time(text: str) -> datetime:
    """NAB timestamps are naive 'YYYY-mm-dd HH:MM:SS[.ffffff]'; we read them as UTC."""
    return datetime.fromisoformat(text.strip()).replace(tzinfo=UTC)


def iter_corpus(data_dir: Path) -> Iterator[Series]:
    """Yield every series under data_dir in sorted order; raise InvalidItem on a bad row."""
    for path in sorted(data_dir.glob("*/*.csv")):
        yield read_series(path, f"{path.parent.name}/{path.name}")


def read_series(path: Path, name: str) -> Series:
    timestamps: list[datetime] = []
    values: list[float] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                timestamps.append(parse_nab_time(row["timestamp"]))
                values.append(float(row["value"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise InvalidItem([FieldError(f"{name}:{line_no}", str(exc))]) from exc
    return Series(name, timestamps, values)


def score_series(
    values: list[float],
    config: NabConfig = DEFAULT_NAB,
    timestamps: list[datetime] | None = None,
) -> list[float]:
    """Stream the values point by point through the detector; one score per point.

    As NAB does for every detector, the probation length (15 % of the series, at most 750
    points) is handed over: the detector learns from it and never alarms inside it. So are the
    series' smallest and largest values (NAB's inputMin / inputMax, computed from the whole
    file by NAB's AnomalyDetector base class); the ART gate scales its block values by them.
    """
    probation = int(probation_length(len(values)))
    low, high = min(values, default=None), max(values, default=None)
    given = replace(config, probation=probation, input_min=low, input_max=high)
    return score_values(values, given, timestamps)


def write_results(out_dir: Path, series: Series, scores: list[float]) -> Path:
    target = out_dir / series.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "value", "anomaly_score"])
        for t, v, s in zip(series.timestamps, series.values, scores, strict=True):
            writer.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), repr(v), repr(s)])
    return target


def load_windows(path: Path) -> Windows:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: [(parse_nab_time(a), parse_nab_time(b)) for a, b in spans]
        for name, spans in raw.items()
    }


def run_corpus(
    data_dir: Path,
    out_dir: Path | None,
    config: NabConfig = DEFAULT_NAB,
    select: Callable[[str], bool] | None = None,
) -> dict[str, tuple[list[datetime], list[float]]]:
    """Score every (selected) series; write result files when out_dir is given."""
    results: dict[str, tuple[list[datetime], list[float]]] = {}
    for series in iter_corpus(data_dir):
        if select is not None and not select(series.name):
            continue
        scores = score_series(series.values, config, series.timestamps)
        if out_dir is not None:
            write_results(out_dir, series, scores)
        results[series.name] = (series.timestamps, scores)
    return results


def count_labels(windows_path: Path, names: Iterable[str]) -> int | None:
    """Labelled anomalies of `names` from combined_labels.json beside the windows file, if any."""
    path = windows_path.with_name("combined_labels.json")
    if not path.exists():
        return None
    labels = json.loads(path.read_text(encoding="utf-8"))
    return sum(len(labels.get(name, [])) for name in names)


def score_results(
    results: dict[str, tuple[list[datetime], list[float]]],
    windows: Windows,
    profiles: tuple[Profile, ...] = STANDARD_PROFILES,
    anomaly_count: int | None = None,
) -> list[CorpusScore]:
    """NAB scores of `results` under each profile (series missing from windows have none)."""
    return [score_corpus(results, windows, profile, anomaly_count) for profile in profiles]
