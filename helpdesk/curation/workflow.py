"""The editorial workflow: draft → in_review → published → archived, every save a revision.

Four-eyes rule: the person who made the latest revision never publishes it. Every function here
adds its change and its audit event to the session; the caller commits both together.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select

from helpdesk.accounts.models import utcnow
from helpdesk.audit import record
from helpdesk.extensions import db

from . import index_state
from .content import Content, ContentError, check_slug
from .errors import CurationError
from .models import FaqEntry, FaqRevision


class WorkflowError(CurationError):
    """A step the entry's state or the user's part in it does not allow."""

    statuses = {"no_revision": 404, "own_change": 403, "archived": 409, "not_draft": 409, "not_in_review": 409,
                "not_archived": 409, "ticket_open": 409, "ticket_linked": 409, "ticket_no_reply": 409}


def _new_slug() -> str:
    return f"entry-{secrets.token_hex(4)}"


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(FaqEntry.id).where(FaqEntry.slug == slug)) is not None


def create_entry(content: Content, author, *, slug: str | None = None, origin: str = "edit",
                 source_ticket_id: int | None = None) -> FaqEntry:
    slug = check_slug(slug) if slug else _new_slug()
    if slug_taken(slug):
        raise ContentError({"slug": [("curation.error.slug_taken", {})]})
    entry = FaqEntry(slug=slug, status="draft", created_by_id=getattr(author, "id", None),
                     source_ticket_id=source_ticket_id)
    db.session.add(entry)
    db.session.flush()
    _add_revision(entry, content, author, origin)
    details: dict[str, object] = {"slug": slug, "origin": origin}
    if source_ticket_id is not None:
        details["ticket_id"] = source_ticket_id
    record("faq.created", "faq_entry", entry.id, details, actor=author)
    return entry


def _add_revision(entry: FaqEntry, content: Content, author, origin: str) -> FaqRevision:
    number = (entry.current.number if entry.current else 0) + 1
    revision = FaqRevision(entry=entry, number=number, author_id=getattr(author, "id", None), origin=origin,
                           **content.as_dict())
    db.session.add(revision)
    db.session.flush()
    entry.current = revision
    entry.updated_at = utcnow()
    return revision


def save(entry: FaqEntry, content: Content, author, origin: str = "edit") -> FaqRevision | None:
    """A new revision with `content`; None when it equals the current one (nothing to record)."""
    if entry.status == "archived":
        raise WorkflowError("curation.error.archived")
    if entry.current is not None and Content.of(entry.current) == content:
        return None
    revision = _add_revision(entry, content, author, origin)
    record("faq.revised", "faq_entry", entry.id, {"revision": revision.number, "origin": origin}, actor=author)
    return revision


def rollback(entry: FaqEntry, number: int, author) -> FaqRevision | None:
    """Restore revision `number`'s content as a new revision (history is never rewritten)."""
    old = next((r for r in entry.revisions if r.number == number), None)
    if old is None:
        raise WorkflowError("curation.error.no_revision")
    if entry.status == "archived":
        raise WorkflowError("curation.error.archived")
    if Content.of(old) == Content.of(entry.current):
        return None
    revision = _add_revision(entry, Content.of(old), author, "rollback")
    record("faq.rolled_back", "faq_entry", entry.id, {"revision": revision.number, "restored": number}, actor=author)
    return revision


def current_revision(entry: FaqEntry) -> FaqRevision:
    """The revision being edited, which every entry has from its creation on."""
    if entry.current is None:
        raise WorkflowError("curation.error.no_revision")
    return entry.current


def submit(entry: FaqEntry, user) -> None:
    if entry.status != "draft":
        raise WorkflowError("curation.error.not_draft")
    entry.status = "in_review"
    record("faq.submitted", "faq_entry", entry.id, {"revision": current_revision(entry).number}, actor=user)


def can_publish(entry: FaqEntry, user) -> bool:
    waiting = entry.status == "in_review" or entry.has_unpublished_changes
    return waiting and entry.current is not None and entry.current.author_id != getattr(user, "id", None)


def publish(entry: FaqEntry, user) -> None:
    """Make the current revision what readers and the chat see; every worker reindexes it."""
    if not (entry.status == "in_review" or entry.has_unpublished_changes):
        raise WorkflowError("curation.error.not_in_review")
    current = current_revision(entry)
    if current.author_id == getattr(user, "id", None):
        raise WorkflowError("curation.error.own_change")
    entry.status = "published"
    entry.published = current
    entry.updated_at = utcnow()
    index_state.bump()
    record("faq.published", "faq_entry", entry.id, {"revision": current.number, "slug": entry.slug},
           actor=user)


def archive(entry: FaqEntry, user) -> None:
    if entry.status == "archived":
        raise WorkflowError("curation.error.archived")
    was_published = entry.status == "published"
    entry.status = "archived"
    entry.updated_at = utcnow()
    if was_published:
        index_state.bump()
    record("faq.archived", "faq_entry", entry.id, {"was_published": was_published}, actor=user)


def reopen(entry: FaqEntry, user) -> None:
    """An archived entry goes back to draft; it needs review again before it is published."""
    if entry.status != "archived":
        raise WorkflowError("curation.error.not_archived")
    entry.status = "draft"
    entry.updated_at = utcnow()
    record("faq.reopened", "faq_entry", entry.id, {}, actor=user)


def set_status_from_import(entry: FaqEntry, status: str) -> None:
    """Files come from version control, reviewed there: their status applies as written."""
    served_before = entry.published if entry.status == "published" else None
    entry.status = status
    if status == "published":
        entry.published = entry.current
    if (entry.current if status == "published" else None) is not served_before:
        entry.updated_at = utcnow()
        index_state.bump()
