"""Claiming an emergency reported without an account: a signed link mailed to the address the reporter
gave proves they read that mailbox; opening it while logged in adds the ticket to their account."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from helpdesk.audit import identifier_hash
from helpdesk.extensions import db

from .models import Ticket

MAX_AGE_SECONDS = 30 * 24 * 3600
PATH = "/emergency/claim/"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="helpdesk.emergency-claim")


def token_for(ticket: Ticket) -> str:
    # The address is in the token only as a keyed hash: the link must name nobody if forwarded.
    return _serializer().dumps({"ref": ticket.ref, "to": identifier_hash(ticket.contact_email or "")})


def link_for(ticket: Ticket) -> str:
    return current_app.config["HELPDESK_BASE_URL"] + PATH + token_for(ticket)


def ticket_for(token: str) -> Ticket | None:
    """The unclaimed ticket `token` was made for, or None (bad, expired, or already claimed)."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("ref"), str):
        return None
    ticket = db.session.scalar(select(Ticket).where(Ticket.ref == data["ref"]))
    if ticket is None or ticket.owner_id is not None or not ticket.contact_email:
        return None
    return ticket if identifier_hash(ticket.contact_email) == data.get("to") else None
