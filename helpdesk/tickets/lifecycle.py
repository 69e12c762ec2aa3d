"""Ticket states and the allowed moves between them: new → in_progress → answered → closed.

An answered ticket goes back to in_progress when the requester follows up.
"""
from __future__ import annotations

from helpdesk.web.i18n import MESSAGES, t

from .errors import TicketError

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("in_progress",),
    "in_progress": ("answered",),
    "answered": ("in_progress", "closed"),
    "closed": (),
}

MESSAGES.update(
    {
        "status.new": {"ja": "新規", "en": "New"},
        "status.in_progress": {"ja": "対応中", "en": "In progress"},
        "status.answered": {"ja": "回答済み", "en": "Answered"},
        "status.closed": {"ja": "完了", "en": "Closed"},
        "priority.urgent": {"ja": "緊急", "en": "Urgent"},
        "priority.normal": {"ja": "通常", "en": "Normal"},
    }
)


def check_transition(current: str, target: str) -> None:
    allowed = TRANSITIONS.get(current, ())
    if target not in allowed:
        raise TicketError("ticket.error.transition", current=current, target=target,
                          allowed=", ".join(allowed) or "—")


def status_label(status: str, lang: str | None = None) -> str:
    return t(f"status.{status}", lang)
