"""The work of each pipeline stage, on batches of JSON payloads.

Payload shapes, by subject:
- mentions.received:   {"workspace_id", "item": <canonical mention JSON>, "raw"?: {...}}
- mentions.normalised: {"workspace_id", "mention": <canonical JSON>, "raw": {...}}
- mentions.matched:    ... + "monitor_ids": [int]
- mentions.enriched:   ... + "enrichment": {field: value}
- mentions.stored:     {"workspace_id", "mention_id", "monitor_ids", "created_at", "platform",
                        "sentiment", "sentiment_score", "intents", "reach", "lang", "narrative"}
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from stormwatch.core.errors import InvalidItem
from stormwatch.mentions.canonical import parse_mention
from stormwatch.pipeline.bus import Payload
from stormwatch.pipeline.context import StageContext

# Only for types: the enrichment stack stays off the import path while enrichment is off.
if TYPE_CHECKING:
    from stormwatch.enrich.stage import EnrichInput, Enrichment

_CONTROL = {c: None for c in range(32) if c not in (9, 10, 13)}


def clean_text(text: str) -> str:
    """Drop control characters (PostgreSQL refuses NUL) and surrounding whitespace."""
    return text.translate(_CONTROL).strip()


def normalise_batch(batch: list[Payload]) -> tuple[list[Payload], list[tuple[Payload, str]]]:
    outputs: list[Payload] = []
    rejected: list[tuple[Payload, str]] = []
    for payload in batch:
        item = payload.get("item")
        try:
            mention = parse_mention(item)
        except InvalidItem as exc:
            rejected.append((payload, str(exc)))
            continue
        data = mention.to_json_dict()
        data["text"] = clean_text(mention.text)
        data["title"] = clean_text(mention.title)
        # The raw payload is kept only when it differs from the canonical item (a connector's
        # platform payload); for canonical input the mention itself is the raw form.
        outputs.append(
            {"workspace_id": payload["workspace_id"], "mention": data, "raw": payload.get("raw")}
        )
    return outputs, rejected


def match_batch(ctx: StageContext, batch: list[Payload]) -> list[Payload]:
    from stormwatch.monitors.query import prepare_document

    monitors_by_workspace = {w: ctx.monitors_for(w) for w in {p["workspace_id"] for p in batch}}
    for payload in batch:
        monitors = monitors_by_workspace[payload["workspace_id"]]
        mention = payload["mention"]
        if not monitors:
            payload["monitor_ids"] = []
            continue
        doc = prepare_document(
            mention.get("text", ""),
            lang=mention.get("lang", ""),
            platform=mention.get("platform", ""),
            author_handle=(mention.get("author") or {}).get("handle", ""),
            title=mention.get("title", ""),
        )
        payload["monitor_ids"] = [m.id for m in monitors if m.query.matches(doc)]
    return batch


def enrich_batch(ctx: StageContext, batch: list[Payload]) -> list[Payload]:
    if ctx.enrichment == "off":
        for payload in batch:
            payload["enrichment"] = {}
        return batch

    by_workspace: dict[int, list[Payload]] = defaultdict(list)
    for payload in batch:
        by_workspace[payload["workspace_id"]].append(payload)
    for workspace_id, payloads in by_workspace.items():
        inputs = [_enrich_input(p["mention"]) for p in payloads]
        with ctx.lock:
            results = ctx.enricher_for(workspace_id).enrich(inputs)
        for payload, result in zip(payloads, results, strict=True):
            payload["enrichment"] = _enrichment_fields(result)
        _annotate(ctx, workspace_id, payloads)
    return batch


def _annotate(ctx: StageContext, workspace_id: int, payloads: list[Payload]) -> None:
    """Enabled custom models override the built-ins; narratives are recorded for the UI."""
    from stormwatch.annotations.pipeline import apply_custom_models, record_batch_narratives

    apply_custom_models(ctx.custom_models_for(workspace_id), payloads)
    with ctx.lock:
        tracker = ctx.enricher_for(workspace_id).narratives
        founded = record_batch_narratives(workspace_id, payloads, tracker)
        ctx.note_enriched(workspace_id, founded=founded)


def _enrich_input(mention: dict[str, Any]) -> EnrichInput:
    from stormwatch.enrich.stage import EnrichInput

    author = mention.get("author") or {}
    return EnrichInput(
        id=mention["id"],
        text=mention.get("text", ""),
        lang_hint=mention.get("lang", ""),
        platform=mention.get("platform", ""),
        author_followers=author.get("followers"),
        metrics=mention.get("metrics") or {},
    )


def _enrichment_fields(result: Enrichment) -> dict[str, Any]:
    return {
        "lang": result.lang,
        "lang_confidence": result.lang_confidence,
        "sentiment": result.sentiment,
        "sentiment_score": result.sentiment_score,
        "intents": list(result.intents),
        "emotions": dict(result.emotions),
        "duplicate_of": result.duplicate_of or "",
        "narrative": result.narrative or "",
        "narrative_label": result.narrative_label or "",
        "reach": result.reach,
        "enrichers": dict(result.enrichers),
    }


def store_batch(ctx: StageContext, batch: list[Payload]) -> list[Payload]:
    """Upsert the batch, then mark the brand's own accounts among its authors, so the brand's
    own posts never count in sentiment statistics or detection, whichever door they came in."""
    from stormwatch.mentions.service import upsert_mentions
    from stormwatch.sources.service import mark_own_authors

    by_workspace: dict[int, list[Payload]] = defaultdict(list)
    for payload in batch:
        by_workspace[payload["workspace_id"]].append(payload)
    stored: list[Payload] = []
    now = ctx.clock.now()
    for workspace_id, payloads in by_workspace.items():
        ids = upsert_mentions(workspace_id=workspace_id, payloads=payloads, now=now)
        mark_own_authors(workspace_id=workspace_id)
        stored.extend(_stored_event(p, ids[i]) for i, p in enumerate(payloads))
    return stored


def _stored_event(payload: Payload, mention_id: int) -> Payload:
    mention = payload["mention"]
    enrichment = payload.get("enrichment") or {}
    return {
        "workspace_id": payload["workspace_id"],
        "mention_id": mention_id,
        "monitor_ids": payload.get("monitor_ids", []),
        "created_at": mention["created_at"],
        "platform": mention["platform"],
        "lang": enrichment.get("lang") or mention.get("lang", ""),
        "sentiment": enrichment.get("sentiment", ""),
        "sentiment_score": enrichment.get("sentiment_score"),
        "intents": enrichment.get("intents", []),
        "reach": enrichment.get("reach", 0.0),
        "narrative": enrichment.get("narrative", ""),
    }
