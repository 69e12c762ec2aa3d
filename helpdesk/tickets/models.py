"""Tickets: questions a person must handle, with their messages, history, alerts and the consent behind them."""
from __future__ import annotations

from helpdesk.accounts.models import utcnow
from helpdesk.extensions import db

# Who is waiting: new (the queue), in_progress (staff), waiting (the requester, after a staff reply),
# answered (staff consider it done; the requester may still reply), closed.
STATUSES = ("new", "in_progress", "waiting", "answered", "closed")
NOTIFY_MODES = ("link", "full")  # requester mails: a link only (default), or the reply's text too
PRIORITIES = ("urgent", "normal")
ENTRY_KINDS = ("reply", "note", "followup")  # staff reply (requester sees it), internal note, requester message


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(repr(v) for v in values)


class Ticket(db.Model):
    __tablename__ = "ticket"
    __table_args__ = (
        db.CheckConstraint(f"status IN ({_in(STATUSES)})", name="status"),
        db.CheckConstraint(f"priority IN ({_in(PRIORITIES)})", name="priority"),
        db.CheckConstraint(f"notify_mode IN ({_in(NOTIFY_MODES)})", name="notify_mode"),
        # One ticket per chat message: a second handoff of the same message finds the first ticket.
        db.UniqueConstraint("conversation_id", "message_id", name="uq_ticket_conversation_message"),
    )

    id = db.Column(db.Integer, primary_key=True)
    # What users see and type: random, so ticket numbers cannot be enumerated.
    ref = db.Column(db.String(16), nullable=False, unique=True)
    # None for an emergency reported without an account, until the reporter claims it (contact_email).
    owner_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), index=True)
    queue = db.Column(db.String(20), nullable=False, index=True)
    # For `emergency` tickets: the FA queue whose agents also see it (see helpdesk.accounts.access).
    programme_fa = db.Column(db.String(20))
    priority = db.Column(db.String(10), nullable=False, default="normal")
    status = db.Column(db.String(20), nullable=False, default="new", index=True)
    question = db.Column(db.Text, nullable=False)
    lang = db.Column(db.String(2), nullable=False, default="ja")
    # The triage decision at submission (the queue may change later by reroute).
    route_kind = db.Column(db.String(20), nullable=False)
    route_queue = db.Column(db.String(20), nullable=False)
    route_reason = db.Column(db.Text, nullable=False, default="")
    route_cites = db.Column(db.JSON, nullable=False, default=list)
    route_program = db.Column(db.String(40))
    # The chat exchange it came from (answering area's ids; no FK so the areas stay independent).
    conversation_id = db.Column(db.String(64))
    message_id = db.Column(db.Integer)
    assignee_id = db.Column(db.Integer, db.ForeignKey("user_account.id"))
    # How the requester is told of replies: where (an unclaimed emergency report's own contact),
    # in which language, and whether the mail may carry the reply's text.
    contact_email = db.Column(db.String(254))
    contact_phone = db.Column(db.String(40))
    notify_mode = db.Column(db.String(10), nullable=False, default="link")
    notify_lang = db.Column(db.String(2), nullable=False, default="ja")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    first_response_at = db.Column(db.DateTime)
    answered_at = db.Column(db.DateTime)
    closed_at = db.Column(db.DateTime)

    owner = db.relationship("User", foreign_keys=[owner_id])
    assignee = db.relationship("User", foreign_keys=[assignee_id])
    entries = db.relationship("TicketEntry", back_populates="ticket", order_by="TicketEntry.id",
                              cascade="all, delete-orphan")
    events = db.relationship("TicketEvent", back_populates="ticket", order_by="TicketEvent.id",
                             cascade="all, delete-orphan")
    notifications = db.relationship("TicketNotification", back_populates="ticket",
                                    order_by="TicketNotification.id", cascade="all, delete-orphan")

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


class TicketEntry(db.Model):
    __tablename__ = "ticket_entry"
    __table_args__ = (db.CheckConstraint(f"kind IN ({_in(ENTRY_KINDS)})", name="kind"),)

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    kind = db.Column(db.String(10), nullable=False)
    body = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    ticket = db.relationship("Ticket", back_populates="entries")
    author = db.relationship("User")


class TicketEvent(db.Model):
    """The ticket's own history (shown to staff); the audit log keeps the tamper-evident copy."""
    __tablename__ = "ticket_event"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("user_account.id"))
    kind = db.Column(db.String(20), nullable=False)  # created | status | rerouted
    from_value = db.Column(db.String(20))
    to_value = db.Column(db.String(20))
    reason = db.Column(db.Text)  # a reroute's reason (kept here, never in the audit log)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    ticket = db.relationship("Ticket", back_populates="events")
    actor = db.relationship("User")


class TicketNotification(db.Model):
    """An alert to a queue beyond the ticket's own (emergencies: the programme's FA and the Cabinet Office)."""
    __tablename__ = "ticket_notification"

    id = db.Column(db.Integer, primary_key=True)
    ticket_id = db.Column(db.Integer, db.ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False, index=True)
    queue = db.Column(db.String(20), nullable=False, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    ticket = db.relationship("Ticket", back_populates="notifications")


class ConsentRecord(db.Model):
    """The researcher's consent to handling and sharing an inquiry, tied to the exact wording shown."""
    __tablename__ = "consent_record"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), index=True)  # None: no-login emergency
    ticket_id = db.Column(db.Integer, db.ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False, index=True)
    version = db.Column(db.String(20), nullable=False)
    text_hash = db.Column(db.String(64), nullable=False)
    lang = db.Column(db.String(2), nullable=False)
    given_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class PendingHandoff(db.Model):
    """A question typed for a person before the ticket exists (e.g. before login), kept server-side:
    the session holds only the random token (a 2000-character Japanese question overflows a cookie)."""
    __tablename__ = "pending_handoff"

    token = db.Column(db.String(43), primary_key=True)
    question = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
