"""REST: /api/v1/sources, listing, adding, testing, changing and deleting the token's sources.

Registered on the shared `api` object when this module is imported (see `apps.ready`). The token's
workspace is the tenancy boundary: a source of another workspace answers 404. Tokens are issued
only by people who may manage the workspace, so a token may manage its sources. Configs go out
through `public_config` (every secret masked); a secret sent empty or masked keeps its stored
value (`update_source`). Bad input answers 422 with one `{field, message}` per problem.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field, SecretStr

from stormwatch.api.auth import token_of
from stormwatch.api.errors import ApiProblem
from stormwatch.api.schemas import ErrorOut, FieldErrorOut
from stormwatch.api.views import api
from stormwatch.core.clock import SystemClock
from stormwatch.core.errors import StormwatchError
from stormwatch.sources.kinds import decrypt_stored
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.queries import SourceHealth, find_source, list_source_health
from stormwatch.sources.secrets import SecretDecryptionError
from stormwatch.sources.service import (
    SourceInputError,
    add_source,
    delete_source,
    disable_source,
    enable_source,
    public_config,
    test_source_config,
    update_source,
)


class SourceOut(Schema):
    id: int
    kind: str
    label: str
    name: str
    enabled: bool
    status: str
    last_success_at: str | None
    last_error: str
    consecutive_failures: int
    mentions_last_24h: int
    config: dict[str, Any]


class SourceIn(Schema):
    kind: str
    name: str
    config: dict[str, Any] = Field(default_factory=dict)


class SourceChange(Schema):
    name: str | None = None
    enabled: bool | None = None
    config: dict[str, Any] | None = None


class InputErrorOut(Schema):
    error: str
    errors: list[FieldErrorOut]


class TestItemOut(Schema):
    id: str
    text: str
    created_at: str
    author: str | None
    url: str


class TestOut(Schema):
    items: list[TestItemOut]


@api.get("/sources", response=list[SourceOut], summary="The workspace's sources with health")
def list_sources(request: HttpRequest) -> list[dict[str, Any]]:
    workspace = token_of(request).workspace
    configs = {s.pk: s for s in SourceConfig.objects.filter(workspace=workspace)}
    health = list_source_health(workspace, SystemClock().now())
    return [_source_out(h, configs[h.source_id]) for h in health]


@api.post(
    "/sources",
    response={201: SourceOut, 422: InputErrorOut},
    summary="Add a source (the config is validated by the kind's model)",
)
def create_source(request: HttpRequest, body: SourceIn) -> Status:
    workspace = token_of(request).workspace
    try:
        source = add_source(
            workspace=workspace,
            kind=body.kind,
            name=body.name[:120],
            config=body.config,
            now=SystemClock().now(),
        )
    except SourceInputError as exc:
        return _input_error(exc)
    return Status(201, _one(source))


@api.post(
    "/sources/{source_id}/test",
    response={200: TestOut, 404: ErrorOut, 502: ErrorOut},
    summary="Fetch a few items with the stored config; nothing is stored",
)
def test_stored_source(request: HttpRequest, source_id: int) -> Status:
    source = find_source(token_of(request).workspace, source_id)
    if source is None:
        raise _not_found(source_id)
    try:
        config = _revealed_config(source)
        mentions = test_source_config(kind=source.kind, config=config, clock=SystemClock())
    except SecretDecryptionError as exc:
        raise ApiProblem(502, "stored secret unreadable", str(exc)) from exc
    except Exception as exc:  # the platform's own message, whatever the client raised
        raise ApiProblem(502, "test fetch failed", _safe_message(exc, source)) from exc
    items = [
        {
            "id": m.id,
            "text": m.text,
            "created_at": m.created_at.isoformat(),
            "author": m.author.handle if m.author else None,
            "url": m.url,
        }
        for m in mentions
    ]
    return Status(200, {"items": items})


test_stored_source.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


@api.patch(
    "/sources/{source_id}",
    response={200: SourceOut, 404: ErrorOut, 422: InputErrorOut},
    summary="Rename, enable or disable, or change the config of a source",
)
def change_source(request: HttpRequest, source_id: int, body: SourceChange) -> Status:
    source = find_source(token_of(request).workspace, source_id)
    if source is None:
        raise _not_found(source_id)
    try:
        if body.name is not None or body.config is not None:
            config = body.config if body.config is not None else public_config(source)
            update_source(source=source, name=(body.name or "")[:120], config=config)
    except SourceInputError as exc:
        return _input_error(exc)
    if body.enabled is True:
        enable_source(source=source)
    elif body.enabled is False:
        disable_source(source=source)
    return Status(200, _one(source))


@api.delete(
    "/sources/{source_id}",
    response={204: None, 404: ErrorOut},
    summary="Delete a source; its mentions stay",
)
def remove_source(request: HttpRequest, source_id: int) -> Status:
    source = find_source(token_of(request).workspace, source_id)
    if source is None:
        raise _not_found(source_id)
    delete_source(source=source)
    return Status(204, None)


def _one(source: SourceConfig) -> dict[str, Any]:
    health = list_source_health(source.workspace, SystemClock().now())
    return _source_out(next(h for h in health if h.source_id == source.pk), source)


def _source_out(health: SourceHealth, source: SourceConfig) -> dict[str, Any]:
    return {
        "id": health.source_id,
        "kind": health.kind,
        "label": health.label,
        "name": health.name,
        "enabled": health.is_enabled,
        "status": health.status,
        "last_success_at": health.last_success_at.isoformat() if health.last_success_at else None,
        "last_error": health.last_error,
        "consecutive_failures": health.consecutive_failures,
        "mentions_last_24h": health.mentions_last_24h,
        "config": public_config(source),
    }


def _revealed_config(source: SourceConfig) -> dict[str, Any]:
    """The stored config as plain values for validation again (secrets decrypted, in memory)."""
    typed = decrypt_stored(source.kind, source.config)
    data = typed.model_dump()
    return {k: v.get_secret_value() if isinstance(v, SecretStr) else v for k, v in data.items()}


def _safe_message(exc: Exception, source: SourceConfig) -> str:
    """The error text with any stored secret blanked (a client may echo a bad token)."""
    message = f"{type(exc).__name__}: {exc}" if not isinstance(exc, StormwatchError) else str(exc)
    try:
        typed = decrypt_stored(source.kind, source.config)
    except (SecretDecryptionError, ValueError, KeyError):
        return message
    for value in typed.model_dump().values():
        if isinstance(value, SecretStr) and value.get_secret_value():
            message = message.replace(value.get_secret_value(), "**********")
    return message


def _input_error(exc: SourceInputError) -> Status:
    errors = [{"field": e.field, "message": e.message} for e in exc.errors]
    return Status(422, {"error": "invalid source", "errors": errors})


def _not_found(source_id: int) -> ApiProblem:
    return ApiProblem(404, "no such source", f"id {source_id}")
