from __future__ import annotations

from django.http import HttpRequest

from stormwatch.workspaces.queries import list_memberships


def navigation(request: HttpRequest) -> dict[str, object]:
    """The workspaces the signed-in person can switch to, for the header on every page."""
    return {"nav_memberships": list_memberships(request.user) if hasattr(request, "user") else []}
