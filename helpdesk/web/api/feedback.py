"""`POST /api/v1/feedback`: the asker rates an answer (helpful or not, with an optional comment).

The chat page's widget (templates/chat/_feedback.html, chat.js) sends it with the `X-CSRFToken`
header; Flask-WTF's blanket CSRF check covers this endpoint. Whoever may continue the conversation may
rate its answers (helpdesk.answering.feedback); anyone else gets 404, as for an unknown answer.
"""
from __future__ import annotations

import marshmallow as ma

from helpdesk.answering.feedback import MAX_COMMENT_CHARS, FeedbackError, give
from helpdesk.answering.service import current_user_id
from helpdesk.extensions import db

from .blueprint import Blueprint, RequestSchema, StrictBoolean, StrictInteger

bp = Blueprint("feedback_api", __name__, url_prefix="/api/v1", description="Askers' ratings of answers.")


class FeedbackBody(RequestSchema):
    conversation_id = ma.fields.String(required=True, metadata={"description": "the conversation of the answer"})
    message_id = StrictInteger(required=True, metadata={"description": "the answer's `message_id` (from /api/v1/ask)"})
    helpful = StrictBoolean(required=True, metadata={"description": "whether the answer helped"})
    comment = ma.fields.String(allow_none=True, metadata={
        "description": f"optional, at most {MAX_COMMENT_CHARS} characters; no names or contact details"})
    # A conversation the caller cannot name is one they may not rate: the same 404 as a stranger's.
    field_errors = {"conversation_id": lambda: FeedbackError("not_found"),
                    "message_id": lambda: FeedbackError("bad_message_id"),
                    "helpful": lambda: FeedbackError("bad_helpful"),
                    "comment": lambda: FeedbackError("bad_comment")}
    shape = '{"conversation_id": "...", "message_id": 1, "helpful": true}'


class FeedbackSchema(ma.Schema):
    message_id = ma.fields.Integer(required=True)
    helpful = ma.fields.Boolean(required=True)
    comment = ma.fields.String(required=True, allow_none=True, metadata={"description": "as stored (trimmed)"})


@bp.app_context_processor
def _comment_limit():
    return {"feedback_max_comment": MAX_COMMENT_CHARS}


@bp.route("/feedback", methods=["POST"])
@bp.arguments(FeedbackBody, example={"conversation_id": "3f2a…", "message_id": 12, "helpful": False,
                                     "comment": "The list of measures was cut short."})
@bp.response(200, FeedbackSchema)
@bp.refusals(404, 413, 415)
def rate_answer(body: dict):
    """Record or change the verdict on one answer. 404 `not_found`: no answer the caller may rate."""
    feedback = give(body["conversation_id"], body["message_id"], body["helpful"], body.get("comment"),
                    current_user_id())
    db.session.commit()
    return {"message_id": feedback.message_id, "helpful": feedback.helpful, "comment": feedback.comment}
