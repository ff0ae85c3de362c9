"""REST API v1. Thin: validation of the envelope here, the work in pipeline.ingest; the
alert routes live in api/alerts.py."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Status

from stormwatch.api.alerts import router as alerts_router
from stormwatch.api.auth import WorkspaceToken, token_of
from stormwatch.api.errors import ApiProblem, install_problem_handler
from stormwatch.api.schemas import ErrorOut, IngestOut, MentionOut
from stormwatch.mentions.queries import MentionFilter, list_mentions
from stormwatch.pipeline.ingest import IngestResult, ingest_items

api = NinjaAPI(title="Stormwatch API", version="1", urls_namespace="api-v1", auth=WorkspaceToken())
install_problem_handler(api)
api.add_router("", alerts_router)

MENTION_SCHEMA = {
    "type": "object",
    "required": ["id", "platform", "text", "created_at"],
    "properties": {
        "id": {"type": "string"},
        "platform": {"type": "string"},
        "text": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "author": {
            "type": "object",
            "properties": {
                "handle": {"type": "string"},
                "name": {"type": "string"},
                "followers": {"type": "integer", "minimum": 0},
            },
        },
        "url": {"type": "string"},
        "lang": {"type": "string"},
        "title": {"type": "string"},
        "parent_id": {"type": "string"},
        "metrics": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
    },
}
INGEST_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"type": "array", "items": MENTION_SCHEMA},
                        {
                            "type": "object",
                            "properties": {
                                "mentions": {
                                    "type": "array",
                                    "items": MENTION_SCHEMA,
                                }
                            },
                            "required": ["mentions"],
                        },
                    ]
                }
            }
        },
    }
}


@api.post(
    "/mentions",
    response={200: IngestOut, 400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: IngestOut},
    summary="Ingest a batch of mentions in the canonical format",
    openapi_extra=INGEST_BODY_DOC,
)
def ingest_mentions(request: HttpRequest) -> Status:
    limit = settings.STORMWATCH_MAX_REQUEST_BYTES
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > limit:
        raise ApiProblem(413, "request body too large", f"{length} bytes; the limit is {limit}")
    if request.content_type != "application/json":
        raise ApiProblem(415, "unsupported content type", "send application/json")
    items, problem = _decode_batch(request.body)
    if problem:
        raise ApiProblem(400, "bad request body", problem)
    if len(items) > settings.STORMWATCH_MAX_BATCH_ITEMS:
        detail = (
            f"{len(items)} items; the limit is {settings.STORMWATCH_MAX_BATCH_ITEMS} per request"
        )
        raise ApiProblem(413, "batch too large", detail)
    result = ingest_items(workspace_id=token_of(request).workspace_id, items=items)
    return Status(200 if result.accepted or not result.failures else 422, _ingest_out(result))


def _decode_batch(body: bytes) -> tuple[list[Any], str]:
    try:
        decoded = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return [], f"body is not valid UTF-8 at byte {exc.start}"
    except json.JSONDecodeError as exc:
        return [], f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
    if isinstance(decoded, dict) and isinstance(decoded.get("mentions"), list):
        return decoded["mentions"], ""
    if isinstance(decoded, list):
        return decoded, ""
    return [], 'expected a JSON array of mentions or an object {"mentions": [...]}'


def _ingest_out(result: IngestResult) -> dict[str, Any]:
    return {
        "accepted": result.accepted,
        "rejected": [
            {
                "index": f.index,
                "id": f.id,
                "errors": [{"field": e.field, "message": e.message} for e in f.errors],
            }
            for f in result.failures
        ],
    }


@api.get("/mentions", response=list[MentionOut], summary="Recent mentions of the token's workspace")
def recent_mentions(request: HttpRequest, limit: int = 50, monitor: int | None = None) -> list[Any]:
    token = token_of(request)
    mentions = list_mentions(
        token.workspace, MentionFilter(monitor_id=monitor), limit=max(1, min(limit, 500))
    )
    return [
        {
            "id": m.pk,
            "platform": m.platform,
            "external_id": m.external_id,
            "url": m.url,
            "text": m.text,
            "lang": m.lang,
            "created_at": m.created_at.isoformat(),
            "author": m.author.handle if m.author else None,
            "sentiment": m.sentiment,
            "sentiment_score": m.sentiment_score,
            "intents": m.intents,
            "reach": m.reach,
            "monitors": [mo.name for mo in m.monitors.all()],
        }
        for m in mentions
    ]
