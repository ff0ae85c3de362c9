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
    """Return the active token for this secret, or None. Compares digests, not secrets."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("workspace")
        .filter(digest=digest_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
