"""The published desk FAQ as a document of the docs viewer (`/docs/faq-desk`), like the corpus documents."""
from __future__ import annotations

from helpdesk.web.i18n import t

from . import messages  # noqa: F401  (registers the titles below)
from .models import FaqEntry
from .search_sync import DOC, passage_of, published_entries


def desk_document(entries: list[FaqEntry]) -> dict:
    """A documents.json-shaped record for the desk FAQ."""
    latest = max((e.updated_at for e in entries), default=None)
    return {"id": DOC, "type": "faq", "title": t("docs.faq_desk_title", "ja"),
            "title_en": t("docs.faq_desk_title", "en"), "publisher": t("docs.faq_desk_publisher", "ja"),
            "date": latest.date().isoformat() if latest else "", "url": f"/docs/{DOC}", "source": "desk"}


__all__ = ["DOC", "desk_document", "passage_of", "published_entries"]
