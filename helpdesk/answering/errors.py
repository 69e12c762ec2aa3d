"""Why a question was refused, with a message in the reader's language (catalogue messages)."""
from __future__ import annotations

from helpdesk.i18n import _l, gettext_in

TEXTS = {
    "empty_question": _l("Please type a question."),
    "question_too_long": _l("The question is too long (at most {limit} characters). Please shorten it."),
    "invalid_text": _l("The question contains characters that could not be read (please send UTF-8 text)."),
    "question_not_text": _l("The question must be a string."),
    "bad_conversation_id": _l("The conversation id must be a string."),
    "unknown_conversation": _l("This conversation was not found. Please send the question as a new conversation."),
    "busy": _l("The desk is busy right now. Please try again in about {retry_after} seconds."),
}


class AskError(ValueError):
    def __init__(self, code: str, **values):
        self.code = code
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return gettext_in(lang, TEXTS[self.code], **self.values)
