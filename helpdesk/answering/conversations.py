"""Looking up and extending stored conversations."""
from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from . import markup
from .answerer import Answer
from .models import Conversation, Message


def find(conversation_id: str | None) -> Conversation | None:
    if not conversation_id or not isinstance(conversation_id, str) or len(conversation_id) > 64:
        return None
    return db.session.get(Conversation, conversation_id)


def find_for(conversation_id: str | None, user_id: int | None) -> Conversation | None:
    """The conversation if `user_id` may see it: anonymous ones by id, owned ones by their owner only."""
    conversation = find(conversation_id)
    if conversation is None or (conversation.user_id is not None and conversation.user_id != user_id):
        return None
    return conversation


def last_question(conversation: Conversation | None) -> str | None:
    """The user's latest question in `conversation`, if any."""
    if conversation is None:
        return None
    return next((m.text for m in reversed(conversation.messages) if m.role == "user"), None)


def start(lang: str, user_id: int | None) -> Conversation:
    conversation = Conversation(lang=lang, user_id=user_id)
    db.session.add(conversation)
    return conversation


def add_exchange(conversation: Conversation, question: str, lang: str, answer: Answer) -> Message:
    """Store the question and its answer; returns the assistant message."""
    conversation.messages.append(Message(role="user", lang=lang, text=question))
    reply = Message(
        role="assistant",
        lang=lang,
        text=markup.to_text(answer.markdown),
        answer_markdown=answer.markdown,
        answerable=answer.answerable,
        confidence=answer.confidence,
        route=answer.route,
        sources=answer.sources,
        handoff=answer.handoff,
        faq_entry=answer.led_by,
    )
    conversation.messages.append(reply)
    return reply


def desk_entry_usage() -> dict[str, tuple[int, int]]:
    """Per desk FAQ passage id: how many answers it led, and how many of those a handoff ticket followed."""
    from ..tickets.models import Ticket  # tickets build on conversations, not the other way round

    rows = db.session.execute(
        select(Message.faq_entry, func.count(func.distinct(Message.id)), func.count(func.distinct(Ticket.id)))
        .outerjoin(Ticket, Ticket.message_id == Message.id)
        .where(Message.faq_entry.is_not(None))
        .group_by(Message.faq_entry)
    )
    return {entry: (answered, handed_off) for entry, answered, handed_off in rows if entry is not None}
