"""The outbox: `enqueue` in the transaction of the event; `deliver_due` after the commit, outside the request.

A message is claimed (pending → sending, one UPDATE that only one sender can win), sent, and marked
sent or filed; a failure schedules a retry with exponential backoff, and after the last attempt the
message is `failed` until `helpdesk mail retry`. A sender that died mid-send leaves `sending`: such a
message is taken again after CLAIM_TIMEOUT (at least once, never lost).
"""
from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from pathlib import Path
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, Update, and_, or_, select, update

from helpdesk.accounts.models import utcnow
from helpdesk.extensions import db

from . import transport
from .models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # 1, 2, 4 … 64 minutes apart: about two hours of a server being down
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
CLAIM_TIMEOUT = timedelta(minutes=10)
ENQUEUED = "helpdesk_mail_enqueued"  # session.info flag: wake the sender after this commit


def enqueue(to: str, subject: str, body_text: str, *, lang: str, kind: str,
            ticket_ref: str | None = None) -> OutboxMessage:
    """Add a message to the outbox (flushed; the caller commits it with the event that caused it)."""
    message = OutboxMessage(kind=kind, recipient=to, subject=subject, body_text=body_text,
                            lang=lang if lang in ("ja", "en") else "ja", ticket_ref=ticket_ref,
                            status="pending", attempts=0, next_attempt_at=utcnow())
    db.session.add(message)
    db.session.flush()
    db.session.info[ENQUEUED] = True
    return message


def backoff(attempts: int) -> timedelta:
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def due_ids(limit: int = 100) -> list[int]:
    now = utcnow()
    waiting = and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
    abandoned = and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - CLAIM_TIMEOUT)
    stmt = select(OutboxMessage.id).where(or_(waiting, abandoned)).order_by(OutboxMessage.id).limit(limit)
    return list(db.session.scalars(stmt))


def deliver_due(limit: int = 100) -> dict[str, int]:
    """Send what is due now; returns counts by outcome (sent, filed, retry, failed)."""
    settings = transport.smtp_settings(current_app.config.get("HELPDESK_SMTP_URL"))
    outcomes: dict[str, int] = {}
    for message_id in due_ids(limit):
        outcome = _deliver_one(message_id, settings)
        if outcome:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def retry_failed() -> int:
    """Make every failed or waiting message due now (`helpdesk mail retry`); returns how many. A failed one
    gets one more attempt (its count is kept), then is failed again if the server still refuses."""
    changed = _rows_updated(
        update(OutboxMessage).where(OutboxMessage.status.in_(("failed", "pending")))
        .values(status="pending", next_attempt_at=utcnow())
    )
    db.session.commit()
    return changed


def _rows_updated(statement: Update) -> int:
    # An UPDATE run through the session gives a CursorResult, which the session's types do not promise
    # (sqlalchemy/sqlalchemy#12913).
    return cast(CursorResult, db.session.execute(statement)).rowcount


def _claim(message_id: int) -> bool:
    now = utcnow()
    claimable = or_(OutboxMessage.status == "pending",
                    and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - CLAIM_TIMEOUT))
    claimed = _rows_updated(update(OutboxMessage).where(OutboxMessage.id == message_id, claimable)
                            .values(status="sending", claimed_at=now))
    db.session.commit()
    return claimed == 1


def _deliver_one(message_id: int, settings: transport.SmtpSettings | None) -> str | None:
    if not _claim(message_id):
        return None  # another sender took it
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        return None  # removed since the claim
    email = transport.build(current_app.config["HELPDESK_MAIL_FROM"], message.recipient, message.subject,
                            message.body_text, message.lang)
    try:
        status = transport.deliver(email, settings, Path(current_app.instance_path) / "outbox",
                                   f"{message.created_at:%Y%m%dT%H%M%S}-{message.id}")
    except (smtplib.SMTPException, OSError) as error:
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        permanent = isinstance(error, smtplib.SMTPRecipientsRefused)
        if permanent or message.attempts >= MAX_ATTEMPTS:
            message.status = "failed"
            log.error("mail %s to %s failed for good: %s", message.id, message.recipient, message.last_error)
        else:
            message.status = "pending"
            message.next_attempt_at = utcnow() + backoff(message.attempts)
            log.warning("mail %s not sent (attempt %s), retry at %s: %s", message.id, message.attempts,
                        message.next_attempt_at, message.last_error)
        db.session.commit()
        return "failed" if message.status == "failed" else "retry"
    message.status, message.sent_at, message.last_error = status, utcnow(), None
    message.attempts += 1
    db.session.commit()
    return status
