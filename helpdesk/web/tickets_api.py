"""Tickets JSON API under `/api/v1`: list, read, create (with consent) and reply.

Sessions only (no API tokens), so every POST needs the CSRF token in the `X-CSRFToken` header.
Staff see their visible queues, researchers their own tickets; anything else is a 404.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts import role_required
from helpdesk.accounts.roles import ADMIN, RESEARCHER, STAFF_ROLES
from helpdesk.answering.language import detect_lang
from helpdesk.extensions import db
from helpdesk.tickets import TicketError, consent, serialize, service, visibility
from helpdesk.tickets.handoff import chat_exchange, route_of, shared_exchange
from helpdesk.tickets.models import NOTIFY_MODES, STATUSES

from .i18n import current_lang
from .json_input import request_object

bp = Blueprint("tickets_api", __name__, url_prefix="/api/v1")
TICKET_USERS = (RESEARCHER, *STAFF_ROLES, ADMIN)


def _error(message: str, code: str, status: int = 400):
    return jsonify(error=message, code=code), status


@bp.errorhandler(404)
def _not_found(_exc):
    return _error("no such ticket", "not_found", 404)


def _is_staff() -> bool:
    return current_user.role != RESEARCHER


@bp.get("/consent")
def consent_text():
    """The consent wording a ticket needs, with its version (send the version back when creating)."""
    return jsonify(version=consent.VERSION, text_hash=consent.TEXT_HASH, text=consent.TEXT)


@bp.get("/tickets")
@role_required(*TICKET_USERS)
def list_tickets():
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        return _error(f"status must be one of: {', '.join(STATUSES)}", "bad_status")
    # Researchers list their own tickets; staff their queues. A queue filter narrows, never widens.
    tickets = visibility.listed(visibility.scope_for(current_user), status=status,
                                queue=request.args.get("queue") or None)
    return jsonify(tickets=[serialize.summary(t) for t in tickets], count=len(tickets))


@bp.post("/tickets")
@role_required(RESEARCHER)
def create_ticket():
    if not current_user.is_verified:
        return _error("verify your e-mail address first: open the link sent when you registered", "email_not_verified",
                      403)
    body = request_object('{"question": "...", "consent": {...}}')
    given = body.get("consent")
    if not isinstance(given, dict) or given.get("agree") is not True or given.get("declare") is not True:
        return _error(TicketError("ticket.error.consent").message("en"), "consent_required")
    if given.get("version") != consent.VERSION:
        return _error(TicketError("ticket.error.consent_version", version=consent.VERSION).message("en"),
                      "consent_version")
    try:
        exchange = None
        if body.get("conversation_id") is not None or body.get("message_id") is not None:
            exchange = chat_exchange(body.get("conversation_id"), body.get("message_id"), current_user.id)
        raw = body.get("question") if body.get("question") is not None else (exchange.question if exchange else None)
        question = service.clean_text(raw, current_app.config["HELPDESK_MAX_QUESTION_CHARS"])
    except TicketError as error:
        return _error(error.message("en"), error.code, 404 if error.code == "message" else 400)
    shared = shared_exchange(question, exchange)  # an edited question takes nothing of the chat along
    existing = service.for_message(shared.conversation_id, shared.message_id) if shared else None
    if existing is None:
        try:
            ticket = service.create_ticket(
                current_user, question, route_of(question, exchange), lang=detect_lang(question),
                consent_lang=given.get("lang") if given.get("lang") in consent.TEXT else current_lang(),
                conversation_id=shared.conversation_id if shared else None,
                message_id=shared.message_id if shared else None,
                notify_mode=body.get("notify") if body.get("notify") in NOTIFY_MODES else "link",
            )
            db.session.commit()
            return jsonify(serialize.detail(ticket, staff=False)), 201
        except IntegrityError:  # the same message sent twice at once
            db.session.rollback()
            existing = service.for_message(shared.conversation_id, shared.message_id) if shared else None
            if existing is None:
                raise
    # One ticket per message: the one that exists (the requester's own; anyone else learns nothing).
    if existing.owner_id != current_user.id:
        return _error("this message has already been handed over", "already_handed_over", 409)
    return jsonify(serialize.detail(existing, staff=False)), 200


@bp.get("/tickets/<ref>")
@role_required(*TICKET_USERS)
def get_ticket(ref: str):
    ticket = visibility.get_or_404(ref, current_user)
    service.record_view(ticket, current_user, "api")
    db.session.commit()
    return jsonify(serialize.detail(ticket, staff=_is_staff()))


@bp.post("/tickets/<ref>/replies")
@role_required(*TICKET_USERS)
def add_reply(ref: str):
    """Staff: a reply the requester sees; the requester: a follow-up message."""
    ticket = visibility.get_or_404(ref, current_user)
    body = request_object('{"body": "..."}')
    add = service.reply if _is_staff() else service.follow_up
    try:
        entry = add(ticket, current_user, body.get("body"))
    except TicketError as error:
        db.session.rollback()
        return _error(error.message("en"), error.code, 409 if error.code == "closed" else 400)
    db.session.commit()
    return jsonify(ticket=ticket.ref, status=ticket.status, entry={"id": entry.id, "kind": entry.kind}), 201
