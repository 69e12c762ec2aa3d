"""While the database is unreachable: a JSON 503 for the API, a friendly page otherwise, never a 500.

A request's changes are one transaction, committed at its end; an error on the way rolls all of it back,
so nothing is half-written, and the pool's pre-ping reconnects once the server is back. Only the errors
that mean "cannot reach the database now" are handled here (connection refused or dropped, server
shutting down, pool exhausted); a constraint violation or a bad query stays a bug (500).
"""
from __future__ import annotations

import logging

from flask import Flask, current_app, render_template

from helpdesk.accounts.access import wants_json
from helpdesk.extensions import db
from helpdesk.readiness import DATABASE_UNAVAILABLE

from .api.errors import respond
from .i18n import _

log = logging.getLogger(__name__)


def _unavailable(exc: Exception):
    db.session.rollback()
    log.warning("database unavailable: %s", type(getattr(exc, "orig", None) or exc).__name__)
    retry_after = str(current_app.config["HELPDESK_RETRY_AFTER"])
    if wants_json():
        message = _("The helpdesk cannot reach its database just now, so nothing was saved. "
                    "Please try again in a few moments.")
        response = respond("database_unavailable", message, 503)
    else:
        response = current_app.make_response(render_template("errors/unavailable.html"))
    response.status_code = 503
    response.headers["Retry-After"] = retry_after
    return response


def init_app(app: Flask) -> None:
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, _unavailable)
