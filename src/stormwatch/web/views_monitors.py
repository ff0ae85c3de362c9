"""Monitor pages: list, create, edit with a live preview, delete."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stormwatch.core.clock import SystemClock
from stormwatch.monitors.models import MonitorKind
from stormwatch.monitors.preview import preview_query
from stormwatch.monitors.queries import get_monitor, list_monitors
from stormwatch.monitors.service import (
    MonitorError,
    MonitorInput,
    create_monitor,
    delete_monitor,
    update_monitor,
)
from stormwatch.web.access import can, template_context, workspace_view
from stormwatch.workspaces.models import Membership


def _input_from(request: HttpRequest) -> MonitorInput:
    post = request.POST
    return MonitorInput(
        name=post.get("name", "")[:120],
        query=post.get("query", "")[:4000],
        kind=post.get("kind", MonitorKind.BRAND),
        fold_diacritics=post.get("fold_diacritics") == "on",
        lemmas=post.get("lemmas") == "on",
        is_active=post.get("is_active", "on") == "on",
    )


@workspace_view()
def monitor_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    context = template_context(
        membership,
        monitors=list_monitors(membership.workspace),
        can_edit=can(membership, "edit_monitors"),
    )
    return render(request, "web/monitors.html", context)


@workspace_view("edit_monitors")
def monitor_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _monitor_form(request, membership, monitor_id=None)


@workspace_view("edit_monitors")
def monitor_edit(request: HttpRequest, membership: Membership, monitor_id: int) -> HttpResponse:
    return _monitor_form(request, membership, monitor_id=monitor_id)


def _monitor_form(
    request: HttpRequest, membership: Membership, *, monitor_id: int | None
) -> HttpResponse:
    workspace = membership.workspace
    monitor = get_monitor(workspace, monitor_id) if monitor_id else None
    error: MonitorError | None = None
    if request.method == "POST":
        data = _input_from(request)
        now = SystemClock().now()
        try:
            if monitor is None:
                create_monitor(workspace=workspace, data=data, now=now)
            else:
                update_monitor(monitor=monitor, data=data, now=now)
        except MonitorError as exc:
            error = exc
        else:
            return redirect("monitor-list", slug=workspace.slug)
        values = data
    else:
        values = MonitorInput(
            name=monitor.name if monitor else "",
            query=monitor.query if monitor else "",
            kind=monitor.kind if monitor else MonitorKind.BRAND,
            fold_diacritics=monitor.fold_diacritics if monitor else True,
            lemmas=monitor.lemmas if monitor else False,
            is_active=monitor.is_active if monitor else True,
        )
    context = template_context(
        membership, monitor=monitor, values=values, error=error, kinds=MonitorKind.choices
    )
    return render(request, "web/monitor_form.html", context, status=400 if error else 200)


@workspace_view("edit_monitors")
def monitor_delete(request: HttpRequest, membership: Membership, monitor_id: int) -> HttpResponse:
    monitor = get_monitor(membership.workspace, monitor_id)
    if request.method == "POST":
        delete_monitor(monitor=monitor)
    return redirect("monitor-list", slug=membership.workspace.slug)


@workspace_view()
def monitor_preview(request: HttpRequest, membership: Membership) -> HttpResponse:
    """htmx partial: how many recent mentions the query being typed matches, with examples."""
    source = request.POST if request.method == "POST" else request.GET
    preview = preview_query(
        membership.workspace,
        source.get("query", "")[:4000],
        fold_diacritics=source.get("fold_diacritics") == "on",
        lemmas=source.get("lemmas") == "on",
        since=SystemClock().now() - timedelta(days=30),
    )
    return render(
        request, "web/_monitor_preview.html", template_context(membership, preview=preview)
    )
