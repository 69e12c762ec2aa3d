"""FAQ drafts started from what the desk has learnt: a closed ticket, or a group of chat questions."""
from __future__ import annotations

from sqlalchemy import select

from helpdesk.accounts.models import User
from helpdesk.answering.models import Message
from helpdesk.corpus import load_corpus
from helpdesk.extensions import db
from helpdesk.tickets import Ticket

from . import workflow
from .content import MAX_ALTERNATIVES, check_content
from .masking import mask
from .models import FaqEntry


def entry_for_ticket(ticket_id: int) -> FaqEntry | None:
    return db.session.scalar(select(FaqEntry).where(FaqEntry.source_ticket_id == ticket_id))


def _identifiers(user: User | None) -> list[str]:
    return [user.display_name, user.email] if user is not None else []


def draft_from_ticket(ticket: Ticket, curator) -> FaqEntry:
    """A draft entry from a closed ticket: its question and staff replies with personal details masked.

    Raises workflow.WorkflowError when the ticket is open, has no reply, or already has an entry.
    """
    if not ticket.is_closed:
        raise workflow.WorkflowError("curation.error.ticket_open")
    if entry_for_ticket(ticket.id) is not None:
        raise workflow.WorkflowError("curation.error.ticket_linked")
    replies = [entry.body for entry in ticket.staff_replies]
    if not replies:
        raise workflow.WorkflowError("curation.error.ticket_no_reply")
    known = _identifiers(ticket.owner)
    corpus = load_corpus()
    content = check_content(
        question=mask(ticket.question, known), alternatives=[], answer=mask("\n\n".join(replies), known),
        related=[pid for pid in ticket.route_cites or [] if corpus.get(pid) is not None], tags=[],
        lang=ticket.lang if ticket.lang in ("ja", "en") else "ja", corpus=corpus,
    )
    return workflow.create_entry(content, curator, origin="ticket", source_ticket_id=ticket.id)


def prefill_from_sources(refs: list[str]) -> dict:
    """Editor fields for a gap group: the first question, the others as alternative phrasings.

    `refs` are `chat:<message id>` / `ticket:<id>` (as the gap report links them); unknown refs are
    skipped. Nothing is stored: the curator writes the answer and saves.
    """
    questions: list[str] = []
    for ref in refs[: MAX_ALTERNATIVES + 1]:
        kind, _, raw_id = ref.partition(":")
        if not raw_id.isdigit():
            continue
        if kind == "chat":
            message = db.session.get(Message, int(raw_id))
            if message is None or message.role != "user":
                continue
            owner_id = message.conversation.user_id
            text, known = message.text, _identifiers(db.session.get(User, owner_id) if owner_id else None)
        elif kind == "ticket":
            ticket = db.session.get(Ticket, int(raw_id))
            if ticket is None:
                continue
            text, known = ticket.question, _identifiers(ticket.owner)
        else:
            continue
        masked = mask(text, known)
        if masked not in questions:
            questions.append(masked)
    return {"question": questions[0] if questions else "", "alternatives": "\n".join(questions[1:])}

