"""The API's one error shape, `{"error": {"code", "message"}}`, from one handler, in the request's language.

Every /api/v1 error goes through `respond`: HTTP errors (flask-smorest's and webargs' aborts, routing's
404 and 405, 413, Flask-Limiter's 429, an uncaught exception's 500), domain refusals
(helpdesk.errors.HelpdeskError and its subclasses), CSRF failures and database outages. A request that
asked for JSON elsewhere (`Accept: application/json`) gets the same shape; an HTML page gets Flask's.
"""
from __future__ import annotations

import marshmallow as ma
from flask import jsonify
from werkzeug.exceptions import HTTPException, default_exceptions

from helpdesk.accounts.access import wants_json
from helpdesk.errors import HelpdeskError

from ..i18n import _l, current_lang

TEXTS = {
    "bad_request": _l("The request is not valid."),
    "login_required": _l("Log in first."),
    "forbidden": _l("Your role may not use this."),
    "not_found": _l("Not found."),
    "method_not_allowed": _l("This method is not allowed for this URL."),
    "conflict": _l("This conflicts with the current state."),
    "too_large": _l("The request body is too large."),
    "unsupported_media_type": _l("This content type is not accepted."),
    "invalid_request": _l("The input is not valid."),
    "rate_limited": _l("Too many attempts in a short time. Please wait a little and try again."),
    "internal_error": _l("Something went wrong on our side. Please try again later."),
    "unavailable": _l("The service is unavailable just now. Please try again shortly."),
    "csrf_failed": _l("The CSRF token is missing or has expired: send the value of the page's <meta "
                      "name=\"csrf-token\"> in the X-CSRFToken header."),
    "invalid_field": _l("The field {field} is not valid: {reason}"),
}

# The code of each HTTP status the API answers; a status not listed is named by its HTTP phrase.
HTTP_CODES = {
    400: "bad_request", 401: "login_required", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
    429: "rate_limited", 500: "internal_error", 503: "unavailable",
}


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "stable, machine-readable", "example": "not_found"})
    message = ma.fields.String(required=True, metadata={"description": "for a person, in the request's language"})


class ErrorSchema(ma.Schema):
    """`{"error": {"code", "message"}}`: what every /api/v1 error answers."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


class RequestError(HelpdeskError):
    """A request field that fails its schema (webargs), named with the validator's reason."""

    prefix = "api.error."
    texts = TEXTS


def respond(code: str, message: str, status: int, headers: dict | None = None):
    response = jsonify(error={"code": code, "message": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def refused(error: HelpdeskError):
    """The response to a domain refusal, in the request's language (a `retry_after` is sent as Retry-After)."""
    retry = {"Retry-After": str(error.params["retry_after"])} if "retry_after" in error.params else {}
    return respond(error.code, error.message(current_lang()), error.status, retry)


def uncaught_refusal(error: HelpdeskError):
    """A domain refusal no view caught: the API's shape where JSON is wanted, else a plain 4xx page."""
    if wants_json():
        return refused(error)
    return default_exceptions[error.status](error.message(current_lang()))


def http_error(error: HTTPException):
    """The response to an HTTP error: this shape where JSON is wanted, Flask's own page elsewhere."""
    if not wants_json():
        return error
    status = error.code or 500
    code = HTTP_CODES.get(status) or (error.name or "error").lower().replace(" ", "_")
    message = str(TEXTS[code]) if code in TEXTS else error.description or code
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    data = getattr(error, "data", None) or {}  # webargs' and flask-smorest's abort(…, headers=…)
    return respond(code, message, status, {**headers, **(data.get("headers") or {})})
