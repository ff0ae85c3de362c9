"""The alert chart: the monitor's volume around the episode, its usual band, the detection.

The band is the same time of day over the previous seven days (mean ± 2 standard deviations
of those seven counts per 15-minute bucket), so it shows what "usual" meant at that hour.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from stormwatch.alerts.models import Alert
from stormwatch.core.clock import chart_time
from stormwatch.detect.buckets import floor_time
from stormwatch.mentions.models import MentionMatch

STEP = timedelta(minutes=15)
BEFORE = timedelta(hours=6)
AFTER = timedelta(hours=3)
HISTORY_DAYS = 7


def alert_series(alert: Alert) -> dict[str, list[Any]]:
    """x, count, band low and high per 15-minute bucket around the alert. Only monitor alerts
    have a chart: raises ValueError for a source alert."""
    if alert.monitor_id is None:
        raise ValueError("a source alert has no mention chart")
    start = floor_time(alert.started_at - BEFORE, STEP)
    end = floor_time(alert.last_detected_at + AFTER, STEP)
    times = MentionMatch.objects.filter(
        monitor_id=alert.monitor_id,
        created_at__gte=start - timedelta(days=HISTORY_DAYS),
        created_at__lt=end,
    ).values_list("created_at", flat=True)
    counts = Counter(floor_time(at, STEP) for at in times)
    xs: list[datetime] = []
    at = start
    while at < end:
        xs.append(at)
        at += STEP
    lows, highs = [], []
    for x in xs:
        past = [counts.get(x - timedelta(days=d), 0) for d in range(1, HISTORY_DAYS + 1)]
        mean, spread = statistics.fmean(past), statistics.pstdev(past)
        lows.append(max(mean - 2 * spread, 0.0))
        highs.append(mean + 2 * spread)
    return {
        "x": [chart_time(x) for x in xs],
        "count": [counts.get(x, 0) for x in xs],
        "low": lows,
        "high": highs,
    }


def alert_figure(alert: Alert) -> dict[str, Any]:
    series = alert_series(alert)
    detected = chart_time(alert.detected_at)
    band = {"type": "scatter", "mode": "lines", "x": series["x"], "hoverinfo": "skip"}
    return {
        "data": [
            {**band, "y": series["low"], "line": {"width": 0}, "showlegend": False},
            {
                **band,
                "y": series["high"],
                "fill": "tonexty",
                "fillcolor": "rgba(154,165,177,0.35)",
                "line": {"width": 0},
                "name": _("usual range"),
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": series["x"],
                "y": series["count"],
                "name": _("mentions per 15 minutes"),
                "line": {"color": "#d64545"},
            },
        ],
        "layout": {
            "height": 300,
            "margin": {"l": 40, "r": 10, "t": 36, "b": 40},  # room for the "detected" label
            "legend": {"orientation": "h"},
            "xaxis": {"type": "date"},
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": detected,
                    "x1": detected,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#1f2933", "dash": "dash"},
                }
            ],
            "annotations": [
                {"x": detected, "y": 1, "xref": "x", "yref": "paper", "text": _("detected")}
            ],
        },
    }
