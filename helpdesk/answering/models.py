"""Conversations and their messages, kept so that staff can review what was asked and answered."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime

from ..extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


def new_conversation_id() -> str:
    # Random and unguessable: the id is what lets a browser or API client continue a conversation.
    return secrets.token_urlsafe(24)


class Conversation(db.Model):
    __tablename__ = "conversation"

    id = db.Column(db.String(64), primary_key=True, default=new_conversation_id)
    lang = db.Column(db.String(2), nullable=False, default="ja")
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now)
    # Owner when asked while logged in. A plain integer (no FK) so this area does not depend on the
    # accounts schema; it holds the accounts area's user id.
    user_id = db.Column(db.Integer, nullable=True, index=True)

    messages = db.relationship(
        "Message",
        back_populates="conversation",
        order_by="Message.id",
        cascade="all, delete-orphan",
    )


class Message(db.Model):
    __tablename__ = "message"

    id = db.Column(db.Integer, primary_key=True)
    conversation_id = db.Column(
        db.String(64), db.ForeignKey("conversation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role = db.Column(db.String(16), nullable=False)  # "user" | "assistant"
    lang = db.Column(db.String(2), nullable=False, default="ja")
    text = db.Column(db.Text, nullable=False)  # the question as typed, or the plain answer text
    answer_markdown = db.Column(db.Text, nullable=True)
    answerable = db.Column(db.Boolean, nullable=True)
    confidence = db.Column(db.Float, nullable=True)
    route = db.Column(db.JSON, nullable=True)
    sources = db.Column(db.JSON, nullable=True)  # [{id, score}] as cited
    handoff = db.Column(db.JSON, nullable=True)
    # The published desk FAQ entry (passage id `faq-desk/<slug>`) whose answer led this reply, if any:
    # curation counts how often each entry answered and how often a handoff followed.
    faq_entry = db.Column(db.String(160), nullable=True, index=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now)

    conversation = db.relationship("Conversation", back_populates="messages")
    feedback = db.relationship("AnswerFeedback", back_populates="message", uselist=False,
                               cascade="all, delete-orphan", passive_deletes=True)


class AnswerFeedback(db.Model):
    """The asker's verdict on one answer: helpful or not, with an optional short comment.

    One row per assistant message (the conversation is the message's), replaced when the asker
    changes their mind; curators read it (masked) in the gap report, staff as counts on dashboards.
    """

    __tablename__ = "answer_feedback"

    id = db.Column(db.Integer, primary_key=True)
    message_id = db.Column(db.Integer, db.ForeignKey("message.id", ondelete="CASCADE"), nullable=False,
                           unique=True)
    helpful = db.Column(db.Boolean, nullable=False)
    comment = db.Column(db.Text, nullable=True)
    user_id = db.Column(db.Integer, nullable=True)  # accounts user id when given while logged in (no FK)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now)
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now)

    message = db.relationship("Message", back_populates="feedback")
