"""The question a ticket is made from: a chat exchange handed over, or a question typed directly.

A handed-over exchange keeps the route the chat already computed for it (the one the researcher
saw); any other text, including an edited question, is classified afresh.

What a ticket shares is what the consent page showed: the question as sent, and, only when it is
the handed-over chat question unchanged, the desk's answer to it. Earlier turns of the conversation
(perhaps routed elsewhere) and a question the researcher edited (perhaps to leave details out) are
never part of it.
"""
from __future__ import annotations

from dataclasses import dataclass

from helpdesk.answering.conversations import find as find_conversation
from helpdesk.answering.conversations import find_for
from helpdesk.answering.language import detect_lang
from helpdesk.answering.models import Message
from helpdesk.answering.service import admission
from helpdesk.triage import classify

from .errors import TicketError
from .models import Ticket


@dataclass(frozen=True)
class Exchange:
    conversation_id: str
    message_id: int
    question: str
    lang: str
    route: dict
    answer: str  # the desk's answer (plain text), shared with the question when it is sent unchanged


def chat_exchange(conversation_id: object, message_id: object, user_id: int | None) -> Exchange:
    """The question answered by assistant message `message_id`, with its route.

    A conversation that belongs to someone else is treated as not found (the chat's own rule).
    """
    conversation = find_for(conversation_id if isinstance(conversation_id, str) else None, user_id)
    if conversation is None:
        raise TicketError("ticket.error.message")
    answer = next((m for m in conversation.messages if m.id == message_id and m.role == "assistant"), None)
    question = _question_before(conversation.messages, answer) if answer else None
    if answer is None or question is None:
        raise TicketError("ticket.error.message")
    return Exchange(conversation.id, answer.id, question.text, question.lang, dict(answer.route or {}),
                    answer.text or "")


def shared_exchange(question: str, exchange: Exchange | None) -> Exchange | None:
    """The handed-over exchange if `question` is its question unchanged (then it goes with the ticket)."""
    return exchange if exchange is not None and exchange.question == question else None


def route_of(question: str, exchange: Exchange | None) -> dict:
    """The route for `question`: the chat's own when it is the handed-over question unchanged."""
    shared = shared_exchange(question, exchange)
    if shared is not None and shared.route:
        return shared.route
    return triaged(question, detect_lang(question))


def triaged(question: str, lang: str) -> dict:
    """A fresh route for `question`. Its query embedding takes the worker's core like an ask's, so it counts
    in the worker's admission as one (a ticket is never refused for it)."""
    with admission().occupy():
        return classify(question, lang).to_dict()


def _question_before(messages: list[Message], answer: Message) -> Message | None:
    asked = [m for m in messages if m.role == "user" and m.id < answer.id]
    return asked[-1] if asked else None


def conversation_excerpt(ticket: Ticket) -> list[Message]:
    """For staff: the handed-over question and the desk's answer to it, nothing else of the conversation
    (empty when the ticket's question is not that question unchanged)."""
    if not ticket.conversation_id or ticket.message_id is None:
        return []
    conversation = find_conversation(ticket.conversation_id)
    answer = next((m for m in conversation.messages if m.id == ticket.message_id), None) if conversation else None
    if conversation is None or answer is None or answer.role != "assistant":
        return []
    question = _question_before(conversation.messages, answer)
    if question is None or question.text != ticket.question:
        return []
    return [question, answer]
