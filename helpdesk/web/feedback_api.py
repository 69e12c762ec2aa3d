"""`POST /api/v1/feedback`: the asker rates an answer (helpful or not, optional comment).

Body `{"conversation_id", "message_id", "helpful": true|false, "comment"?}` → `{"message_id",
"helpful", "comment"}`. The chat page's widget (templates/chat/_feedback.html, chat.js) sends it with
the `X-CSRFToken` header; Flask-WTF's blanket CSRF check covers this endpoint. Errors are
`{"error", "code"}`: 400 for malformed values, 404 for an answer the caller may not rate.
"""
from __future__ import annotations

from flask import Blueprint, jsonify

from ..answering.feedback import MAX_COMMENT_CHARS, FeedbackError, give
from ..answering.service import current_user_id
from ..extensions import db
from .i18n import MESSAGES, current_lang
from .json_input import request_object

bp = Blueprint("feedback_api", __name__, url_prefix="/api/v1")

MESSAGES.update(
    {
        "feedback.question": {"ja": "この回答は役に立ちましたか？", "en": "Was this answer helpful?"},
        "feedback.helpful": {"ja": "役に立った", "en": "Helpful"},
        "feedback.unhelpful": {"ja": "役に立たなかった", "en": "Not helpful"},
        "feedback.comment": {"ja": "ご意見（任意、{limit}文字まで）", "en": "Comment (optional, up to {limit} characters)"},
        "feedback.comment_hint": {
            "ja": "個人名や連絡先は書かないでください。ご意見は回答の改善に使います。",
            "en": "Please leave out names and contact details; comments are used to improve the answers.",
        },
        "feedback.send_comment": {"ja": "コメントを送る", "en": "Send the comment"},
        "feedback.choose_first": {"ja": "先に「役に立った」か「役に立たなかった」を選んでください。",
                                  "en": "First choose “Helpful” or “Not helpful”."},
        "feedback.thanks": {"ja": "ありがとうございます。評価を記録しました（あとから変更できます）。",
                            "en": "Thank you, your rating is recorded (you can change it)."},
        "feedback.failed": {"ja": "評価を送信できませんでした。もう一度お試しください。",
                            "en": "The rating could not be sent. Please try again."},
    }
)


@bp.app_context_processor
def _comment_limit():
    return {"feedback_max_comment": MAX_COMMENT_CHARS}


@bp.post("/feedback")
def rate_answer():
    body = request_object('{"conversation_id": "...", "message_id": 1, "helpful": true}')
    try:
        feedback = give(body.get("conversation_id"), body.get("message_id"), body.get("helpful"),
                        body.get("comment"), current_user_id())
    except FeedbackError as error:
        return jsonify(error=error.message(current_lang()), code=error.code), error.status
    db.session.commit()
    return jsonify(message_id=feedback.message_id, helpful=feedback.helpful, comment=feedback.comment)
