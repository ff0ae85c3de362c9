"""What the enrich stage does with the annotations app after the built-in enrichers ran.

Called by `pipeline.handlers.enrich_batch` on one workspace's payloads (each with its
"enrichment" dict already filled): apply enabled custom models, then record narratives.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from stormwatch.annotations.labels import NO_TAG
from stormwatch.annotations.service import NarrativeSighting, record_narratives
from stormwatch.annotations.training import LoadedModel

if TYPE_CHECKING:
    from stormwatch.enrich.narratives import NarrativeTracker

# A custom tag is added only when the model is this sure; the sentiment model always decides.
TAG_MIN_PROBABILITY = 0.6


def apply_custom_models(models: Sequence[LoadedModel], payloads: Sequence[dict[str, Any]]) -> None:
    """Overwrite sentiment / add a tag per enabled model, recording its version in `enrichers`."""
    texts = [p["mention"].get("text", "") for p in payloads]
    for model in models:
        name, version = model.enricher
        predictions = model.classifier.predict(texts)
        for payload, text, (label, probability) in zip(payloads, texts, predictions, strict=True):
            if not text.strip():
                continue
            enrichment = payload["enrichment"]
            enrichment.setdefault("enrichers", {})[name] = version
            if model.target == "sentiment":
                enrichment["sentiment"] = label
            elif label != NO_TAG and probability >= TAG_MIN_PROBABILITY:
                intents = enrichment.setdefault("intents", [])
                if label not in intents:
                    intents.append(label)


def record_batch_narratives(
    workspace_id: int, payloads: Sequence[dict[str, Any]], tracker: NarrativeTracker | None
) -> int:
    """Upsert the batch's narratives; returns how many were new (so the caller saves state)."""
    sightings = []
    for payload in payloads:
        key = payload["enrichment"].get("narrative")
        if not key:
            continue
        described = _describe(tracker, key)
        sightings.append(
            NarrativeSighting(
                key=key,
                label=payload["enrichment"].get("narrative_label") or described.get("label", ""),
                representative_id=str(described.get("representative_id", payload["mention"]["id"])),
                size=int(described.get("size", 1)),
                seen_at=datetime.fromisoformat(payload["mention"]["created_at"]),
            )
        )
    return record_narratives(workspace_id=workspace_id, sightings=sightings)


def _describe(tracker: NarrativeTracker | None, key: str) -> dict[str, Any]:
    if tracker is None:
        return {}
    try:
        return tracker.describe(key)
    except KeyError:  # evicted from the tracker's memory; a copy still carries its id
        return {}
