"""Desk FAQ entries, their revisions, and the search-index version shared by all workers."""
from __future__ import annotations

from helpdesk.accounts.models import utcnow
from helpdesk.extensions import db

STATUSES = ("draft", "in_review", "published", "archived")
LANGS = ("ja", "en")


class FaqEntry(db.Model):
    """One desk FAQ entry. Its content lives in revisions: `current` is being edited,
    `published_revision` is what readers, the docs viewer and the chat see."""

    __tablename__ = "faq_entry"
    __table_args__ = (db.CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="status"),)

    id = db.Column(db.Integer, primary_key=True)
    # The slug names the entry in citations (`faq-desk/<slug>`), so it never changes once created.
    slug = db.Column(db.String(80), nullable=False, unique=True)
    status = db.Column(db.String(16), nullable=False, default="draft")
    current_revision_id = db.Column(db.Integer, db.ForeignKey("faq_revision.id", use_alter=True))
    published_revision_id = db.Column(db.Integer, db.ForeignKey("faq_revision.id", use_alter=True))
    # The closed ticket an entry was drafted from (staff see the link both ways).
    source_ticket_id = db.Column(db.Integer, db.ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    current = db.relationship("FaqRevision", foreign_keys=[current_revision_id], post_update=True)
    published = db.relationship("FaqRevision", foreign_keys=[published_revision_id], post_update=True)
    revisions = db.relationship(
        "FaqRevision", foreign_keys="FaqRevision.entry_id", back_populates="entry",
        order_by="FaqRevision.number", cascade="all, delete-orphan",
    )

    @property
    def has_unpublished_changes(self) -> bool:
        return self.status == "published" and self.current_revision_id != self.published_revision_id


class FaqRevision(db.Model):
    """A full copy of an entry's content as saved once (never edited afterwards)."""

    __tablename__ = "faq_revision"
    __table_args__ = (db.UniqueConstraint("entry_id", "number", name="entry_number"),)

    id = db.Column(db.Integer, primary_key=True)
    entry_id = db.Column(db.Integer, db.ForeignKey("faq_entry.id", ondelete="CASCADE"), nullable=False, index=True)
    number = db.Column(db.Integer, nullable=False)  # 1, 2, … within the entry
    author_id = db.Column(db.Integer, db.ForeignKey("user_account.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Why the revision exists: "edit", "rollback", "import", "seed" (the desk's shipped content), "ticket", "gap".
    origin = db.Column(db.String(16), nullable=False, default="edit")
    # The entry in `lang`: Japanese, or English for an entry written only in English.
    question = db.Column(db.Text, nullable=False)
    alternatives = db.Column(db.JSON, nullable=False, default=list)
    answer = db.Column(db.Text, nullable=False)  # Markdown
    related = db.Column(db.JSON, nullable=False, default=list)  # corpus passage ids
    tags = db.Column(db.JSON, nullable=False, default=list)
    lang = db.Column(db.String(2), nullable=False, default="ja")
    # The English version of a Japanese entry (None when there is none, and always for lang "en").
    question_en = db.Column(db.Text)
    alternatives_en = db.Column(db.JSON)
    answer_en = db.Column(db.Text)  # Markdown

    entry = db.relationship("FaqEntry", foreign_keys=[entry_id], back_populates="revisions")
    author = db.relationship("User")


class SearchIndexState(db.Model):
    """One row: a counter bumped in the same transaction as every change to published entries.

    Each worker process compares it with the value it last synced (one cheap query per request)
    and, when it moved, applies the change to its own in-memory index.
    """

    __tablename__ = "search_index_state"

    id = db.Column(db.Integer, primary_key=True)
    epoch = db.Column(db.String(32), nullable=False)  # random per database, set by the migration
    version = db.Column(db.Integer, nullable=False, default=0)
