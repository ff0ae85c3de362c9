"""REST: POST /api/v1/mentions/{id}/labels, a person's correction through a workspace token.

Registered on the shared `api` object when this module is imported (see `apps.ready`). The token's
workspace is the tenancy boundary: a mention of another workspace answers 404. The correction is
attributed to the person who created the token.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Schema, Status

from stormwatch.annotations.labels import LabelError, ShownLabels
from stormwatch.annotations.service import apply_label
from stormwatch.api.auth import token_of
from stormwatch.api.errors import ApiProblem
from stormwatch.api.schemas import ErrorOut
from stormwatch.api.views import api
from stormwatch.core.clock import SystemClock
from stormwatch.mentions.models import Mention


class LabelIn(Schema):
    kind: Literal["sentiment", "tag"]
    action: Literal["set", "reset", "add", "remove"]
    value: str = ""


class LabelsOut(Schema):
    id: int
    sentiment: str
    machine_sentiment: str
    tags: list[str]
    machine_tags: list[str]
    corrected: bool


@api.post(
    "/mentions/{mention_id}/labels",
    response={200: LabelsOut, 404: ErrorOut, 422: ErrorOut},
    summary="Correct a mention's sentiment, or add or remove a tag",
)
def correct_mention_labels(request: HttpRequest, mention_id: int, body: LabelIn) -> Status:
    token = token_of(request)
    mention = Mention.objects.filter(workspace_id=token.workspace_id, pk=mention_id).first()
    if mention is None:
        raise ApiProblem(404, "no such mention", f"id {mention_id}")
    try:
        labels = apply_label(
            mention=mention,
            kind=body.kind,
            value=body.value[:64],
            action=body.action,
            by=token.created_by,
            now=SystemClock().now(),
        )
    except LabelError as exc:
        raise ApiProblem(422, "invalid label", str(exc)) from exc
    return Status(200, _labels_out(mention.pk, labels))


def _labels_out(mention_id: int, labels: ShownLabels) -> dict[str, object]:
    return {
        "id": mention_id,
        "sentiment": labels.sentiment,
        "machine_sentiment": labels.machine_sentiment,
        "tags": list(labels.tags),
        "machine_tags": list(labels.machine_tags),
        "corrected": labels.is_corrected,
    }
