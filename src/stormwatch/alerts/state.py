"""The alert lifecycle as a literal transition table (no I/O).

    open ──acknowledge──► acknowledged ──resolve──► resolved
      │                        ▲
      └──escalate──► escalated ┘ (acknowledge)
    any active state ──dismiss──► dismissed   (marked a false alarm)

Feedback ("useful" / "false_alarm") is recorded beside the state; a false alarm also
dismisses the alert. An alert is active while a new detection of its episode may update it.
"""

from __future__ import annotations

from typing import Literal

AlertState = Literal["open", "acknowledged", "escalated", "resolved", "dismissed"]
Action = Literal["acknowledge", "escalate", "resolve", "dismiss"]

TRANSITIONS: dict[tuple[str, str], AlertState] = {
    ("open", "acknowledge"): "acknowledged",
    ("escalated", "acknowledge"): "acknowledged",
    ("open", "escalate"): "escalated",
    ("open", "resolve"): "resolved",
    ("acknowledged", "resolve"): "resolved",
    ("escalated", "resolve"): "resolved",
    ("open", "dismiss"): "dismissed",
    ("acknowledged", "dismiss"): "dismissed",
    ("escalated", "dismiss"): "dismissed",
    ("resolved", "dismiss"): "dismissed",
}
ACTIVE_STATES: frozenset[str] = frozenset({"open", "acknowledged", "escalated"})
STATES: tuple[AlertState, ...] = ("open", "acknowledged", "escalated", "resolved", "dismissed")


class TransitionError(ValueError):
    """The action is not allowed from the alert's current state."""


def next_state(state: str, action: str) -> AlertState:
    """The state after `action`; raises TransitionError when the table has no such edge."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise TransitionError(f"cannot {action} an alert that is {state}") from None


def allowed_actions(state: str) -> list[str]:
    return [action for (src, action) in TRANSITIONS if src == state]
