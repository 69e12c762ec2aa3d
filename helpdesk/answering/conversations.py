"""Looking up and extending stored conversations."""
from __future__ import annotations

from typing import cast

from sqlalchemy import Table, func, insert, select

from ..extensions import db
from .answerer import Answer
from .models import Conversation, Message, new_conversation_id

# Built once: an ask runs them on the session's connection, with no ORM statement to prepare.
_NEW_CONVERSATION = insert(cast(Table, Conversation.__table__))
_NEW_MESSAGE = insert(cast(Table, Message.__table__))
_NEW_ANSWER = _NEW_MESSAGE.returning(Message.__table__.c.id)


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


def add_exchange(conversation: Conversation | None, question: str, lang: str, answer: Answer,
                 user_id: int | None) -> tuple[str, int]:
    """Store the question and its answer, in a new conversation of `user_id`'s when `conversation` is None;
    returns (conversation id, the assistant message's id).

    Plain INSERTs in the caller's transaction: an ask writes up to three new rows and reads none of them
    back, so the ORM's unit of work (which cost more CPU than writing them) has nothing to do. The
    answer's plain text is not stored: `Message.text` derives it when someone reads it.
    """
    connection = db.session.connection()
    if conversation is None:
        conversation_id = new_conversation_id()
        connection.execute(_NEW_CONVERSATION, {"id": conversation_id, "lang": lang, "user_id": user_id})
    else:
        conversation_id = conversation.id
    connection.execute(_NEW_MESSAGE, {"conversation_id": conversation_id, "role": "user", "lang": lang,
                                      "text": question})
    return conversation_id, connection.execute(_NEW_ANSWER, {
        "conversation_id": conversation_id,
        "role": "assistant",
        "lang": lang,
        "answer_markdown": answer.markdown,
        "answerable": answer.answerable,
        "confidence": answer.confidence,
        "route": answer.route,
        "sources": answer.sources,
        "handoff": answer.handoff,
        "faq_entry": answer.led_by,
    }).scalar_one()


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
