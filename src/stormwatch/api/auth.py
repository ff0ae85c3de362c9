"""Bearer-token authentication for the REST API: a token belongs to exactly one workspace."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from stormwatch.core.clock import SystemClock
from stormwatch.workspaces.models import ApiToken
from stormwatch.workspaces.service import authenticate_token


def token_of(request: HttpRequest) -> ApiToken:
    """The token a route was authenticated with (every route requires one)."""
    token = request.auth  # type: ignore[attr-defined]
    assert isinstance(token, ApiToken)
    return token


class WorkspaceToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate_token(token, now=SystemClock().now())
