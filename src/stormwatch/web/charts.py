"""Plotly figure specs (plain dicts, rendered by plotly.min.js served from the plotly package)."""

from __future__ import annotations

from typing import Any

from stormwatch.mentions.queries import SeriesPoint

SENTIMENT_COLOURS = {
    "negative": "#d64545",
    "neutral": "#9aa5b1",
    "positive": "#3f9142",
    "other": "#cbd2d9",
}


def sentiment_volume_figure(points: list[SeriesPoint]) -> dict[str, Any]:
    xs = [p.at.isoformat() for p in points]
    traces = [
        {
            "type": "bar",
            "name": name,
            "x": xs,
            "y": [getattr(p, name) for p in points],
            "marker": {"color": colour},
        }
        for name, colour in SENTIMENT_COLOURS.items()
    ]
    return {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "height": 260,
            "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
            "legend": {"orientation": "h"},
            "xaxis": {"type": "date"},
            "yaxis": {"title": {"text": "mentions"}},
        },
    }
