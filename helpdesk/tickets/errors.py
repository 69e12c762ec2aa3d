"""Ticket errors (helpdesk.errors.HelpdeskError): shown in the reader's language by the web and the API."""
from __future__ import annotations

from helpdesk.errors import HelpdeskError
from helpdesk.i18n import _l

from .labels import status_label

TEXTS = {
    "transition": _l("A ticket that is {current} cannot become {target}. Possible next states: {allowed}"),
    "no_reply": _l("Send the requester a reply before marking the ticket answered."),
    "closed": _l("This ticket is closed. Please send a new question instead."),
    "empty": _l("Please type a message."),
    "too_long": _l("This is too long (at most {limit} characters)."),
    "queue": _l("The new queue must be one of: {queues}"),
    "same_queue": _l("The ticket is already in this queue."),
    "reason": _l("Please give the reason for rerouting."),
    "consent_required": _l("To send the question, please give both the consent and the declaration."),
    "consent_version": _l("The consent wording you agreed to is not the current one (current: {version})."),
    "contact": _l("Please give an e-mail address or a phone number to reach you."),
    "claimed": _l("This ticket has already been added to an account."),
    "bad_status": _l("status must be one of: {statuses}"),
    "already_handed_over": _l("This message has already been handed over."),
    "message": _l("The conversation or message to hand over was not found."),
}


class TicketError(HelpdeskError):
    prefix = "ticket.error."
    texts = TEXTS
    statuses = {"message": 404, "closed": 409, "already_handed_over": 409}

    def shown_params(self, lang: str | None) -> dict:
        # Ticket states are named in words of the reader's language, never as codes.
        return {key: _status_words(value, lang) if key in STATUS_PARAMS else value
                for key, value in self.params.items()}


STATUS_PARAMS = ("current", "target", "allowed")


def _status_words(value, lang: str | None) -> str:
    states = value if isinstance(value, (list, tuple)) else [value]
    return ", ".join(status_label(s, lang) for s in states) or "—"
