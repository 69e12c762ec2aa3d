"""Everything that changes a ticket. Each function adds its audit event; the caller commits.

Audit details hold ids, queue names and states only, never the question, a message or a reason.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select

from helpdesk.accounts.models import utcnow
from helpdesk.accounts.roles import ASSIGNABLE_QUEUES, EMERGENCY_QUEUE
from helpdesk.audit import record
from helpdesk.control_characters import strip_control
from helpdesk.extensions import db
from helpdesk.triage.learning import add_example

from . import notifications, routing
from .consent import record_consent
from .errors import TicketError
from .lifecycle import after_requester_reply, after_staff_reply, check_transition
from .models import NOTIFY_MODES, Ticket, TicketEntry, TicketEvent, TicketNotification

MAX_BODY_CHARS = 5000
MAX_REASON_CHARS = 1000
REROUTE_TARGETS = (*ASSIGNABLE_QUEUES, EMERGENCY_QUEUE)
# Crockford-style alphabet: no 0/O or 1/I/L to misread when a reference is read out on the phone.
_REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ref() -> str:
    while True:
        ref = "RS-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(10))
        if db.session.scalar(select(Ticket.id).where(Ticket.ref == ref)) is None:
            return ref


def plausible_ref(ref: str) -> bool:
    """Whether `ref` (from a URL) could name a ticket at all: short printable ASCII, as every reference is. Anything
    else is no ticket, without asking the database (PostgreSQL refuses a NUL in a query parameter)."""
    return len(ref) <= 16 and ref.isascii() and ref.isprintable()


def clean_text(raw: object, limit: int, empty_key: str = "ticket.error.empty") -> str:
    text = strip_control(raw).strip() if isinstance(raw, str) else ""
    if not text:
        raise TicketError(empty_key)
    if len(text) > limit:
        raise TicketError("ticket.error.too_long", limit=limit)
    return text


def for_message(conversation_id: str | None, message_id: int | None) -> Ticket | None:
    """The ticket already made from this chat message, if any (one ticket per message)."""
    if not conversation_id or message_id is None:
        return None
    return db.session.scalar(select(Ticket).where(Ticket.conversation_id == conversation_id,
                                                  Ticket.message_id == message_id))


def create_ticket(owner, question: str, route: dict, *, lang: str, consent_lang: str,
                  conversation_id: str | None = None, message_id: int | None = None,
                  notify_mode: str = "link", contact_email: str | None = None,
                  contact_phone: str | None = None, consent: tuple[str, str] | None = None) -> Ticket:
    """A ticket for `question` placed by its triage `route`, with the requester's consent recorded.

    `owner` is None for an emergency reported without an account (then `contact_email` or
    `contact_phone` says how to reach the reporter). `consent`: (version, text hash) of the wording
    agreed to, when not the ticket consent. Notifications are queued in the same transaction.
    """
    place = routing.placement_for(route)
    ticket = Ticket(
        ref=new_ref(), owner_id=owner.id if owner else None, queue=place.queue, programme_fa=place.programme_fa,
        priority=place.priority, status="new", question=question, lang=lang,
        route_kind=route.get("kind") or "desk", route_queue=route.get("queue") or place.queue,
        route_reason=route.get("reason") or "", route_cites=list(route.get("cites") or []),
        route_program=route.get("program"), conversation_id=conversation_id, message_id=message_id,
        notify_mode=notify_mode if notify_mode in NOTIFY_MODES else "link",
        notify_lang=consent_lang if consent_lang in ("ja", "en") else "ja",
        contact_email=contact_email, contact_phone=contact_phone,
    )
    db.session.add(ticket)
    db.session.flush()
    ticket.events.append(TicketEvent(actor_id=owner.id if owner else None, kind="created", to_value=place.queue))
    _notify(ticket, place.notify)
    record_consent(owner, ticket, consent_lang, *(consent or ()))
    record("ticket.created", "ticket", ticket.ref,
           {"ticket_id": ticket.id, "queue": ticket.queue, "route_kind": ticket.route_kind,
            "priority": ticket.priority, "notified": list(place.notify),
            "conversation_id": conversation_id, "message_id": message_id,
            "account": owner is not None}, actor=owner)
    notifications.ticket_created(ticket)
    return ticket


def claim(ticket: Ticket, user) -> None:
    """Attach an emergency reported without an account to `user`, who proved the address (the caller
    checked the signed link)."""
    if ticket.owner_id is not None:
        raise TicketError("ticket.error.claimed")
    ticket.owner_id = user.id
    ticket.updated_at = utcnow()
    ticket.events.append(TicketEvent(actor_id=user.id, kind="claimed", to_value=ticket.queue))
    record("ticket.claimed", "ticket", ticket.ref, {"ticket_id": ticket.id, "queue": ticket.queue}, actor=user)


def record_view(ticket: Ticket, viewer, view: str) -> None:
    record("ticket.viewed", "ticket", ticket.ref, {"ticket_id": ticket.id, "queue": ticket.queue, "view": view},
           actor=viewer)


def change_status(ticket: Ticket, target: str, actor, *, event: str = "status") -> None:
    """Move the ticket to `target` (checked against the lifecycle), record it and audit it.

    `event` names what caused it in the ticket's history: `status` (a staff choice), `replied`
    (a staff reply) or `followup` (the requester's reply)."""
    check_transition(ticket.status, target)
    if target == "answered" and not ticket.staff_replies:
        raise TicketError("ticket.error.no_reply")
    previous, now = ticket.status, utcnow()
    ticket.status = target
    ticket.updated_at = now
    if previous == "new" and ticket.assignee_id is None:
        ticket.assignee_id = actor.id  # taking (or first answering) a ticket makes it yours
    if target == "answered":
        ticket.answered_at = now
    if target == "closed":
        ticket.closed_at = now
    ticket.events.append(TicketEvent(actor_id=actor.id, kind=event, from_value=previous, to_value=target))
    record("ticket.closed" if target == "closed" else "ticket.status_changed", "ticket", ticket.ref,
           {"ticket_id": ticket.id, "queue": ticket.queue, "from": previous, "to": target, "by": event},
           actor=actor)


def reply(ticket: Ticket, actor, body: str | None) -> TicketEntry:
    """A staff answer the requester sees (and is mailed about): the ticket now waits for the requester."""
    _refuse_if_closed(ticket)
    entry = _add_entry(ticket, actor, "reply", body)
    target = after_staff_reply(ticket.status)
    if target and target != ticket.status:
        change_status(ticket, target, actor, event="replied")
    if ticket.first_response_at is None:
        ticket.first_response_at = entry.created_at
    record("ticket.replied", "ticket", ticket.ref,
           {"ticket_id": ticket.id, "entry_id": entry.id, "queue": ticket.queue, "by": "staff"}, actor=actor)
    notifications.staff_replied(ticket, entry)
    return entry


def follow_up(ticket: Ticket, owner, body: str | None) -> TicketEntry:
    """The requester's further message: a waiting or answered ticket goes back to the staff."""
    _refuse_if_closed(ticket)
    entry = _add_entry(ticket, owner, "followup", body)
    target = after_requester_reply(ticket.status)
    if target and target != ticket.status:
        change_status(ticket, target, owner, event="followup")
    record("ticket.replied", "ticket", ticket.ref,
           {"ticket_id": ticket.id, "entry_id": entry.id, "queue": ticket.queue, "by": "requester"}, actor=owner)
    return entry


def add_note(ticket: Ticket, actor, body: str | None) -> TicketEntry:
    entry = _add_entry(ticket, actor, "note", body)
    record("ticket.noted", "ticket", ticket.ref,
           {"ticket_id": ticket.id, "entry_id": entry.id, "queue": ticket.queue}, actor=actor)
    return entry


def reroute(ticket: Ticket, actor, queue: str, reason: str) -> None:
    """Move the ticket to `queue` and teach triage that such questions belong there."""
    kind = routing.queue_kind(queue)
    if queue not in REROUTE_TARGETS or kind is None:
        raise TicketError("ticket.error.queue", queues=", ".join(REROUTE_TARGETS))
    if queue == ticket.queue:
        raise TicketError("ticket.error.same_queue")
    reason = clean_text(reason, MAX_REASON_CHARS, "ticket.error.reason")
    # The requester's identifiers are masked in the example: the account's, and an emergency report's contact
    # (the only ones a report made without an account has).
    owner = ticket.owner
    known = [ticket.contact_email, ticket.contact_phone, *((owner.display_name, owner.email) if owner else ())]
    example = add_example(ticket.question, kind, queue, actor, known=known)
    previous = ticket.queue
    if queue == EMERGENCY_QUEUE:
        place = routing.emergency_placement([ticket.programme_fa] if ticket.programme_fa else [])
        _notify(ticket, place.notify)
    else:
        place = routing.placement_for({"kind": routing.queue_kind(queue), "queue": queue})
    # Priority and the emergency programme follow the queue; the new queue's people take it afresh.
    ticket.queue, ticket.priority, ticket.programme_fa = place.queue, place.priority, place.programme_fa
    ticket.assignee_id = None
    ticket.updated_at = utcnow()
    ticket.events.append(TicketEvent(actor_id=actor.id, kind="rerouted", from_value=previous, to_value=queue,
                                     reason=reason))
    record("ticket.rerouted", "ticket", ticket.ref,
           {"ticket_id": ticket.id, "from_queue": previous, "to_queue": queue, "routing_example_id": example.id,
            "notified": list(place.notify)}, actor=actor)
    notifications.ticket_created(ticket, rerouted=True)


def _refuse_if_closed(ticket: Ticket) -> None:
    if ticket.is_closed:
        raise TicketError("ticket.error.closed")


def _add_entry(ticket: Ticket, author, kind: str, body: str | None) -> TicketEntry:
    entry = TicketEntry(author_id=author.id, kind=kind, body=clean_text(body, MAX_BODY_CHARS), created_at=utcnow())
    ticket.entries.append(entry)
    ticket.updated_at = entry.created_at
    db.session.flush()
    return entry


def _notify(ticket: Ticket, queues) -> None:
    for queue in queues:
        ticket.notifications.append(TicketNotification(queue=queue))
