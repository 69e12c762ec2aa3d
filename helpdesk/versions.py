"""The shared versions every worker's caches follow, read from the database in one statement, once a request.

- the desk-FAQ index version (`curation.index_state`): (epoch, version), bumped with every publication;
- the routing-examples marker (`triage.learning`): (count, max id) of the examples staff added.

Other workers and nodes change them, so a request must see them as committed when it starts (a curator's
published entry is searchable by the next request anywhere). An ask needs them three times (the desk-FAQ
sync before the view, the answer-cache key, the triage vote): one read serves the whole request. It is kept
in the request's WSGI environ, which lives exactly as long as the request (an app context, and `g`, may
outlive several requests in tests and commands). A change the request makes itself forgets it.
"""
from __future__ import annotations

from typing import NamedTuple

from flask import has_request_context, request
from sqlalchemy import text

from .extensions import db

INDEX_ROW_ID = 1  # the one row of search_index_state
_ENVIRON_KEY = "helpdesk.versions"

# One statement without a FROM clause: each part a subquery, so a missing index row still gives the examples'
# marker. Plain SQL (the same on SQLite and PostgreSQL): a constant statement needs no SQL expression to be
# compiled or cache-keyed on every request.
_READ = text(
    "SELECT (SELECT epoch FROM search_index_state WHERE id = :row), "
    "(SELECT version FROM search_index_state WHERE id = :row), "
    "(SELECT count(id) FROM routing_example), (SELECT max(id) FROM routing_example)"
).bindparams(row=INDEX_ROW_ID)


class Versions(NamedTuple):
    desk_faq: tuple[str, int]  # (epoch, version) of the desk FAQ published; ("", 0) before the migration's row
    examples: tuple[int, int | None]  # (count, max id) of the routing examples


def current() -> Versions:
    """The versions as committed when this request first asked (outside a request: now)."""
    if not has_request_context():
        return _read()
    found = request.environ.get(_ENVIRON_KEY)
    if found is None:
        found = request.environ[_ENVIRON_KEY] = _read()
    return found


def forget() -> None:
    """This request changed a version: the next `current()` reads again."""
    if has_request_context():
        request.environ.pop(_ENVIRON_KEY, None)


def _read() -> Versions:
    epoch, version, count, newest = db.session.connection().execute(_READ).one()
    return Versions((epoch or "", version or 0), (count, newest))
