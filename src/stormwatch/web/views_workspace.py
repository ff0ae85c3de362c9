"""Home, workspace switching, API tokens, health endpoints."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from stormwatch.core.clock import SystemClock
from stormwatch.pipeline.models import PipelineStatus
from stormwatch.web.access import template_context, workspace_view
from stormwatch.workspaces.models import ApiToken, Membership
from stormwatch.workspaces.queries import list_memberships
from stormwatch.workspaces.service import (
    issue_api_token,
    revoke_api_token,
    tokens_with_status,
)

HEARTBEAT_STALE_AFTER = timedelta(seconds=60)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = list_memberships(request.user)
    if len(memberships) == 1:
        return redirect("overview", slug=memberships[0].workspace.slug)
    return render(request, "web/home.html", {"memberships": memberships})


@workspace_view("manage_tokens")
def api_tokens(request: HttpRequest, membership: Membership) -> HttpResponse:
    workspace = membership.workspace
    issued_secret = ""
    if request.method == "POST":
        now = SystemClock().now()
        if "revoke" in request.POST:
            token = ApiToken.objects.filter(workspace=workspace, pk=request.POST["revoke"]).first()
            if token is not None:
                revoke_api_token(token=token, now=now)
        else:
            name = request.POST.get("name", "").strip()[:100] or "API token"
            user = request.user if request.user.is_authenticated else None
            issued_secret = issue_api_token(
                workspace=workspace,
                name=name,
                created_by=user,
                now=now,  # type: ignore[arg-type]
            ).secret
    rows = tokens_with_status(workspace)
    context = template_context(membership, rows=rows, issued_secret=issued_secret)
    return render(request, "web/tokens.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Ready when the database answers and a pipeline has sent a heartbeat recently."""
    checks: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any database failure means not ready; say which
        checks["database"] = f"error: {exc}"
    now = SystemClock().now()
    status = (
        PipelineStatus.objects.order_by("-heartbeat_at").first()
        if checks["database"] == "ok"
        else None
    )
    if status is None:
        checks["pipeline"] = "not running"
    else:
        age = now - status.heartbeat_at
        checks["pipeline"] = (
            "ok" if age <= HEARTBEAT_STALE_AFTER else f"stale for {int(age.total_seconds())}s"
        )
        checks["pipeline_lag_seconds"] = round(status.lag_seconds, 1)
        checks["processed"] = status.processed
    ready = checks["database"] == "ok" and checks["pipeline"] == "ok"
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )
