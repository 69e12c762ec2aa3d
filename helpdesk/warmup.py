"""Everything a serving process loads before its first request, in one place.

Used by wsgi.py (in each gunicorn worker, after fork: the embedding engine must not run before
fork) and by the test session. Nothing here may be left for a request to do.
"""
from __future__ import annotations

from flask import Flask

from . import readiness


def warm_up_all(app: Flask):
    """Load the model and index, apply the published desk FAQ, embed the routing examples and build
    the answerer (FAQ vectors, confidence calibration). Returns the search service."""
    from .answering.answerer import get_answerer
    from .curation import search_sync
    from .search import warm_up
    from .triage import warm_up as warm_up_triage

    service = warm_up(app)
    with app.app_context():
        search_sync.sync(service)
        warm_up_triage()
        get_answerer()
    readiness.mark_warmed(app)
    return service
