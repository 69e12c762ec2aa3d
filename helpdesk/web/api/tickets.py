"""Tickets JSON API under `/api/v1`: list, read, create (with consent) and reply.

Sessions only (no API tokens), so every POST needs the CSRF token in the `X-CSRFToken` header.
Staff see their visible queues, researchers their own tickets; anything else is a 404.
"""
from __future__ import annotations

from flask import current_app
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts import role_required
from helpdesk.accounts.errors import AccountError
from helpdesk.accounts.roles import ADMIN, RESEARCHER, STAFF_ROLES
from helpdesk.answering.language import detect_lang
from helpdesk.extensions import db
from helpdesk.tickets import TicketError, consent, serialize, service, visibility
from helpdesk.tickets.handoff import chat_exchange, route_of, shared_exchange
from helpdesk.tickets.models import NOTIFY_MODES

from ..i18n import current_lang
from . import ticket_schemas as schemas
from .blueprint import Blueprint

bp = Blueprint("tickets_api", __name__, url_prefix="/api/v1",
               description="Handoffs to a person: tickets, with consent (session cookie and CSRF token).")
TICKET_USERS = (RESEARCHER, *STAFF_ROLES, ADMIN)
# The security schemes of helpdesk.web.api.SPEC_OPTIONS: the session cookie; POSTs also the CSRF header.
SESSION: dict[str, list[dict[str, list[str]]]] = {"security": [{"session": []}]}
SESSION_AND_CSRF: dict[str, list[dict[str, list[str]]]] = {"security": [{"session": [], "csrf": []}]}


def _is_staff() -> bool:
    return current_user.role != RESEARCHER


@bp.route("/consent", methods=["GET"])
@bp.response(200, schemas.ConsentText)
def consent_text():
    """The consent wording a ticket needs, with its version (send the version back when creating)."""
    return {"version": consent.VERSION, "text_hash": consent.TEXT_HASH, "text": consent.TEXT}


@bp.route("/tickets", methods=["GET"])
@role_required(*TICKET_USERS)
@bp.doc(**SESSION)
@bp.arguments(schemas.ListArgs, location="query")
@bp.response(200, schemas.TicketList)
@bp.refusals(401, 403)
def list_tickets(args: dict):
    """Researchers: their own tickets; staff: their queues' tickets."""
    tickets = visibility.listed(visibility.scope_for(current_user), status=args.get("status"),
                                queue=args.get("queue") or None)
    return {"tickets": [serialize.summary(t) for t in tickets], "count": len(tickets)}


@bp.route("/tickets", methods=["POST"])
@role_required(RESEARCHER)
@bp.doc(**SESSION_AND_CSRF)
@bp.arguments(schemas.CreateTicketBody, example={
    "question": "ASPIREの申請で、共同研究先の外国人研究者の経歴確認はどこまで必要ですか？",
    "consent": {"agree": True, "declare": True, "version": consent.VERSION, "lang": "ja"}})
@bp.response(201, schemas.TicketDetail)
@bp.alt_response(200, schema=schemas.TicketDetail, success=True,
                 description="this chat message was handed over already: the requester's existing ticket")
@bp.refusals(401, 403, 404, 409, 413, 415)
def create_ticket(body: dict):
    """A ticket for a person, after consent; from a chat answer (`conversation_id` + `message_id`) or a typed
    question. 403 `email_not_verified`, 404 `message`, 409 `already_handed_over`."""
    if not current_user.is_verified:
        raise AccountError("email_not_verified")
    given = body["consent"]
    if given.get("agree") is not True or given.get("declare") is not True:
        raise TicketError("consent_required")
    if given.get("version") != consent.VERSION:
        raise TicketError("consent_version", version=consent.VERSION)
    exchange = None
    if body.get("conversation_id") is not None or body.get("message_id") is not None:
        exchange = chat_exchange(body.get("conversation_id"), body.get("message_id"), current_user.id)
    raw = body.get("question") if body.get("question") is not None else (exchange.question if exchange else None)
    question = service.clean_text(raw, current_app.config["HELPDESK_MAX_QUESTION_CHARS"])
    shared = shared_exchange(question, exchange)  # an edited question takes nothing of the chat along
    existing = service.for_message(shared.conversation_id, shared.message_id) if shared else None
    if existing is None:
        try:
            ticket = service.create_ticket(
                current_user, question, route_of(question, exchange), lang=detect_lang(question),
                consent_lang=given.get("lang") if given.get("lang") in consent.TEXT else current_lang(),
                conversation_id=shared.conversation_id if shared else None,
                message_id=shared.message_id if shared else None,
                notify_mode=body["notify"] if body.get("notify") in NOTIFY_MODES else "link",
            )
            db.session.commit()
            return serialize.detail(ticket, staff=False), 201
        except IntegrityError:  # the same message sent twice at once
            db.session.rollback()
            existing = service.for_message(shared.conversation_id, shared.message_id) if shared else None
            if existing is None:
                raise
    # One ticket per message: the one that exists (the requester's own; anyone else learns nothing).
    if existing.owner_id != current_user.id:
        raise TicketError("already_handed_over")
    return serialize.detail(existing, staff=False), 200


@bp.route("/tickets/<ref>", methods=["GET"])
@role_required(*TICKET_USERS)
@bp.doc(**SESSION)
@bp.response(200, schemas.TicketDetail)
@bp.refusals(400, 401, 403, 404)  # 400: a control character in the reference (helpdesk.web.input_guard)
def get_ticket(ref: str):
    """One ticket the caller may see (anything else is a 404); staff get the notes and the history too."""
    ticket = visibility.get_or_404(ref, current_user)
    service.record_view(ticket, current_user, "api")
    db.session.commit()
    return serialize.detail(ticket, staff=_is_staff())


@bp.route("/tickets/<ref>/replies", methods=["POST"])
@role_required(*TICKET_USERS)
@bp.doc(**SESSION_AND_CSRF)
@bp.arguments(schemas.ReplyBody, example={"body": "ご回答ありがとうございます。追加で確認させてください。"})
@bp.response(201, schemas.ReplyAdded)
@bp.refusals(401, 403, 404, 409, 413, 415)
def add_reply(body: dict, ref: str):
    """Staff: a reply the requester sees; the requester: a follow-up message. 409 `closed`."""
    ticket = visibility.get_or_404(ref, current_user)
    add = service.reply if _is_staff() else service.follow_up
    try:
        entry = add(ticket, current_user, body.get("body"))
    except TicketError:
        db.session.rollback()
        raise
    db.session.commit()
    return {"ticket": ticket.ref, "status": ticket.status, "entry": {"id": entry.id, "kind": entry.kind}}
