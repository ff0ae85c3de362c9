"""Request-level tenancy: resolve the workspace from the URL and check the member's role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from stormwatch.workspaces.models import Membership
from stormwatch.workspaces.queries import get_membership
from stormwatch.workspaces.roles import Permission, has_permission

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, Membership, P], HttpResponse]


def workspace_view(
    permission: Permission = "view",
) -> Callable[[View[P]], Callable[Concatenate[HttpRequest, str, P], HttpResponse]]:
    """Decorate a view taking (request, membership, ...): outsiders get 404, weak roles 403."""

    def decorate(view: View[P]) -> Callable[Concatenate[HttpRequest, str, P], HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            membership = get_membership(request.user, slug)
            if not has_permission(membership.role, permission):
                raise PermissionDenied(f"your role ({membership.role}) cannot do this")
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, membership, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def can(membership: Membership, permission: Permission) -> bool:
    return has_permission(membership.role, permission)


def template_context(membership: Membership, **extra: Any) -> dict[str, Any]:
    return {"membership": membership, "workspace": membership.workspace, **extra}
