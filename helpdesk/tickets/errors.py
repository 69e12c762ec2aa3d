"""Ticket errors carry a message code, so the web shows them in the user's language and APIs in English."""
from __future__ import annotations

from helpdesk.i18n import _l, gettext_in

from .labels import status_label

TEXTS = {
    "ticket.error.transition": _l("A ticket that is {current} cannot become {target}. Possible next states: {allowed}"),
    "ticket.error.no_reply": _l("Send the requester a reply before marking the ticket answered."),
    "ticket.error.closed": _l("This ticket is closed. Please send a new question instead."),
    "ticket.error.empty": _l("Please type a message."),
    "ticket.error.too_long": _l("This is too long (at most {limit} characters)."),
    "ticket.error.queue": _l("The new queue must be one of: {queues}"),
    "ticket.error.same_queue": _l("The ticket is already in this queue."),
    "ticket.error.reason": _l("Please give the reason for rerouting."),
    "ticket.error.consent": _l("To send the question, please give both the consent and the declaration."),
    "ticket.error.consent_version": _l("The consent wording you agreed to is not the current one (current: "
                                       "{version})."),
    "ticket.error.contact": _l("Please give an e-mail address or a phone number to reach you."),
    "ticket.error.claimed": _l("This ticket has already been added to an account."),
    "ticket.error.message": _l("The conversation or message to hand over was not found."),
}


class TicketError(ValueError):
    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    @property
    def code(self) -> str:
        return self.key.rsplit(".", 1)[-1]

    def message(self, lang: str | None = None) -> str:
        # Ticket states are named in words of the reader's language, never as codes.
        shown = {key: _status_words(value, lang) if key in STATUS_PARAMS else value
                 for key, value in self.params.items()}
        return gettext_in(lang, TEXTS[self.key], **shown)


STATUS_PARAMS = ("current", "target", "allowed")


def _status_words(value, lang: str | None) -> str:
    states = value if isinstance(value, (list, tuple)) else [value]
    return ", ".join(status_label(s, lang) for s in states) or "—"
