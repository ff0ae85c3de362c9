"""Who may do what with alerts: a literal table beside the workspace roles.

Everyone in the workspace sees alerts. Responders and above act on them (acknowledge,
escalate, resolve, give feedback). Analysts and above edit alert rules, like monitors. Owners
and admins manage notification channels, which hold other services' tokens.
"""

from __future__ import annotations

from typing import Literal

AlertPermission = Literal["respond", "edit_rules", "manage_channels"]

ALERT_PERMISSIONS: dict[AlertPermission, frozenset[str]] = {
    "respond": frozenset({"owner", "admin", "analyst", "responder"}),
    "edit_rules": frozenset({"owner", "admin", "analyst"}),
    "manage_channels": frozenset({"owner", "admin"}),
}
RESPONDER_ROLES = ALERT_PERMISSIONS["respond"]


def may(role: str, permission: AlertPermission) -> bool:
    return role in ALERT_PERMISSIONS[permission]
