"""`{% load stormwatch_labels %}`: the labels a mention row shows."""

from __future__ import annotations

from typing import Any

from django import template

from stormwatch.annotations.labels import LABEL_NAMES, ShownLabels
from stormwatch.annotations.queries import shown_labels_of
from stormwatch.mentions.models import Mention

register = template.Library()


@register.filter
def labels_for(shown: Any, mention: Mention) -> ShownLabels:
    """`shown` is the view's {mention id: ShownLabels}; without it, one query for this row."""
    if isinstance(shown, dict) and mention.pk in shown:
        found: ShownLabels = shown[mention.pk]
        return found
    return shown_labels_of(mention)


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


@register.filter
def label_name(value: str) -> str:
    """The translated name of a sentiment or standard tag; a free tag as typed."""
    return str(LABEL_NAMES.get(value, value))
