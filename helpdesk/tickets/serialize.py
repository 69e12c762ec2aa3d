"""The JSON shapes of tickets: a summary for lists, the requester's view, and the staff view (adds notes)."""
from __future__ import annotations

from .models import Ticket, TicketEntry


def _at(value) -> str | None:
    return value.isoformat() + "Z" if value else None  # stored as naive UTC


def summary(ticket: Ticket) -> dict:
    return {
        "ref": ticket.ref,
        "status": ticket.status,
        "priority": ticket.priority,
        "queue": ticket.queue,
        "question": ticket.question,
        "created_at": _at(ticket.created_at),
        "updated_at": _at(ticket.updated_at),
    }


def _entry(entry: TicketEntry) -> dict:
    return {"id": entry.id, "kind": entry.kind, "body": entry.body, "created_at": _at(entry.created_at),
            "from": "requester" if entry.kind == "followup" else "staff"}


def detail(ticket: Ticket, *, staff: bool) -> dict:
    shown = {
        **summary(ticket),
        "route": {"kind": ticket.route_kind, "queue": ticket.route_queue, "reason": ticket.route_reason,
                  "cites": ticket.route_cites, "program": ticket.route_program},
        "messages": [_entry(e) for e in ticket.conversation],
        "first_response_at": _at(ticket.first_response_at),
        "answered_at": _at(ticket.answered_at),
        "closed_at": _at(ticket.closed_at),
    }
    if staff:
        shown |= {
            "notes": [_entry(e) for e in ticket.notes],
            "programme_fa": ticket.programme_fa,
            "notified": [n.queue for n in ticket.notifications],
            "conversation_id": ticket.conversation_id,
            "history": [{"kind": e.kind, "from": e.from_value, "to": e.to_value, "reason": e.reason,
                         "at": _at(e.created_at)} for e in ticket.events],
        }
    return shown
