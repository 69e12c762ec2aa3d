"""Why a question was refused (helpdesk.errors.HelpdeskError), with a message in both UI languages."""
from __future__ import annotations

from helpdesk.errors import HelpdeskError
from helpdesk.web.i18n import MESSAGES

MESSAGES.update({
    "ask.error.empty_question": {"ja": "質問を入力してください。", "en": "Please type a question."},
    "ask.error.question_too_long": {
        "ja": "質問が長すぎます（{limit}文字まで）。要点を短くまとめてください。",
        "en": "The question is too long (at most {limit} characters). Please shorten it.",
    },
    "ask.error.invalid_text": {
        "ja": "質問に読み取れない文字が含まれています（UTF-8で送信してください）。",
        "en": "The question contains characters that could not be read (please send UTF-8 text).",
    },
    "ask.error.question_not_text": {
        "ja": "質問は文字列で送ってください。",
        "en": "The question must be a string.",
    },
    "ask.error.bad_conversation_id": {
        "ja": "会話IDの形式が正しくありません。",
        "en": "The conversation id must be a string.",
    },
    "ask.error.unknown_conversation": {
        "ja": "この会話は見つかりません。新しい相談として送信し直してください。",
        "en": "This conversation was not found. Please send the question as a new conversation.",
    },
    "ask.error.busy": {
        "ja": "ただいま混み合っています。{retry_after}秒ほどおいてもう一度お試しください。",
        "en": "The desk is busy right now. Please try again in about {retry_after} seconds.",
    },
})


class AskError(HelpdeskError):
    prefix = "ask.error."
    # 404: an unknown conversation; 503: this worker already answers as many questions as it may.
    statuses = {"unknown_conversation": 404, "busy": 503}
