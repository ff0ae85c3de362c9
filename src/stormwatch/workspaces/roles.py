"""What each role may do: a literal table, so a permission check is a lookup, not a guess."""

from __future__ import annotations

from typing import Literal

Permission = Literal[
    "view",
    "edit_monitors",
    "import_mentions",
    "correct_labels",
    "manage_members",
    "manage_tokens",
    "manage_workspace",
    "manage_sources",
]

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "owner": frozenset(
        {
            "view",
            "edit_monitors",
            "import_mentions",
            "correct_labels",
            "manage_members",
            "manage_tokens",
            "manage_workspace",
            "manage_sources",
        }
    ),
    "admin": frozenset(
        {
            "view",
            "edit_monitors",
            "import_mentions",
            "correct_labels",
            "manage_members",
            "manage_tokens",
            "manage_sources",
        }
    ),
    "analyst": frozenset({"view", "edit_monitors", "import_mentions", "correct_labels"}),
    "responder": frozenset({"view", "correct_labels"}),
    "viewer": frozenset({"view"}),
}


def has_permission(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
