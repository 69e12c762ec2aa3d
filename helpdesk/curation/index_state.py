"""The shared search-index version: one row, bumped with every change to what is published.

The row is created by the migration with a random `epoch`, so a process serving several
databases (tests) can tell their counters apart.
"""
from __future__ import annotations

from sqlalchemy import select, update

from helpdesk.extensions import db

from .models import SearchIndexState

ROW_ID = 1


def bump() -> None:
    """Increment the version inside the caller's transaction (an atomic UPDATE: no lost bumps)."""
    db.session.execute(update(SearchIndexState).where(SearchIndexState.id == ROW_ID)
                       .values(version=SearchIndexState.version + 1))


def current() -> tuple[str, int]:
    """(epoch, version) as committed; one primary-key lookup, cheap enough for every request."""
    row = db.session.execute(select(SearchIndexState.epoch, SearchIndexState.version)
                             .where(SearchIndexState.id == ROW_ID)).first()
    return (row.epoch, row.version) if row else ("", 0)
