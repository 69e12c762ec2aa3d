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

from ..i18n import MESSAGES, current_lang, t

MESSAGES.update(
    {
        "api.error.bad_request": {"ja": "リクエストが正しくありません。", "en": "The request is not valid."},
        "api.error.login_required": {"ja": "ログインしてください。", "en": "Log in first."},
        "api.error.forbidden": {"ja": "この役割では利用できません。", "en": "Your role may not use this."},
        "api.error.not_found": {"ja": "見つかりません。", "en": "Not found."},
        "api.error.method_not_allowed": {
            "ja": "このURLではこのメソッドは使えません。",
            "en": "This method is not allowed for this URL.",
        },
        "api.error.conflict": {"ja": "現在の状態と矛盾します。", "en": "This conflicts with the current state."},
        "api.error.too_large": {"ja": "リクエストの本文が大きすぎます。", "en": "The request body is too large."},
        "api.error.unsupported_media_type": {
            "ja": "この形式の本文は受け付けられません。",
            "en": "This content type is not accepted.",
        },
        "api.error.invalid_request": {"ja": "入力内容が正しくありません。", "en": "The input is not valid."},
        "api.error.rate_limited": {
            "ja": "短時間に試行が多すぎます。しばらくしてからもう一度お試しください。",
            "en": "Too many attempts in a short time. Please wait a little and try again.",
        },
        "api.error.internal_error": {
            "ja": "内部エラーが発生しました。時間をおいてもう一度お試しください。",
            "en": "Something went wrong on our side. Please try again later.",
        },
        "api.error.unavailable": {
            "ja": "ただいまご利用いただけません。しばらくしてからもう一度お試しください。",
            "en": "The service is unavailable just now. Please try again shortly.",
        },
        "api.error.csrf_failed": {
            "ja": "CSRF トークンがないか、有効期限が切れています。ページの <meta name=\"csrf-token\"> の値を "
                  "X-CSRFToken ヘッダーで送ってください。",
            "en": "The CSRF token is missing or has expired: send the value of the page's <meta name=\"csrf-token\"> "
                  "in the X-CSRFToken header.",
        },
        "api.error.invalid_field": {
            "ja": "項目「{field}」の値が正しくありません。",
            "en": "The field {field} is not valid: {reason}",
        },
    }
)

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
    key = f"api.error.{code}"
    message = t(key) if key in MESSAGES else error.description or code
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    data = getattr(error, "data", None) or {}  # webargs' and flask-smorest's abort(…, headers=…)
    return respond(code, message, status, {**headers, **(data.get("headers") or {})})
