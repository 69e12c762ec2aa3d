"""Words for ticket states, in the reader's language (catalogue messages)."""
from __future__ import annotations

from helpdesk.i18n import _l, gettext_in

STATUS = {
    "new": _l("New"),
    "in_progress": _l("In progress"),
    "waiting": _l("Waiting for the requester"),
    "answered": _l("Answered"),
    "closed": _l("Closed"),
}


def status_label(status: str, lang: str | None = None) -> str:
    return gettext_in(lang, STATUS[status])

