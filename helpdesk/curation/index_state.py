"""The shared search-index version: one row, bumped with every change to what is published.

The row is created by the migration with a random `epoch`, so a process serving several
databases (tests) can tell their counters apart.
"""
from __future__ import annotations

from sqlalchemy import update

from helpdesk import versions
from helpdesk.extensions import db

from .models import SearchIndexState

ROW_ID = versions.INDEX_ROW_ID


def bump() -> None:
    """Increment the version inside the caller's transaction (an atomic UPDATE: no lost bumps)."""
    db.session.execute(update(SearchIndexState).where(SearchIndexState.id == ROW_ID)
                       .values(version=SearchIndexState.version + 1))
    versions.forget()


def current() -> tuple[str, int]:
    """(epoch, version) as committed when the request began (`helpdesk.versions`: read once a request)."""
    return versions.current().desk_faq
