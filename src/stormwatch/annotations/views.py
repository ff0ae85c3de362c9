"""Pages of the annotations app: one-click corrections, narratives, "Teach Stormwatch".

Thin: writes go through service.py / training.py, reads through queries.py.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from stormwatch.annotations.charts import narrative_volume_figure
from stormwatch.annotations.labels import SENTIMENTS, TARGETS, LabelError
from stormwatch.annotations.models import CustomModel
from stormwatch.annotations.queries import list_narratives, shown_labels_of
from stormwatch.annotations.service import apply_label
from stormwatch.annotations.training import (
    MIN_EXAMPLES_PER_LABEL,
    NotEnoughExamples,
    count_examples,
    find_latest_model,
    switch_model,
    train_workspace_model,
)
from stormwatch.core.clock import SystemClock
from stormwatch.mentions.queries import get_mention
from stormwatch.web.access import template_context, workspace_view
from stormwatch.workspaces.models import Membership
from stormwatch.workspaces.roles import Permission

# Training changes what the pipeline writes for everyone: analysts and up (not responders).
TEACH_PERMISSION: Permission = "edit_monitors"


@require_POST
@workspace_view("correct_labels")
def mention_labels(request: HttpRequest, membership: Membership, mention_id: int) -> HttpResponse:
    """htmx: apply one correction and answer the mention's labels fragment."""
    mention = get_mention(membership.workspace, mention_id)
    post = request.POST
    error = ""
    try:
        labels = apply_label(
            mention=mention,
            kind=post.get("kind", ""),
            value=post.get("value", "")[:64],
            action=post.get("action", ""),
            by=request.user,  # type: ignore[arg-type]  # login_required: never anonymous
            now=SystemClock().now(),
        )
    except LabelError as exc:
        error, labels = str(exc), shown_labels_of(mention)
    context = template_context(
        membership,
        m=mention,
        labels=labels,
        can_correct=True,
        detail=post.get("detail") == "1",
        error=error,
    )
    return render(request, "annotations/_labels.html", context)


@workspace_view()
def narrative_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    summaries = list_narratives(membership.workspace)
    rows = [
        {"summary": s, "figure": json.dumps(narrative_volume_figure(s.daily))} for s in summaries
    ]
    return render(request, "annotations/narratives.html", template_context(membership, rows=rows))


@workspace_view(TEACH_PERMISSION)
def teach(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _teach_page(request, membership)


@require_POST
@workspace_view(TEACH_PERMISSION)
def teach_train(request: HttpRequest, membership: Membership, target: str) -> HttpResponse:
    if target not in TARGETS:
        return _teach_page(request, membership, status=404)
    try:
        model = train_workspace_model(
            workspace=membership.workspace,
            target=target,
            now=SystemClock().now(),
            by=request.user,  # type: ignore[arg-type]
        )
    except NotEnoughExamples:
        return _teach_page(request, membership, refused=target, status=400)
    return _teach_page(request, membership, trained=model)


@require_POST
@workspace_view(TEACH_PERMISSION)
def teach_switch(request: HttpRequest, membership: Membership, model_id: int) -> HttpResponse:
    model = CustomModel.objects.filter(workspace=membership.workspace, pk=model_id).first()
    if model is None:
        return _teach_page(request, membership, status=404)
    switch_model(model=model, enabled=request.POST.get("enabled") == "1")
    return _teach_page(request, membership)


def _teach_page(
    request: HttpRequest,
    membership: Membership,
    *,
    trained: CustomModel | None = None,
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    workspace = membership.workspace
    targets = [
        {
            "name": target,
            "counts": [
                (label, n, max(0, MIN_EXAMPLES_PER_LABEL - n))
                for label, n in count_examples(workspace, target).items()
            ],
            "model": find_latest_model(workspace, target),
            "refused": refused == target,
        }
        for target in TARGETS
    ]
    context = template_context(
        membership,
        targets=targets,
        trained=trained,
        minimum=MIN_EXAMPLES_PER_LABEL,
        sentiments=SENTIMENTS,
    )
    return render(request, "annotations/teach.html", context, status=status)
