"""`POST /api/v1/ask`: `{"question", "conversation_id"?}` → the desk's answer, its sources and route.

CSRF: a browser request carrying the session (or remember-me) cookie must send the token in the
`X-CSRFToken` header (chat.js reads it from `<meta name="csrf-token">`); only then does the
endpoint touch the session (it remembers the conversation for the chat page) or tie the
conversation to the logged-in user. A request without those cookies carries no ambient
credentials for a forged request to abuse, so API clients may call it without a token; their
conversations are anonymous and continued only by the unguessable `conversation_id`. That is why
this blueprint is exempt from Flask-WTF's blanket check and checks CSRF itself.
"""
from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask import Flask, current_app, request, session

from helpdesk.answering.errors import AskError
from helpdesk.answering.service import ask as answer
from helpdesk.answering.service import refuse_if_busy
from helpdesk.extensions import csrf

from ..chat import SESSION_KEY
from .blueprint import Blueprint, RequestSchema

bp = Blueprint("chat_api", __name__, url_prefix="/api/v1", description="Questions answered from the sources.")
csrf.exempt(bp)


class AskBody(RequestSchema):
    question = ma.fields.String(allow_none=True, metadata={"description": "Japanese or English, at most HELPDESK_MAX_QUESTION_CHARS "
                                                         "(2000 by default)"})
    conversation_id = ma.fields.String(allow_none=True, metadata={
        "description": "continue this conversation (from an earlier answer); omit or null for a new one"})
    field_errors = {"question": lambda: AskError("question_not_text"),
                    "conversation_id": lambda: AskError("bad_conversation_id")}
    shape = '{"question": "..."}'


class SourceSchema(ma.Schema):
    id = ma.fields.String(required=True, metadata={"example": "guideline/intro"})
    doc = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    text = ma.fields.String(required=True, metadata={"description": "the quoted lines"})
    score = ma.fields.Float(required=True)
    url = ma.fields.String(required=True)


class RouteSchema(ma.Schema):
    kind = ma.fields.String(required=True, metadata={"description": "desk, fa, ministry, emergency or out_of_scope"})
    queue = ma.fields.String(required=True, metadata={"description": "the queue a handoff goes to (none: nowhere)"})
    reason = ma.fields.String(required=True, metadata={"description": "why, in the question's language"})
    cites = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "passages behind the rule"})
    notify = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "queues also alerted"})
    program = ma.fields.String(required=True, allow_none=True, metadata={"description": "a funding programme"})


class HandoffSchema(ma.Schema):
    offered = ma.fields.Boolean(required=True, metadata={"description": "whether to offer 'ask a person'"})
    reason = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "emergency, routed, weak or out_of_scope"})
    message = ma.fields.String(required=True, allow_none=True)


class AnswerSchema(ma.Schema):
    question = ma.fields.String(required=True)
    answer_markdown = ma.fields.String(required=True)
    answerable = ma.fields.Boolean(required=True)
    confidence = ma.fields.Float(required=True)
    sources = ma.fields.List(ma.fields.Nested(SourceSchema), required=True)
    route = ma.fields.Nested(RouteSchema, required=True)
    conversation_id = ma.fields.String(required=True)
    handoff = ma.fields.Nested(HandoffSchema, required=True)
    message_id = ma.fields.Integer(required=True, metadata={
        "description": "the stored answer: what a handoff (POST /api/v1/tickets) names, one ticket per message"})


def refuse_busy_asks_early(app: Flask) -> None:
    """An ask this worker would refuse is refused before the app's later hooks (the desk-FAQ sync's read) and
    the body's validation: under overload most asks are, and what a refusal costs comes out of the CPU of the
    asks being served. The view's admission still decides for the asks that pass. Register it once the
    request's language is chosen (the refusal's message is in it)."""
    @app.before_request
    def _refuse_busy_ask() -> None:
        if request.endpoint == f"{bp.name}.ask":
            refuse_if_busy()


def _carries_session() -> bool:
    names = (current_app.config.get("SESSION_COOKIE_NAME", "session"),
             current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    return any(name in request.cookies for name in names)


def _csrf_with_session(view):
    """Checked before the body is read, so a forged request learns nothing of its validation."""
    @wraps(view)
    def checked(*args, **kwargs):
        if _carries_session():
            csrf.protect()
        return view(*args, **kwargs)
    return checked


@bp.route("/ask", methods=["POST"])
@_csrf_with_session
@bp.arguments(AskBody, example={"question": "相談窓口は最終判断をしてくれますか？"})
@bp.response(200, AnswerSchema)
@bp.refusals(404, 413, 415, 503)
def ask(body: dict):
    """The answer, with the passages it quotes, where the question would be forwarded and whether to offer a
    handoff. 404: `unknown_conversation`; 503 `busy` with `Retry-After` when this worker is full."""
    answered = answer(body.get("question"), body.get("conversation_id"))  # AskError: helpdesk.web.api.errors
    if _carries_session():
        session[SESSION_KEY] = answered.payload["conversation_id"]
    return {**answered.payload, "message_id": answered.message_id}
