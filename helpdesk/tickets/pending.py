"""Questions waiting for their ticket (typed before login), kept server-side for a day.

The caller's session keeps only the token `keep` returns; rows older than a day are ignored and
cleared on the next `keep`, so abandoned drafts do not pile up.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete

from helpdesk.accounts.models import utcnow
from helpdesk.extensions import db

from .models import PendingHandoff

EXPIRY = timedelta(days=1)


def keep(question: str) -> str:
    """Store `question` (flushed; the caller commits) and return its token."""
    db.session.execute(delete(PendingHandoff).where(PendingHandoff.created_at < utcnow() - EXPIRY))
    pending = PendingHandoff(token=secrets.token_urlsafe(32), question=question)
    db.session.add(pending)
    db.session.flush()
    return pending.token


def question_for(token: object) -> str | None:
    """The question kept under `token`, or None when unknown or expired."""
    pending = db.session.get(PendingHandoff, token) if isinstance(token, str) else None
    if pending is None or pending.created_at < utcnow() - EXPIRY:
        return None
    return pending.question


def discard(token: object) -> None:
    if isinstance(token, str):
        db.session.execute(delete(PendingHandoff).where(PendingHandoff.token == token))
