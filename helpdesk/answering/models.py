"""Conversations and their messages, kept so that staff can review what was asked and answered."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import Model
from . import markup


def _now() -> datetime:
    return datetime.now(UTC)


def new_conversation_id() -> str:
    # Random and unguessable: the id is what lets a browser or API client continue a conversation.
    return secrets.token_urlsafe(24)


class Conversation(Model):
    __tablename__ = "conversation"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_conversation_id)
    lang: Mapped[str] = mapped_column(String(2), default="ja")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # Owner when asked while logged in. A plain integer (no FK) so this area does not depend on the
    # accounts schema; it holds the accounts area's user id.
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation",
        order_by="Message.id",
        cascade="all, delete-orphan",
    )


class Message(Model):
    __tablename__ = "message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))  # "user" | "assistant"
    lang: Mapped[str] = mapped_column(String(2), default="ja")
    # The question as typed. An answer's plain text is not stored (NULL): it is derived from its Markdown
    # when someone reads it (`text`), not rendered on every ask. Answers stored before keep theirs.
    stored_text: Mapped[str | None] = mapped_column("text", Text)
    answer_markdown: Mapped[str | None] = mapped_column(Text)
    answerable: Mapped[bool | None] = mapped_column(Boolean)
    confidence: Mapped[float | None] = mapped_column(Float)
    route: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sources: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # [{id, score}] as cited
    handoff: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The published desk FAQ entry (passage id `faq-desk/<slug>`) whose answer led this reply, if any:
    # curation counts how often each entry answered and how often a handoff followed.
    faq_entry: Mapped[str | None] = mapped_column(String(160), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    feedback: Mapped[AnswerFeedback | None] = relationship(back_populates="message", cascade="all, delete-orphan",
                                                           passive_deletes=True)

    @hybrid_property
    def text(self) -> str:
        """The question as typed, or the answer as plain text (for staff review, handoffs and search)."""
        if self.stored_text is not None:
            return self.stored_text
        return markup.to_text(self.answer_markdown or "")

    @text.inplace.setter
    def _text_setter(self, value: str) -> None:
        self.stored_text = value

    @text.inplace.expression
    @classmethod
    def _text_expression(cls) -> ColumnElement[str]:
        # In SQL (searching stored text), an answer's words are those of its Markdown.
        return func.coalesce(cls.stored_text, cls.answer_markdown)


class AnswerFeedback(Model):
    """The asker's verdict on one answer: helpful or not, with an optional short comment.

    One row per assistant message (the conversation is the message's), replaced when the asker
    changes their mind; curators read it (masked) in the gap report, staff as counts on dashboards.
    """

    __tablename__ = "answer_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(Integer, ForeignKey("message.id", ondelete="CASCADE"), unique=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(Integer)  # accounts user id when given while logged in (no FK)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    message: Mapped[Message] = relationship(back_populates="feedback")
