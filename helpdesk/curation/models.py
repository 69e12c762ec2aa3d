"""Desk FAQ entries, their revisions, and the search-index version shared by all workers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.accounts.models import User, utcnow
from helpdesk.extensions import Model

STATUSES = ("draft", "in_review", "published", "archived")
LANGS = ("ja", "en")


class FaqEntry(Model):
    """One desk FAQ entry. Its content lives in revisions: `current` is being edited,
    `published_revision` is what readers, the docs viewer and the chat see."""

    __tablename__ = "faq_entry"
    __table_args__ = (CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The slug names the entry in citations (`faq-desk/<slug>`), so it never changes once created.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    current_revision_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("faq_revision.id", use_alter=True))
    published_revision_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("faq_revision.id", use_alter=True))
    # The closed ticket an entry was drafted from (staff see the link both ways).
    source_ticket_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("ticket.id", ondelete="SET NULL"),
                                                         index=True)
    created_by_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    current: Mapped[FaqRevision | None] = relationship(foreign_keys=[current_revision_id], post_update=True)
    published: Mapped[FaqRevision | None] = relationship(foreign_keys=[published_revision_id], post_update=True)
    revisions: Mapped[list[FaqRevision]] = relationship(
        foreign_keys="FaqRevision.entry_id", back_populates="entry",
        order_by="FaqRevision.number", cascade="all, delete-orphan",
    )

    @property
    def has_unpublished_changes(self) -> bool:
        return self.status == "published" and self.current_revision_id != self.published_revision_id


class FaqRevision(Model):
    """A full copy of an entry's content as saved once (never edited afterwards)."""

    __tablename__ = "faq_revision"
    __table_args__ = (UniqueConstraint("entry_id", "number", name="entry_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(Integer, ForeignKey("faq_entry.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the entry
    author_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Why the revision exists: "edit", "rollback", "import", "seed" (the desk's shipped content), "ticket", "gap".
    origin: Mapped[str] = mapped_column(String(16), default="edit")
    # The entry in `lang`: Japanese, or English for an entry written only in English.
    question: Mapped[str] = mapped_column(Text)
    alternatives: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)  # Markdown
    related: Mapped[list[str]] = mapped_column(JSON, default=list)  # corpus passage ids
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    lang: Mapped[str] = mapped_column(String(2), default="ja")
    # The English version of a Japanese entry (None when there is none, and always for lang "en").
    question_en: Mapped[str | None] = mapped_column(Text)
    alternatives_en: Mapped[list[str] | None] = mapped_column(JSON)
    answer_en: Mapped[str | None] = mapped_column(Text)  # Markdown

    entry: Mapped[FaqEntry] = relationship(foreign_keys=[entry_id], back_populates="revisions")
    author: Mapped[User | None] = relationship()


class SearchIndexState(Model):
    """One row: a counter bumped in the same transaction as every change to published entries.

    Each worker process compares it with the value it last synced (one cheap query per request)
    and, when it moved, applies the change to its own in-memory index.
    """

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[str] = mapped_column(String(32))  # random per database, set by the migration
    version: Mapped[int] = mapped_column(Integer, default=0)
