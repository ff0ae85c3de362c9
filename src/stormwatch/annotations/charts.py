"""Plotly figure specs for the narratives page and the mention detail (plain dicts)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

_COMPACT = {"l": 24, "r": 4, "t": 4, "b": 20}


def narrative_volume_figure(daily: list[tuple[datetime, int]]) -> dict[str, Any]:
    """A small bar sparkline of mentions per day."""
    return {
        "data": [
            {
                "type": "bar",
                "x": [day.date().isoformat() for day, _ in daily],
                "y": [n for _, n in daily],
                "marker": {"color": "#1f5fbf"},
                "hovertemplate": "%{x}: %{y}<extra></extra>",
            }
        ],
        "layout": {
            "height": 70,
            "width": 220,
            "margin": _COMPACT,
            "xaxis": {"type": "date", "showticklabels": False},
            "yaxis": {"nticks": 3},
            "showlegend": False,
        },
    }


def emotions_figure(emotions: Mapping[str, float]) -> dict[str, Any]:
    """Horizontal bars, strongest emotion on top."""
    ranked = sorted(emotions.items(), key=lambda item: item[1])
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [round(score, 3) for _, score in ranked],
                "y": [name for name, _ in ranked],
                "marker": {"color": "#7b61ff"},
            }
        ],
        "layout": {
            "height": 40 + 26 * max(1, len(ranked)),
            "margin": {"l": 80, "r": 10, "t": 4, "b": 24},
            "xaxis": {"range": [0, 1]},
            "showlegend": False,
        },
    }
