"""`purge()`: delete conversations and closed tickets older than their retention period.

What goes: a conversation whose last message is older than its period and that no remaining ticket
links to (staff read the chat excerpt of a ticket), with its messages; a ticket closed before its
period, with its entries, history, notifications and consent record; questions left waiting for a ticket
past their day. What stays: the audit log. Its events name objects by id only and link to each other,
never to the rows purged, so `helpdesk audit verify` still passes; the purge itself is one more event,
with counts and periods only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, exists, func, select, update

from helpdesk import audit
from helpdesk.answering.models import AnswerFeedback, Conversation, Message
from helpdesk.curation.models import FaqEntry
from helpdesk.extensions import db
from helpdesk.tickets import pending
from helpdesk.tickets.models import ConsentRecord, PendingHandoff, Ticket, TicketEntry, TicketEvent, TicketNotification

TICKET_CHILDREN = (TicketEntry, TicketEvent, TicketNotification, ConsentRecord)


@dataclass(frozen=True)
class Periods:
    """Days to keep each kind of record; None or 0 keeps it forever."""

    conversations: int | None
    closed_tickets: int | None

    @classmethod
    def from_config(cls, config) -> Periods:
        return cls(config["HELPDESK_RETENTION_CONVERSATIONS_DAYS"], config["HELPDESK_RETENTION_CLOSED_TICKETS_DAYS"])


def _count(statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _closed_tickets(days: int, now: datetime) -> dict[str, int]:
    cutoff = now.replace(tzinfo=None) - timedelta(days=days)  # ticket times are naive UTC
    ids = select(Ticket.id).where(Ticket.status == "closed", Ticket.closed_at < cutoff)
    counts = {"tickets": _count(ids)}
    if counts["tickets"]:
        for child in TICKET_CHILDREN:
            db.session.execute(delete(child).where(child.ticket_id.in_(ids)))
        # A desk FAQ entry drafted from the ticket stays; it only forgets where it came from.
        db.session.execute(update(FaqEntry).where(FaqEntry.source_ticket_id.in_(ids)).values(source_ticket_id=None))
        db.session.execute(delete(Ticket).where(Ticket.id.in_(ids)))
    return counts


def _conversations(days: int, now: datetime) -> dict[str, int]:
    cutoff = now - timedelta(days=days)
    recent = exists().where(Message.conversation_id == Conversation.id, Message.created_at >= cutoff)
    linked = exists().where(Ticket.conversation_id == Conversation.id)
    ids = select(Conversation.id).where(Conversation.created_at < cutoff, ~recent, ~linked)
    messages = select(Message.id).where(Message.conversation_id.in_(ids))
    counts = {"conversations": _count(ids), "messages": _count(messages)}
    if counts["conversations"]:
        # Ratings go with their answers (a bulk delete bypasses the ORM's cascade).
        db.session.execute(delete(AnswerFeedback).where(AnswerFeedback.message_id.in_(messages)))
        db.session.execute(delete(Message).where(Message.conversation_id.in_(ids)))
        db.session.execute(delete(Conversation).where(Conversation.id.in_(ids)))
    return counts


def _expired_handoffs(now: datetime) -> dict[str, int]:
    expired = select(PendingHandoff.token).where(PendingHandoff.created_at < now.replace(tzinfo=None) - pending.EXPIRY)
    counts = {"pending_handoffs": _count(expired)}
    if counts["pending_handoffs"]:
        db.session.execute(delete(PendingHandoff).where(PendingHandoff.token.in_(expired)))
    return counts


def purge(periods: Periods, *, dry_run: bool = False, now: datetime | None = None) -> dict[str, int]:
    """Delete what is past its period and record `retention.purged` (counts only); returns the counts.

    Tickets go first, so that conversations they held on to can go in the same run. The caller commits
    (a dry run rolls back: the counts are what a real run would delete now).
    """
    now = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    if periods.closed_tickets:
        counts.update(_closed_tickets(periods.closed_tickets, now))
    if periods.conversations:
        counts.update(_conversations(periods.conversations, now))
    counts.update(_expired_handoffs(now))
    if dry_run:
        db.session.rollback()
    else:
        audit.record("retention.purged", details={
            **counts, "conversations_days": periods.conversations or 0,
            "closed_tickets_days": periods.closed_tickets or 0})
    return counts
