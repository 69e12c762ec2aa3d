"""Askers' feedback on answers: helpful or not, with an optional short comment, one per answer.

Whoever may continue a conversation may rate its answers: an anonymous asker by holding the
conversation id (unguessable, as for asking), a logged-in asker by owning it
(`conversations.find_for`). Rating again replaces the verdict. Every rating is audited (ids and the
verdict only, never the comment).
"""
from __future__ import annotations

from datetime import UTC, datetime

from ..audit import record
from ..control_characters import strip_control
from ..errors import HelpdeskError
from ..extensions import db
from ..i18n import _l
from . import conversations
from .models import AnswerFeedback, Message

MAX_COMMENT_CHARS = 500

TEXTS = {
    "bad_helpful": _l("Choose “Helpful” or “Not helpful”."),
    "bad_message_id": _l("The answer id must be a whole number."),
    "bad_comment": _l("The comment must be text."),
    "comment_too_long": _l("The comment may have at most {limit} characters."),
    "not_found": _l("This answer was not found."),
}


class FeedbackError(HelpdeskError):
    prefix = "feedback.error."
    texts = TEXTS
    statuses = {"not_found": 404}


def _checked(message_id, helpful, comment) -> tuple[int, bool, str | None]:
    if not isinstance(helpful, bool):
        raise FeedbackError("bad_helpful")
    if isinstance(message_id, bool) or not isinstance(message_id, int) or not 0 < message_id < 2**31:
        raise FeedbackError("bad_message_id")
    if comment is not None and not isinstance(comment, str):
        raise FeedbackError("bad_comment")
    comment = strip_control(comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackError("comment_too_long", limit=MAX_COMMENT_CHARS)
    return message_id, helpful, comment


def give(conversation_id, message_id, helpful, comment=None, user_id: int | None = None) -> AnswerFeedback:
    """Record (or change) the verdict on answer `message_id` of `conversation_id`; the caller commits.

    Raises FeedbackError: 400 codes for malformed values, `not_found` when the conversation is not
    one `user_id` may continue or the message is not one of its answers.
    """
    message_id, helpful, comment = _checked(message_id, helpful, comment)
    conversation = conversations.find_for(conversation_id, user_id)
    answer = db.session.get(Message, message_id) if conversation is not None else None
    if conversation is None or answer is None or answer.conversation_id != conversation.id \
            or answer.role != "assistant":
        raise FeedbackError("not_found")
    feedback = answer.feedback
    changed = feedback is not None
    if feedback is None:
        feedback = AnswerFeedback(message=answer)
        db.session.add(feedback)
    feedback.helpful, feedback.comment, feedback.user_id = helpful, comment, user_id
    feedback.updated_at = datetime.now(UTC)
    db.session.flush()
    record("answer.rated", "message", answer.id,
           {"helpful": helpful, "with_comment": comment is not None, "changed": changed})
    return feedback
