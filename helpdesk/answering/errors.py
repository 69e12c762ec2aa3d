"""Why a question was refused (helpdesk.errors.HelpdeskError), with a message in the reader's language (catalogue messages)."""
from __future__ import annotations

from helpdesk.errors import HelpdeskError
from helpdesk.i18n import _l

TEXTS = {
    "empty_question": _l("Please type a question."),
    "question_too_long": _l("The question is too long (at most {limit} characters). Please shorten it."),
    "invalid_text": _l("The question contains characters that could not be read (please send UTF-8 text)."),
    "question_not_text": _l("The question must be a string."),
    "bad_conversation_id": _l("The conversation id must be a string."),
    "unknown_conversation": _l("This conversation was not found. Please send the question as a new conversation."),
    "busy": _l("The desk is busy right now. Please try again in about {retry_after} seconds."),
}


class AskError(HelpdeskError):
    prefix = "ask.error."
    texts = TEXTS
    # 404: an unknown conversation; 503: this worker already answers as many questions as it may.
    statuses = {"unknown_conversation": 404, "busy": 503}
