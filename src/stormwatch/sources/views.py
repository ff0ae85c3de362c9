"""Source pages: list with health, add (form built from the kind's config model), test without
storing, enable/disable, delete, and the brand's own accounts. Thin: logic is in service.py
and queries.py. Only roles with `manage_sources` change anything or run a test fetch (a test
makes outbound requests with the credentials typed in)."""

from __future__ import annotations

from contextlib import suppress

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stormwatch.core.clock import SystemClock
from stormwatch.core.errors import FieldError
from stormwatch.sources.config_form import config_from_form, describe_config, form_values
from stormwatch.sources.kinds import KindInfo, find_kind, list_kinds
from stormwatch.sources.models import SourceConfig
from stormwatch.sources.queries import (
    find_own_account,
    find_source,
    list_own_accounts,
    list_source_health,
)
from stormwatch.sources.secrets import MASK
from stormwatch.sources.service import (
    SourceInputError,
    add_own_account,
    add_source,
    delete_source,
    disable_source,
    enable_source,
    public_config,
    remove_own_account,
    test_source_config,
    update_source,
)
from stormwatch.web.access import can, template_context, workspace_view
from stormwatch.workspaces.models import Membership


@workspace_view()
def source_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    workspace = membership.workspace
    context = template_context(
        membership,
        sources=list_source_health(workspace, SystemClock().now()),
        own_accounts=list_own_accounts(workspace),
        can_manage=can(membership, "manage_sources"),
    )
    return render(request, "sources/list.html", context)


@workspace_view("manage_sources")
def source_kinds(request: HttpRequest, membership: Membership) -> HttpResponse:
    return render(request, "sources/kinds.html", template_context(membership, kinds=list_kinds()))


@workspace_view("manage_sources")
def source_new(request: HttpRequest, membership: Membership, kind: str) -> HttpResponse:
    info = _kind_or_404(kind)
    errors: list[FieldError] = []
    values: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        try:
            config = config_from_form(info.config, request.POST, missing_is_false=True)
            add_source(
                workspace=membership.workspace,
                kind=kind,
                name=request.POST.get("name", "")[:120],
                config=config,
                now=SystemClock().now(),
            )
        except SourceInputError as exc:
            errors = exc.errors
        else:
            return redirect("source-list", slug=membership.workspace.slug)
    context = template_context(
        membership, info=info, fields=_form_fields(info, values), values=values, errors=errors
    )
    return render(request, "sources/form.html", context, status=400 if errors else 200)


@workspace_view("manage_sources")
def source_edit(request: HttpRequest, membership: Membership, source_id: int) -> HttpResponse:
    """The add form prefilled with the stored config, secrets masked; a secret left empty or
    masked keeps its stored value (`update_source`)."""
    source = _source_or_404(membership, source_id)
    info = _kind_or_404(source.kind)
    errors: list[FieldError] = []
    values = {"name": source.name, **form_values(info.config, public_config(source))}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        try:
            config = config_from_form(info.config, request.POST, missing_is_false=True)
            update_source(source=source, name=request.POST.get("name", "")[:120], config=config)
        except SourceInputError as exc:
            errors = exc.errors
        else:
            return redirect("source-list", slug=membership.workspace.slug)
    context = template_context(
        membership,
        info=info,
        source=source,
        fields=_form_fields(info, values),
        values=values,
        errors=errors,
    )
    return render(request, "sources/form.html", context, status=400 if errors else 200)


@require_POST
@workspace_view("manage_sources")
def source_test(request: HttpRequest, membership: Membership, kind: str) -> HttpResponse:
    """htmx partial: a few items fetched with the form's config, or what went wrong."""
    info = _kind_or_404(kind)
    errors: list[str] = []
    mentions = []
    try:
        config = config_from_form(info.config, request.POST, missing_is_false=True)
        mentions = test_source_config(kind=kind, config=config, clock=SystemClock())
    except SourceInputError as exc:
        errors = [str(e) for e in exc.errors]
    except Exception as exc:  # show the platform's own message, whatever the client raised
        errors = [f"{type(exc).__name__}: {exc}"]
    context = template_context(membership, mentions=mentions, errors=errors)
    return render(request, "sources/_test_result.html", context)


@require_POST
@workspace_view("manage_sources")
def source_switch(request: HttpRequest, membership: Membership, source_id: int) -> HttpResponse:
    source = _source_or_404(membership, source_id)
    if request.POST.get("enabled") == "1":
        enable_source(source=source)
    else:
        disable_source(source=source)
    return redirect("source-list", slug=membership.workspace.slug)


@require_POST
@workspace_view("manage_sources")
def source_delete(request: HttpRequest, membership: Membership, source_id: int) -> HttpResponse:
    delete_source(source=_source_or_404(membership, source_id))
    return redirect("source-list", slug=membership.workspace.slug)


@require_POST
@workspace_view("manage_sources")
def own_account_add(request: HttpRequest, membership: Membership) -> HttpResponse:
    # An empty handle adds nothing; the list shows what is there.
    with suppress(SourceInputError):
        add_own_account(
            workspace=membership.workspace,
            platform=request.POST.get("platform", "")[:64],
            handle=request.POST.get("handle", "")[:256],
            now=SystemClock().now(),
        )
    return redirect("source-list", slug=membership.workspace.slug)


@require_POST
@workspace_view("manage_sources")
def own_account_delete(
    request: HttpRequest, membership: Membership, account_id: int
) -> HttpResponse:
    account = find_own_account(membership.workspace, account_id)
    if account is None:
        raise Http404("no such account")
    remove_own_account(account=account)
    return redirect("source-list", slug=membership.workspace.slug)


def _kind_or_404(kind: str) -> KindInfo:
    info = find_kind(kind)
    if info is None:
        raise Http404("no such source kind")
    return info


def _source_or_404(membership: Membership, source_id: int) -> SourceConfig:
    source = find_source(membership.workspace, source_id)
    if source is None:
        raise Http404("no such source")
    return source


def _form_fields(info: KindInfo, values: dict[str, str]) -> list[dict[str, object]]:
    """Field specs with the value to show: what was typed, else the default; never a secret
    (a password input shows at most the mask, which stands for "keep the stored one")."""
    shown = []
    for spec in describe_config(info.config):
        value = values.get(spec.name, spec.default) if values else spec.default
        if spec.widget == "checkbox" and values:
            value = "on" if values.get(spec.name) else ""
        if spec.widget == "password" and value != MASK:
            value = ""
        shown.append({"spec": spec, "value": value})
    return shown
