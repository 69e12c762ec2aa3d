"""Looking up and extending stored conversations."""
from __future__ import annotations

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
    )
    conversation.messages.append(reply)
    return reply
