"""Reads for tenancy. Everything a request sees is scoped through these."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from stormwatch.workspaces.models import Membership, Workspace


def list_memberships(user: AbstractBaseUser | AnonymousUser) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user_id=user.pk)
        .select_related("workspace")
        .order_by("workspace__name")
    )


def get_membership(user: AbstractBaseUser | AnonymousUser, slug: str) -> Membership:
    """The user's membership of the workspace `slug`; an outsider gets 404, never a hint."""
    if not user.is_authenticated:
        raise Http404("no such workspace")
    membership = (
        Membership.objects.filter(user_id=user.pk, workspace__slug=slug)
        .select_related("workspace")
        .first()
    )
    if membership is None:
        raise Http404("no such workspace")
    return membership


def find_workspace(slug: str) -> Workspace | None:
    return Workspace.objects.filter(slug=slug).first()
