"""The question a ticket is made from: a chat exchange handed over, or a question typed directly.

A handed-over exchange keeps the route the chat already computed for it (the one the researcher
saw); any other text, including an edited question, is classified afresh.
"""
from __future__ import annotations

from dataclasses import dataclass

from helpdesk.answering.conversations import find as find_conversation
from helpdesk.answering.conversations import find_for
from helpdesk.answering.language import detect_lang
from helpdesk.answering.models import Message
from helpdesk.triage import classify

from .errors import TicketError


@dataclass(frozen=True)
class Exchange:
    conversation_id: str
    message_id: int
    question: str
    lang: str
    route: dict


def chat_exchange(conversation_id: object, message_id: object, user_id: int | None) -> Exchange:
    """The question answered by assistant message `message_id`, with its route.

    A conversation that belongs to someone else is treated as not found (the chat's own rule).
    """
    conversation = find_for(conversation_id if isinstance(conversation_id, str) else None, user_id)
    if conversation is None:
        raise TicketError("ticket.error.message")
    answer = next((m for m in conversation.messages if m.id == message_id and m.role == "assistant"), None)
    question = _question_before(conversation.messages, answer) if answer else None
    if question is None:
        raise TicketError("ticket.error.message")
    return Exchange(conversation.id, answer.id, question.text, question.lang, dict(answer.route or {}))


def route_of(question: str, exchange: Exchange | None) -> dict:
    """The route for `question`: the chat's own when it is the handed-over question unchanged."""
    if exchange is not None and exchange.question == question and exchange.route:
        return exchange.route
    return classify(question, detect_lang(question)).to_dict()


def _question_before(messages: list[Message], answer: Message) -> Message | None:
    asked = [m for m in messages if m.role == "user" and m.id < answer.id]
    return asked[-1] if asked else None


def conversation_excerpt(ticket) -> list[Message]:
    """The chat messages up to the one handed over (for staff: what the researcher was already told)."""
    if not ticket.conversation_id:
        return []
    conversation = find_conversation(ticket.conversation_id)
    if conversation is None:
        return []
    return [m for m in conversation.messages if ticket.message_id is None or m.id <= ticket.message_id]
