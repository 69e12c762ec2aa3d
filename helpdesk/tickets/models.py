"""Tickets: questions a person must handle, with their messages, history, alerts and the consent behind them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User, utcnow
from helpdesk.extensions import Model

# Who is waiting: new (the queue), in_progress (staff), waiting (the requester, after a staff reply),
# answered (staff consider it done; the requester may still reply), closed.
STATUSES = ("new", "in_progress", "waiting", "answered", "closed")
NOTIFY_MODES = ("link", "full")  # requester mails: a link only (default), or the reply's text too
PRIORITIES = ("urgent", "normal")
ENTRY_KINDS = ("reply", "note", "followup")  # staff reply (requester sees it), internal note, requester message


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(repr(v) for v in values)


class Ticket(Model):
    __tablename__ = "ticket"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(STATUSES)})", name="status"),
        CheckConstraint(f"priority IN ({_in(PRIORITIES)})", name="priority"),
        CheckConstraint(f"notify_mode IN ({_in(NOTIFY_MODES)})", name="notify_mode"),
        # One ticket per chat message: a second handoff of the same message finds the first ticket.
        UniqueConstraint("conversation_id", "message_id", name="uq_ticket_conversation_message"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # What users see and type: random, so ticket numbers cannot be enumerated.
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    # None for an emergency reported without an account, until the reporter claims it (contact_email).
    owner_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("user_account.id"), index=True)
    queue: Mapped[str] = mapped_column(String(20), index=True)
    # For `emergency` tickets: the FA queue whose agents also see it (see helpdesk.accounts.access).
    programme_fa: Mapped[str | None] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    question: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2), default="ja")
    # The triage decision at submission (the queue may change later by reroute).
    route_kind: Mapped[str] = mapped_column(String(20))
    route_queue: Mapped[str] = mapped_column(String(20))
    route_reason: Mapped[str] = mapped_column(Text, default="")
    route_cites: Mapped[list[str]] = mapped_column(JSON, default=list)
    route_program: Mapped[str | None] = mapped_column(String(40))
    # The chat exchange it came from (answering area's ids; no FK so the areas stay independent).
    conversation_id: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[int | None] = mapped_column(Integer)
    assignee_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("user_account.id"))
    # How the requester is told of replies: where (an unclaimed emergency report's own contact),
    # in which language, and whether the mail may carry the reply's text.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    notify_mode: Mapped[str] = mapped_column(String(10), default="link")
    notify_lang: Mapped[str] = mapped_column(String(2), default="ja")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    entries: Mapped[list[TicketEntry]] = relationship(back_populates="ticket", order_by="TicketEntry.id",
                                                      cascade="all, delete-orphan")
    events: Mapped[list[TicketEvent]] = relationship(back_populates="ticket", order_by="TicketEvent.id",
                                                     cascade="all, delete-orphan")
    notifications: Mapped[list[TicketNotification]] = relationship(
        back_populates="ticket", order_by="TicketNotification.id", cascade="all, delete-orphan")

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def staff_replies(self) -> list[TicketEntry]:
        """The answers the requester was sent, oldest first (what an FAQ draft is made from)."""
        return [entry for entry in self.entries if entry.kind == "reply"]

    @property
    def conversation(self) -> list[TicketEntry]:
        """Replies and follow-ups: what the requester sees (internal notes left out)."""
        return [entry for entry in self.entries if entry.kind != "note"]

    @property
    def notes(self) -> list[TicketEntry]:
        return [entry for entry in self.entries if entry.kind == "note"]

    def __repr__(self) -> str:
        return f"<Ticket {self.ref} {self.queue}/{self.status}>"


class TicketEntry(Model):
    __tablename__ = "ticket_entry"
    __table_args__ = (CheckConstraint(f"kind IN ({_in(ENTRY_KINDS)})", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(Integer, ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(Integer, ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="entries")
    author: Mapped[User] = relationship()


class TicketEvent(Model):
    """The ticket's own history (shown to staff); the audit log keeps the tamper-evident copy."""
    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(Integer, ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(20))  # created | status | rerouted
    from_value: Mapped[str | None] = mapped_column(String(20))
    to_value: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)  # a reroute's reason (kept here, never in the audit log)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class TicketNotification(Model):
    """An alert to a queue beyond the ticket's own (emergencies: the programme's FA and the Cabinet Office)."""
    __tablename__ = "ticket_notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(Integer, ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    queue: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="notifications")


class ConsentRecord(Model):
    """The researcher's consent to handling and sharing an inquiry, tied to the exact wording shown."""
    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None: an emergency reported without logging in.
    user_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("user_account.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(Integer, ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    text_hash: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(2))
    given_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PendingHandoff(Model):
    """A question typed for a person before the ticket exists (e.g. before login), kept server-side:
    the session holds only the random token (a 2000-character Japanese question overflows a cookie)."""
    __tablename__ = "pending_handoff"

    token: Mapped[str] = mapped_column(String(43), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
