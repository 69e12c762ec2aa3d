"""The durable outbox: one row per message, written in the transaction of the event that causes it."""
from __future__ import annotations

from helpdesk.accounts.models import utcnow
from helpdesk.extensions import db

# pending: waiting (first try or a retry after backoff); sending: claimed by a sender;
# sent: accepted by the SMTP server; filed: no SMTP configured, written to instance/outbox/;
# failed: gave up after the last retry (`helpdesk mail retry` tries again).
STATUSES = ("pending", "sending", "sent", "filed", "failed")


class OutboxMessage(db.Model):
    __tablename__ = "mail_outbox"
    __table_args__ = (db.CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="status"),)

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)  # e.g. ticket.new, ticket.reply, emergency.alert
    recipient = db.Column(db.String(254), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    body_text = db.Column(db.Text, nullable=False)
    lang = db.Column(db.String(2), nullable=False, default="ja")
    # The ticket the message is about (its reference), so staff see its notification status.
    ticket_ref = db.Column(db.String(16), index=True)
    status = db.Column(db.String(10), nullable=False, default="pending", index=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    claimed_at = db.Column(db.DateTime)
    last_error = db.Column(db.String(500))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
