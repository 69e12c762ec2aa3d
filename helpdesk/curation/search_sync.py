"""Published desk FAQ entries in the live search index, in every worker process.

Publishing or archiving bumps the shared index version (see index_state). Each process remembers,
per search service, the (epoch, version) it last applied and the passages it put in; a
before_request hook compares that with the database and applies only the difference through the
search service's upsert/remove, so no restart and no rebuild is needed.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from flask import request
from flask.sansio.app import App
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpdesk.corpus import Passage, PassageTranslation, source_hash
from helpdesk.extensions import db
from helpdesk.readiness import DATABASE_UNAVAILABLE

from . import index_state
from .content import Content
from .markup import plain_text
from .models import FaqEntry

DOC = "faq-desk"
TITLE_PREFIX = "窓口FAQ"
_ALSO_ASKED = {"ja": "別の聞き方", "en": "Also asked"}


def passage_id(slug: str) -> str:
    return f"{DOC}/{slug}"


def _heading(lang: str, alternatives) -> str:
    return f"{_ALSO_ASKED[lang]}: {' / '.join(alternatives)}" if alternatives else ""


def _text(question: str, alternatives, answer: str) -> str:
    return "\n".join([*(f"Q: {q}" for q in (question, *alternatives)), f"A: {answer}"])


def passage_of(entry: FaqEntry) -> Passage:
    """The entry's published revision as a corpus-shaped passage (type `faq`).

    The main fields are the entry in its own language (Japanese, or English for an English-only
    entry); `en` carries the English version, as corpus passages carry their translation. The
    English phrasings are also `alternatives`, so that they count among the questions the entry
    is known to answer.
    """
    content = Content.of(entry.published)
    main = content.main
    answer = plain_text(main.answer)
    text = _text(main.question, main.alternatives, answer)
    english = content.version("en")
    translation = None
    alternatives = main.alternatives
    if english is not None:
        answer_en = plain_text(english.answer)
        translation = PassageTranslation(
            heading=_heading("en", english.alternatives), text=_text(english.question, english.alternatives, answer_en),
            source_sha256=source_hash(text), question=english.question, answer=answer_en,
        )
        if content.lang != "en":
            alternatives = (*main.alternatives, english.question, *english.alternatives)
    # Alternative phrasings sit in the text and, as the heading, in BM25's text; search also embeds them as
    # questions the entry is known to answer (search/passage_text.py).
    return Passage(
        id=passage_id(entry.slug), doc=DOC, type="faq", title=f"{TITLE_PREFIX} > {main.question}",
        heading=_heading(content.lang, main.alternatives), text=text, lines=(0, 0), order=entry.id,
        question=main.question, answer=answer, alternatives=alternatives, related=content.related, en=translation,
    )


def published_entries() -> list[FaqEntry]:
    return list(db.session.scalars(
        select(FaqEntry).where(FaqEntry.status == "published").options(selectinload(FaqEntry.published))
        .order_by(FaqEntry.id)
    ))


@dataclass
class _Applied:
    """What one search service holds of the desk FAQ."""

    marker: tuple[str, int] | None = None
    passages: dict[str, Passage] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_applied: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_applied_lock = threading.Lock()


def _state_of(service) -> _Applied:
    with _applied_lock:
        return _applied.setdefault(service, _Applied())


def applied(service) -> tuple[tuple[str, int] | None, tuple[Passage, ...]]:
    """(marker, passages) of the desk FAQ that `service` holds in this process; the marker changes
    with every applied change, so caches derived from the live index can key on it."""
    state = _state_of(service)
    with state.lock:
        return state.marker, tuple(state.passages.values())


def sync(service=None) -> bool:
    """Bring `service` (default: the app's) up to the published entries; True if anything was applied.

    Until something is published, the search service is not even loaded for this check, so pages
    that never search (login, admin) do not pay for the model.
    """
    marker = index_state.current()
    if service is None:
        if marker[1] == 0 and not _applied:
            return False
        from helpdesk.search import get_search

        service = get_search()
    state = _state_of(service)
    if state.marker == marker:
        return False
    with state.lock:
        if state.marker == marker:
            return False
        wanted = {p.id: p for p in map(passage_of, published_entries())}
        changed = [p for pid, p in wanted.items() if state.passages.get(pid) != p]
        gone = [pid for pid in state.passages if pid not in wanted]
        if changed:
            service.upsert(changed)
        if gone:
            service.remove(gone)
        state.passages, state.marker = wanted, marker
    return bool(changed or gone)


def init_app(app: App) -> None:
    @app.before_request
    def _sync_desk_faq() -> None:
        # Probes answer without the database (liveness) or sync themselves (readiness).
        if request.endpoint == "static" or request.blueprint == "health":
            return
        try:
            sync()
        except DATABASE_UNAVAILABLE:
            # Database unreachable: serve with the entries already applied. The request's own use of the
            # database then gets the outage answer (web.outage), or succeeds once the server is back.
            db.session.rollback()
