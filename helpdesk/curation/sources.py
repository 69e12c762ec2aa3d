"""What curators may read of the desk's questions for content work, and how they refer to it.

Curators write FAQ entries: they need the questions people ask the desk, not anyone's case. So they
see only the desk route (closed desk-queue tickets, and chat questions the desk answered itself),
never funding-agency, ministry or emergency cases; always masked (helpdesk.privacy); and referred
to by signed tokens instead of sequential ids, so that a reference can come only from the gap
report and cannot be made up or walked.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_

from helpdesk.accounts.models import User
from helpdesk.accounts.roles import DESK_QUEUE
from helpdesk.answering.models import Message
from helpdesk.extensions import db
from helpdesk.privacy import mask
from helpdesk.tickets import Ticket

_SALT = "curation.source"
MAX_TOKEN_CHARS = 200


def desk_tickets():
    """SQL condition: the tickets curators may use, closed cases of the desk's own queue."""
    return and_(Ticket.queue == DESK_QUEUE, Ticket.status == "closed")


def usable_ticket(ticket: Ticket) -> bool:
    return ticket.queue == DESK_QUEUE and ticket.status == "closed"


def desk_answered(answer: Message) -> bool:
    """Whether the desk answered this chat exchange itself (not forwarded, not an emergency)."""
    return answer.role == "assistant" and (answer.route or {}).get("kind") == "desk"


def identifiers(user: User | None) -> list[str]:
    return [user.display_name, user.email] if user is not None else []


def ticket_text(ticket: Ticket) -> str:
    return mask(ticket.question, identifiers(ticket.owner))


def _asker(message: Message) -> User | None:
    owner_id = message.conversation.user_id
    return db.session.get(User, owner_id) if owner_id else None


def chat_text(question: Message) -> str:
    return mask(question.text, identifiers(_asker(question)))


def feedback_comment(answer: Message) -> str | None:
    """The asker's comment on a desk answer, masked like their question."""
    feedback = answer.feedback
    if feedback is None or not feedback.comment or not desk_answered(answer):
        return None
    return mask(feedback.comment, identifiers(_asker(answer)))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def token_for(kind: str, object_id: int) -> str:
    """The reference the gap report links to: `kind` is "ticket" or "chat" (a user message)."""
    return _serializer().dumps([kind, object_id])


def masked_question(token: object) -> str | None:
    """The masked question behind a token of `token_for`, if its source is one curators may use."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
        return None
    try:
        kind, object_id = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if kind == "ticket":
        ticket = db.session.get(Ticket, object_id)
        return ticket_text(ticket) if ticket and usable_ticket(ticket) else None
    if kind == "chat":
        question = db.session.get(Message, object_id)
        # An exchange is stored question first, its answer right after.
        answer = db.session.get(Message, object_id + 1) if question is not None else None
        if question is None or question.role != "user" or answer is None or \
                answer.conversation_id != question.conversation_id or not desk_answered(answer):
            return None
        return chat_text(question)
    return None
