"""Bearer-token authentication for the REST API: a token belongs to exactly one workspace."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from stormwatch.core.clock import SystemClock
from stormwatch.workspaces.models import ApiToken
from stormwatch.workspaces.service import authenticate_token


class WorkspaceToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate_token(token, now=SystemClock().now())
