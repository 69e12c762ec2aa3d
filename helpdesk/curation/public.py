"""The published desk FAQ as a document of the docs viewer (`/docs/faq-desk`), like the corpus documents."""
from __future__ import annotations

from helpdesk.i18n import _l, gettext_in

from .models import FaqEntry
from .search_sync import DOC, passage_of, published_entries

TITLE = _l("Desk FAQ (written by the desk)")
PUBLISHER = _l("Research Security Helpdesk")


def desk_document(entries: list[FaqEntry]) -> dict:
    """A documents.json-shaped record for the desk FAQ."""
    latest = max((e.updated_at for e in entries), default=None)
    return {"id": DOC, "type": "faq", "title": gettext_in("ja", TITLE), "title_en": gettext_in("en", TITLE),
            "publisher": gettext_in("ja", PUBLISHER),
            "date": latest.date().isoformat() if latest else "", "url": f"/docs/{DOC}", "source": "desk"}


__all__ = ["DOC", "desk_document", "passage_of", "published_entries"]
