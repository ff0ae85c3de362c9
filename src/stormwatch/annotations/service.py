"""Every write of the annotations app: corrections, narratives, saved enrichment state.

Keyword-only arguments and an explicit `now`. Corrections never touch the machine's labels on
`Mention`; they are rows beside it, so the enricher can still be measured against people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext

from stormwatch.annotations.labels import LabelError, ShownLabels, clean_sentiment, clean_tag
from stormwatch.annotations.models import Correction, EnrichmentState, Narrative
from stormwatch.annotations.queries import shown_labels_of
from stormwatch.mentions.models import Mention

Action = Literal["set", "reset", "add", "remove"]


def correct_sentiment(
    *, mention: Mention, value: str, by: User | None, now: datetime
) -> ShownLabels:
    """Set the shown sentiment of a mention (LabelError for an unknown one); idempotent."""
    value = clean_sentiment(value)
    with transaction.atomic():
        Correction.objects.filter(mention=mention, kind="sentiment").exclude(value=value).delete()
        Correction.objects.update_or_create(
            mention=mention,
            kind="sentiment",
            value=value,
            defaults={"workspace_id": mention.workspace_id, "by": by, "at": now},
        )
    return shown_labels_of(mention)


def reset_sentiment(*, mention: Mention) -> ShownLabels:
    """Drop the person's sentiment: the machine's shows again."""
    Correction.objects.filter(mention=mention, kind="sentiment").delete()
    return shown_labels_of(mention)


def set_tag(
    *, mention: Mention, tag: str, present: bool, by: User | None, now: datetime
) -> ShownLabels:
    """Add (present=True) or remove a tag as shown; LabelError for a malformed tag.

    Removing a tag the machine gave is recorded (it teaches the tags model); removing a tag only
    a person had added just deletes that correction.
    """
    tag = clean_tag(tag)
    machine_has = tag in (mention.intents or [])
    with transaction.atomic():
        if present == machine_has:
            Correction.objects.filter(mention=mention, kind="tag", value=tag).delete()
        else:
            Correction.objects.update_or_create(
                mention=mention,
                kind="tag",
                value=tag,
                defaults={
                    "workspace_id": mention.workspace_id,
                    "is_present": present,
                    "by": by,
                    "at": now,
                },
            )
    return shown_labels_of(mention)


def apply_label(
    *,
    mention: Mention,
    kind: str,
    value: str,
    action: str,
    by: User | None,
    now: datetime,
) -> ShownLabels:
    """One entry point for the web and API front doors; LabelError on a bad combination."""
    if kind == "sentiment" and action == "set":
        return correct_sentiment(mention=mention, value=value, by=by, now=now)
    if kind == "sentiment" and action == "reset":
        return reset_sentiment(mention=mention)
    if kind == "tag" and action in ("add", "remove"):
        return set_tag(mention=mention, tag=value, present=action == "add", by=by, now=now)
    raise LabelError(
        gettext(
            "Cannot “%(action)s” a “%(kind)s”: use sentiment set or reset, or tag add or remove."
        )
        % {"action": action[:20], "kind": kind[:20]}
    )


@dataclass(frozen=True)
class NarrativeSighting:
    """One mention placed in a narrative, as the enrichment stage reported it."""

    key: str
    label: str
    representative_id: str
    size: int
    seen_at: datetime


def record_narratives(*, workspace_id: int, sightings: Sequence[NarrativeSighting]) -> int:
    """Upsert the narratives seen in a batch; returns how many were new."""
    latest: dict[str, NarrativeSighting] = {}
    first: dict[str, datetime] = {}
    for s in sightings:
        first[s.key] = min(s.seen_at, first.get(s.key, s.seen_at))
        if s.key not in latest or s.seen_at >= latest[s.key].seen_at:
            latest[s.key] = s
    if not latest:
        return 0
    with transaction.atomic():
        existing = {
            n.key: n
            for n in Narrative.objects.select_for_update().filter(
                workspace_id=workspace_id, key__in=list(latest)
            )
        }
        for key, narrative in existing.items():
            _update_narrative(narrative, latest[key], first[key])
        Narrative.objects.bulk_update(
            existing.values(),
            ["label", "representative_external_id", "size", "first_seen_at", "last_seen_at"],
        )
        fresh = [_new_narrative(workspace_id, s, first[k]) for k, s in latest.items()]
        Narrative.objects.bulk_create([n for n in fresh if n.key not in existing])
    return len(latest) - len(existing)


def _update_narrative(narrative: Narrative, seen: NarrativeSighting, first_at: datetime) -> None:
    narrative.first_seen_at = min(narrative.first_seen_at, first_at)
    if seen.seen_at >= narrative.last_seen_at or not narrative.label:
        narrative.label = seen.label[:300]
    narrative.last_seen_at = max(narrative.last_seen_at, seen.seen_at)
    narrative.representative_external_id = seen.representative_id[:512]
    narrative.size = max(narrative.size, seen.size)


def _new_narrative(workspace_id: int, seen: NarrativeSighting, first_at: datetime) -> Narrative:
    return Narrative(
        workspace_id=workspace_id,
        key=seen.key,
        label=seen.label[:300],
        representative_external_id=seen.representative_id[:512],
        size=seen.size,
        first_seen_at=first_at,
        last_seen_at=seen.seen_at,
    )


def save_enrichment_state(*, workspace_id: int, narratives: dict[str, Any], now: datetime) -> None:
    """Keep the narrative tracker's state (`NarrativeTracker.export_state()`) for a restart."""
    EnrichmentState.objects.update_or_create(
        workspace_id=workspace_id, defaults={"narratives": narratives, "saved_at": now}
    )
