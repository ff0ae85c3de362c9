"""Every state change of workspaces, members and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify

from stormwatch.core.errors import StormwatchError
from stormwatch.workspaces.models import ApiToken, Membership, Role, Workspace
from stormwatch.workspaces.roles import has_permission

TOKEN_PREFIX = "swt_"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the person once, never stored


def create_workspace(
    *, name: str, owner: User, now: datetime, expected_langs: list[str] | None = None
) -> Workspace:
    base = slugify(name)[:50] or "workspace"
    slug = base
    suffix = 2
    while Workspace.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    with transaction.atomic():
        workspace = Workspace.objects.create(
            name=name, slug=slug, expected_langs=expected_langs or ["pl", "en"], created_at=now
        )
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER, created_at=now)
    return workspace


def add_member(*, workspace: Workspace, user: User, role: str, now: datetime) -> Membership:
    if role not in Role.values:
        raise StormwatchError(f"unknown role {role!r}; use one of {', '.join(Role.values)}")
    membership, _ = Membership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"role": role, "created_at": now}
    )
    return membership


def digest_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_token(
    *, workspace: Workspace, name: str, created_by: User | None, now: datetime
) -> IssuedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        workspace=workspace,
        name=name,
        prefix=secret[:12],
        digest=digest_token(secret),
        created_by=created_by,
        created_at=now,
    )
    return IssuedToken(token=token, secret=secret)


def revoke_api_token(*, token: ApiToken, now: datetime) -> None:
    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])


def authenticate_token(secret: str, *, now: datetime) -> ApiToken | None:
    """Return the active token for this secret, or None. Compares digests, not secrets.

    A token acts with its issuer's authority, so it stops working (without being revoked)
    while its issuer cannot manage the workspace's tokens: removed from the workspace, moved
    to a weaker role, deactivated or deleted. It works again if that authority comes back.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("workspace", "created_by")
        .filter(digest=digest_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not issuer_may_use(token):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def issuer_may_use(token: ApiToken) -> bool:
    """True while the token's issuer is an active user allowed to manage its workspace's tokens."""
    if token.created_by_id is None:
        return False
    return _issuer_may_use(token, _roles(token.workspace_id, token.created_by_id))


def tokens_with_status(workspace: Workspace) -> list[tuple[ApiToken, bool]]:
    """The workspace's tokens, newest first, each with `issuer_may_use` (one roles query)."""
    tokens = list(
        ApiToken.objects.filter(workspace=workspace)
        .select_related("created_by")
        .order_by("-created_at")
    )
    roles = _roles(workspace.pk, None)
    return [(token, _issuer_may_use(token, roles)) for token in tokens]


def _roles(workspace_id: int, user_id: int | None) -> dict[int, str]:
    """Member id -> role in the workspace (only `user_id`'s, when given)."""
    members = Membership.objects.filter(workspace_id=workspace_id)
    if user_id is not None:
        members = members.filter(user_id=user_id)
    return dict(members.values_list("user_id", "role"))


def _issuer_may_use(token: ApiToken, roles: dict[int, str]) -> bool:
    issuer = token.created_by
    if issuer is None or not issuer.is_active or issuer.pk not in roles:
        return False
    return has_permission(roles[issuer.pk], "manage_tokens")
