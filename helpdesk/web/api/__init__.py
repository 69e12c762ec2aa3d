"""JSON API, `/api/v1`, declared with flask-smorest: one Blueprint per area, marshmallow schemas for every
query, body and response, the OpenAPI document at `/api/v1/openapi.json` and Swagger UI at `/api/v1/docs`.

Every error is `{"error": {"code", "message"}}` (helpdesk.web.api.errors). Adding a route: docs/API.md.
"""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from helpdesk.errors import HelpdeskError

from . import ask, docs, errors, feedback, search, tickets

AREAS = (search.bp, ask.bp, tickets.bp, feedback.bp)

SPEC_OPTIONS = {
    "info": {
        "description": "The Research Security Helpdesk (研究セキュリティ相談窓口): answers from the guideline, "
                       "the ASPIRE FAQ and the checklists, and handoffs to a person. Errors are "
                       '`{"error": {"code", "message"}}` in the request\'s language (`?lang=ja|en`, then the '
                       "`helpdesk_lang` cookie, then Japanese).",
    },
    "components": {
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "the cookie a login at /auth/login sets"},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                     "description": "with the session cookie, every POST: the token of <meta name=csrf-token>"},
        },
    },
}


class HelpdeskApi(Api):
    ERROR_SCHEMA = errors.ErrorSchema

    def handle_http_exception(self, error):
        return errors.http_error(error)


def init_app(app: Flask) -> None:
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = HelpdeskApi(app, spec_kwargs={"title": "Research Security Helpdesk API", "version": "1",
                                        "openapi_version": "3.0.3", **SPEC_OPTIONS})
    app.register_error_handler(HelpdeskError, errors.uncaught_refusal)
    for area in AREAS:
        api.register_blueprint(area)
    app.register_blueprint(docs.bp)
