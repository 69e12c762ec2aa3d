"""Emergencies first: what the guideline says to do, and a report that needs no account.

The guidance quotes the guideline's emergency-contact provisions (緊急事態が発生した際の連絡・対応体制):
I 3-2 (5) for funding agencies and I 3-3 (5) for research institutions, sentence by sentence from
the corpus, so that nothing else of those passages (such as the application restrictions after
improper receipt of funds) is quoted with them.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from helpdesk.corpus import load_corpus

from . import service
from .errors import TicketError
from .handoff import Exchange, triaged

CONTACT_PASSAGES = ("guideline/I-3-3-3", "guideline/I-3-2-3")  # the institution's duty first: that is who acts now
TOPIC = "緊急"
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[^@\s<>\"']{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-‐]{5,30}$")
MAX_CONTACT_CHARS = 254

# The consent of a no-login report: one box, worded after the guideline's 本人の同意 and kept apart from
# the ticket consent (helpdesk.tickets.consent), with its own version and hash in every consent record.
VERSION = "emergency-2026-12"
TEXT = {
    "ja": "緊急事態への対応のため、報告内容と連絡先を相談窓口に提供し、必要な範囲で資金配分機関及び内閣府と"
          "直ちに共有されることに同意します。報告内容は私の知る限り事実です。",
    "en": "For the emergency response, I provide this report and my contact details to the desk and agree that they "
          "are shared at once with the funding agency and the Cabinet Office, only as far as needed. To the best "
          "of my knowledge the report is true.",
}
TEXT_HASH = hashlib.sha256(json.dumps({"version": VERSION, "text": TEXT}, ensure_ascii=False,
                                      sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class GuidelineQuote:
    passage_id: str
    heading: str
    sentences: tuple[str, ...]

    @property
    def url(self) -> str:
        doc, _, _ = self.passage_id.partition("/")
        return f"/docs/{doc}#{self.passage_id}"


def guidance() -> list[GuidelineQuote]:
    """The emergency-contact provisions, each with the sentences of its `(5)` item only."""
    corpus = load_corpus()
    quotes = []
    for passage_id in CONTACT_PASSAGES:
        passage = corpus.get(passage_id)
        if passage is None:
            continue
        sentences = tuple(line.strip() for line in passage.text.splitlines() if TOPIC in line)
        if sentences:
            # The item sits inside the passage's last heading; the section above says whose duty it is.
            crumbs = passage.title.split(" > ")
            quotes.append(GuidelineQuote(passage_id, crumbs[-2] if len(crumbs) > 1 else passage.title, sentences))
    return quotes


def parse_contact(raw: object) -> tuple[str | None, str | None]:
    """(email, phone) from what the reporter typed; TicketError when it is neither."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise TicketError("ticket.error.contact")
    if len(text) > MAX_CONTACT_CHARS:
        raise TicketError("ticket.error.too_long", limit=MAX_CONTACT_CHARS)
    if _EMAIL.match(text):
        return text, None
    if _PHONE.match(text) and sum(ch.isdigit() for ch in text) >= 6:
        return None, text
    raise TicketError("ticket.error.contact")


def report(what: str, contact: str, *, lang: str, owner=None, exchange: Exchange | None = None,
           max_chars: int) -> tuple[object, bool]:
    """An urgent ticket in the emergency queue (notifications queued; the caller commits).

    Returns (ticket, created): a chat message already reported gives its ticket back, unchanged.
    """
    existing = service.for_message(exchange.conversation_id, exchange.message_id) if exchange else None
    if existing is not None:
        return existing, False
    text = service.clean_text(what, max_chars)
    email, phone = parse_contact(contact)
    route = dict(exchange.route) if exchange and exchange.question == text and exchange.route else triaged(text, lang)
    # Whatever triage thought, the reporter chose the emergency line: keep the programme it found.
    route = {**route, "kind": "emergency", "queue": "emergency"}
    ticket = service.create_ticket(
        owner, text, route, lang=lang, consent_lang=lang, contact_email=email, contact_phone=phone,
        conversation_id=exchange.conversation_id if exchange else None,
        message_id=exchange.message_id if exchange else None,
        consent=(VERSION, TEXT_HASH),
    )
    return ticket, True
