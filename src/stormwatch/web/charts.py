"""Plotly figure specs (plain dicts, rendered by plotly.min.js served from the plotly package)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from stormwatch.core.clock import chart_time
from stormwatch.mentions.queries import SeriesPoint

SENTIMENT_SERIES = (
    ("negative", "#d64545", pgettext_lazy("sentiment", "negative")),
    ("neutral", "#9aa5b1", pgettext_lazy("sentiment", "neutral")),
    ("positive", "#3f9142", pgettext_lazy("sentiment", "positive")),
    ("other", "#cbd2d9", gettext_lazy("not scored")),
)


def sentiment_volume_figure(points: list[SeriesPoint]) -> dict[str, Any]:
    xs = [chart_time(p.at) for p in points]
    traces = [
        {
            "type": "bar",
            "name": str(label),
            "x": xs,
            "y": [getattr(p, name) for p in points],
            "marker": {"color": colour},
        }
        for name, colour, label in SENTIMENT_SERIES
    ]
    return {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "height": 260,
            "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
            "legend": {"orientation": "h"},
            "xaxis": {"type": "date"},
            "yaxis": {"title": {"text": gettext("mentions")}},
        },
    }
