"""The durable outbox: one row per message, written in the transaction of the event that causes it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.accounts.models import utcnow
from helpdesk.extensions import Model

# pending: waiting (first try or a retry after backoff); sending: claimed by a sender;
# sent: accepted by the SMTP server; filed: no SMTP configured, written to instance/outbox/;
# failed: gave up after the last retry (`helpdesk mail retry` tries again).
STATUSES = ("pending", "sending", "sent", "filed", "failed")


class OutboxMessage(Model):
    __tablename__ = "mail_outbox"
    __table_args__ = (CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. ticket.new, ticket.reply, emergency.alert
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2), default="ja")
    # The ticket the message is about (its reference), so staff see its notification status.
    ticket_ref: Mapped[str | None] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
