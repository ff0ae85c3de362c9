"""Reads: labels as shown (machine overlaid with corrections), narratives, saved state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDay
from django.http import Http404

from stormwatch.annotations.labels import STANDARD_TAGS, ShownLabels, TagCorrection, combine_labels
from stormwatch.annotations.models import Correction, EnrichmentState, Narrative
from stormwatch.mentions.models import Mention
from stormwatch.workspaces.models import Workspace


def shown_labels_for(mentions: Sequence[Mention]) -> dict[int, ShownLabels]:
    """Shown labels of each mention by its id, in two queries."""
    sentiments: dict[int, str] = {}
    tags: dict[int, list[TagCorrection]] = defaultdict(list)
    rows = Correction.objects.filter(mention__in=[m.pk for m in mentions]).values_list(
        "mention_id", "kind", "value", "is_present"
    )
    keys = {m.narrative for m in mentions if m.narrative}
    labels = (
        dict(
            Narrative.objects.filter(
                key__in=keys, workspace__in={m.workspace_id for m in mentions}
            ).values_list("key", "label")
        )
        if keys
        else {}
    )
    for mention_id, kind, value, is_present in rows:
        if kind == "sentiment":
            sentiments[mention_id] = value
        else:
            tags[mention_id].append(TagCorrection(value, is_present))
    return {
        m.pk: combine_labels(
            m.sentiment,
            m.intents or [],
            sentiment=sentiments.get(m.pk),
            tags=tags[m.pk],
            narrative=m.narrative,
            narrative_label=labels.get(m.narrative, ""),
        )
        for m in mentions
    }


def shown_labels_of(mention: Mention) -> ShownLabels:
    return shown_labels_for([mention])[mention.pk]


def shown_sentiment(mention_ref: str = "pk", machine_field: str = "sentiment") -> Any:
    """An expression for the sentiment as shown: the correction if any, else the machine's."""
    corrected = Correction.objects.filter(mention=OuterRef(mention_ref), kind="sentiment")
    return Coalesce(Subquery(corrected.values("value")[:1]), F(machine_field))


def has_tag(tag: str) -> Q:
    """Mentions showing `tag`: given by the machine and not removed, or added by a person."""
    corrections = Correction.objects.filter(mention=OuterRef("pk"), kind="tag", value=tag)
    # JSON lists are stored as text with quoted items on SQLite and PostgreSQL alike.
    machine = Q(intents__icontains=f'"{tag}"') & ~Exists(corrections.filter(is_present=False))
    return machine | Exists(corrections.filter(is_present=True))


def find_enrichment_state(workspace_id: int) -> dict[str, Any] | None:
    row = EnrichmentState.objects.filter(workspace_id=workspace_id).values("narratives").first()
    return row["narratives"] if row and row["narratives"] else None


@dataclass(frozen=True)
class NarrativeSummary:
    narrative: Narrative
    mentions: int
    representative: Mention | None
    daily: list[tuple[datetime, int]]  # mentions per day, first to last seen, gaps filled


def list_narratives(workspace: Workspace, *, limit: int = 50) -> list[NarrativeSummary]:
    """Most recently active narratives with mention counts, representative and daily volume."""
    narratives = list(
        Narrative.objects.filter(workspace=workspace).order_by("-last_seen_at", "-pk")[:limit]
    )
    keys = [n.key for n in narratives]
    mentions = Mention.objects.filter(workspace=workspace, narrative__in=keys)
    counts = dict(mentions.values_list("narrative").annotate(n=Count("pk")))
    daily: dict[str, dict[datetime, int]] = defaultdict(dict)
    for row in (
        mentions.annotate(day=TruncDay("created_at"))
        .values("narrative", "day")
        .annotate(n=Count("pk"))
    ):
        daily[row["narrative"]][row["day"]] = row["n"]
    representatives = _representatives(workspace, narratives)
    return [
        NarrativeSummary(
            narrative=n,
            mentions=counts.get(n.key, 0),
            representative=representatives.get(n.representative_external_id),
            daily=_fill_days(daily[n.key]),
        )
        for n in narratives
    ]


def get_narrative(workspace: Workspace, key: str) -> Narrative:
    narrative = Narrative.objects.filter(workspace=workspace, key=key).first()
    if narrative is None:
        raise Http404("no such narrative")
    return narrative


def find_narrative(workspace: Workspace, key: str) -> Narrative | None:
    return Narrative.objects.filter(workspace=workspace, key=key).first() if key else None


def count_copies(mention: Mention) -> int:
    """How many other mentions of the workspace were found to copy this one."""
    return Mention.objects.filter(
        workspace_id=mention.workspace_id, duplicate_of=mention.external_id
    ).count()


def find_original(mention: Mention) -> Mention | None:
    if not mention.duplicate_of:
        return None
    return Mention.objects.filter(
        workspace_id=mention.workspace_id, external_id=mention.duplicate_of
    ).first()


def _representatives(workspace: Workspace, narratives: list[Narrative]) -> dict[str, Mention]:
    ids = {n.representative_external_id for n in narratives if n.representative_external_id}
    found = Mention.objects.filter(workspace=workspace, external_id__in=ids)
    return {m.external_id: m for m in found}


def _fill_days(counts: dict[datetime, int]) -> list[tuple[datetime, int]]:
    if not counts:
        return []
    day, last = min(counts), max(counts)
    out: list[tuple[datetime, int]] = []
    while day <= last and len(out) < 366:
        out.append((day, counts.get(day, 0)))
        day += timedelta(days=1)
    return out


def list_tags(workspace: Workspace) -> list[str]:
    """Tags a person can filter by: the standard ones, then the workspace's own."""
    own = (
        Correction.objects.filter(workspace=workspace, kind="tag", is_present=True)
        .exclude(value__in=STANDARD_TAGS)
        .values_list("value", flat=True)
        .distinct()
    )
    return [*STANDARD_TAGS, *sorted(own)]


def list_narrative_choices(workspace: Workspace, *, limit: int = 100) -> list[tuple[str, str]]:
    """(key, label) of the most recently active narratives, for a filter menu."""
    rows = Narrative.objects.filter(workspace=workspace).order_by("-last_seen_at", "-pk")
    return [(key, label or key) for key, label in rows.values_list("key", "label")[:limit]]


def narrative_labels(workspace_id: int, keys: Iterable[str]) -> dict[str, str]:
    """Tracker id -> readable label for the workspace's stored narratives that have one."""
    rows = Narrative.objects.filter(workspace_id=workspace_id, key__in=set(keys)).exclude(label="")
    return dict(rows.values_list("key", "label"))
