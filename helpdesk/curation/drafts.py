"""FAQ drafts started from what the desk has learnt: a closed ticket, or a group of chat questions."""
from __future__ import annotations

from sqlalchemy import select

from helpdesk.corpus import load_corpus
from helpdesk.extensions import db
from helpdesk.privacy import mask
from helpdesk.tickets import Ticket

from . import sources, workflow
from .content import MAX_ALTERNATIVES, check_content
from .models import FaqEntry


def entry_for_ticket(ticket_id: int) -> FaqEntry | None:
    return db.session.scalar(select(FaqEntry).where(FaqEntry.source_ticket_id == ticket_id))


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
    known = sources.identifiers(ticket.owner)
    corpus = load_corpus()
    content = check_content(
        question=sources.ticket_text(ticket), alternatives=[], answer=mask("\n\n".join(replies), known),
        related=[pid for pid in ticket.route_cites or [] if corpus.get(pid) is not None], tags=[],
        lang=ticket.lang if ticket.lang in ("ja", "en") else "ja", corpus=corpus,
    )
    return workflow.create_entry(content, curator, origin="ticket", source_ticket_id=ticket.id)


def prefill_from_sources(tokens: list[str]) -> dict:
    """Editor fields for a gap group: the first question, the others as alternative phrasings.

    `tokens` are the gap report's signed references (sources.token_for); a forged one, or one whose
    source curators may not use (any more), is skipped. Nothing is stored: the curator writes the
    answer and saves.
    """
    questions: list[str] = []
    for token in tokens[: MAX_ALTERNATIVES + 1]:
        masked = sources.masked_question(token)
        if masked is not None and masked not in questions:
            questions.append(masked)
    return {"question": questions[0] if questions else "", "alternatives": "\n".join(questions[1:])}
