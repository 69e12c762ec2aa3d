"""Ticket states and the only allowed moves between them, in one place.

The status says who is waiting: `new` (the queue), `in_progress` (staff), `waiting` (the requester,
set by a staff reply), `answered` (staff consider it done), `closed`. A requester's reply reopens a
waiting or answered ticket (→ in_progress). Staff set `waiting` only by replying.
"""
from __future__ import annotations

from .errors import TicketError
from .labels import status_label

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("in_progress", "waiting"),
    "in_progress": ("waiting", "answered"),
    "waiting": ("in_progress", "answered", "closed"),
    "answered": ("in_progress", "waiting", "closed"),
    "closed": (),
}
AFTER_STAFF_REPLY = "waiting"
AFTER_REQUESTER_REPLY = "in_progress"
BY_REPLY_ONLY = frozenset({AFTER_STAFF_REPLY})  # never a button: a reply is what makes it true

__all__ = ["TRANSITIONS", "after_requester_reply", "after_staff_reply", "check_transition", "manual_moves",
           "status_label"]


def check_transition(current: str, target: str) -> None:
    allowed = TRANSITIONS.get(current, ())
    if target not in allowed:
        raise TicketError("ticket.error.transition", current=current, target=target, allowed=allowed)


def manual_moves(current: str) -> tuple[str, ...]:
    """The states staff may pick by hand from `current` (the buttons on the ticket page)."""
    return tuple(s for s in TRANSITIONS.get(current, ()) if s not in BY_REPLY_ONLY)


def after_staff_reply(current: str) -> str | None:
    return AFTER_STAFF_REPLY if AFTER_STAFF_REPLY in TRANSITIONS.get(current, ()) else None


def after_requester_reply(current: str) -> str | None:
    return AFTER_REQUESTER_REPLY if AFTER_REQUESTER_REPLY in TRANSITIONS.get(current, ()) else None

