"""Mails in their recipient's language: subject and body are catalogue messages (helpdesk.i18n), rendered
under that language's locale whatever the language of the request that causes them."""
from __future__ import annotations

from flask_babel import force_locale

from helpdesk.i18n import DEFAULT_LANG, LANGS

from .models import OutboxMessage
from .outbox import enqueue


def enqueue_in(lang: str | None, to: str, subject, body, *, kind: str, ticket_ref: str | None = None,
               **values) -> OutboxMessage:
    """`enqueue` the lazy messages `subject` and `body`, `str.format`ted with `values` (lazy ones too) in `lang`."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    with force_locale(lang):
        subject_text, body_text = (str(message).format(**values) for message in (subject, body))
    return enqueue(to, subject_text, body_text, lang=lang, kind=kind, ticket_ref=ticket_ref)
