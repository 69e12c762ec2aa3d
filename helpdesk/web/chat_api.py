"""`POST /api/v1/ask` (registered on the `api` blueprint): `{"question", "conversation_id"?}` → answer.

CSRF: a browser request carrying the session (or remember-me) cookie must send the token in the
`X-CSRFToken` header (chat.js reads it from `<meta name="csrf-token">`); only then does the
endpoint touch the session (it remembers the conversation for the chat page) or tie the
conversation to the logged-in user. A request without those cookies carries no ambient
credentials for a forged request to abuse, so API clients may call it without a token; their
conversations are anonymous and continued only by the unguessable `conversation_id`.
"""
from __future__ import annotations

from flask import current_app, jsonify, request, session
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from ..answering.errors import AskError
from ..answering.service import ask
from ..extensions import csrf
from .chat import SESSION_KEY, ask_error_status
from .i18n import current_lang
from .json_input import request_object


def _error(message: str, code: str, status: int = 400):
    return jsonify(error=message, code=code), status


def _carries_session() -> bool:
    names = (current_app.config.get("SESSION_COOKIE_NAME", "session"),
             current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    return any(name in request.cookies for name in names)


def ask_endpoint():
    with_session = _carries_session()
    if with_session:
        try:
            csrf.protect()
        except CSRFError as exc:
            return _error(exc.description, "csrf_failed")
    try:
        body = request_object('{"question": "..."}')
    except RequestEntityTooLarge:
        return _error("the request body is too large", "too_large", 413)
    try:
        answered = ask(body.get("question"), body.get("conversation_id"))
    except AskError as error:
        response, status = _error(error.message(current_lang()), error.code, ask_error_status(error))
        if status == 503:
            response.headers["Retry-After"] = str(error.values["retry_after"])
        return response, status
    if with_session:
        session[SESSION_KEY] = answered.payload["conversation_id"]
    # The stored message's id: what a handoff (`POST /api/v1/tickets`) names, one ticket per message.
    return jsonify({**answered.payload, "message_id": answered.message_id})
