"""Ticket errors carry a UI message key, so the web shows them in the user's language and APIs in English."""
from __future__ import annotations

from helpdesk.web.i18n import MESSAGES, t

MESSAGES.update(
    {
        "ticket.error.transition": {
            "ja": "状態「{current}」から「{target}」には変更できません。変更できるのは: {allowed}",
            "en": "A ticket that is {current} cannot become {target}. Possible next states: {allowed}",
        },
        "ticket.error.no_reply": {
            "ja": "回答済みにする前に、相談者への回答を送ってください。",
            "en": "Send the requester a reply before marking the ticket answered.",
        },
        "ticket.error.closed": {
            "ja": "このチケットは完了しています。新しい相談として送ってください。",
            "en": "This ticket is closed. Please send a new question instead.",
        },
        "ticket.error.empty": {"ja": "本文を入力してください。", "en": "Please type a message."},
        "ticket.error.too_long": {
            "ja": "長すぎます（{limit}文字まで）。",
            "en": "This is too long (at most {limit} characters).",
        },
        "ticket.error.queue": {
            "ja": "転送先のキューは次のいずれかです: {queues}",
            "en": "The new queue must be one of: {queues}",
        },
        "ticket.error.same_queue": {
            "ja": "チケットは既にこのキューにあります。",
            "en": "The ticket is already in this queue.",
        },
        "ticket.error.reason": {"ja": "転送の理由を入力してください。", "en": "Please give the reason for rerouting."},
        "ticket.error.consent": {
            "ja": "送信するには、個人情報の取扱いへの同意と申告内容の宣誓の両方が必要です。",
            "en": "To send the question, please give both the consent and the declaration.",
        },
        "ticket.error.consent_version": {
            "ja": "同意文の版が最新ではありません（最新: {version}）。最新の同意文を確認してください。",
            "en": "The consent wording you agreed to is not the current one (current: {version}).",
        },
        "ticket.error.contact": {
            "ja": "連絡先として、メールアドレスまたは電話番号を入力してください。",
            "en": "Please give an e-mail address or a phone number to reach you.",
        },
        "ticket.error.claimed": {
            "ja": "この相談は既にアカウントに追加されています。",
            "en": "This ticket has already been added to an account.",
        },
        "ticket.error.message": {
            "ja": "引き継ぐ会話またはメッセージが見つかりません。",
            "en": "The conversation or message to hand over was not found.",
        },
    }
)


class TicketError(ValueError):
    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    @property
    def code(self) -> str:
        return self.key.rsplit(".", 1)[-1]

    def message(self, lang: str | None = None) -> str:
        # Ticket states are named in words of the reader's language, never as codes.
        shown = {key: _status_words(value, lang) if key in STATUS_PARAMS else value
                 for key, value in self.params.items()}
        return t(self.key, lang).format(**shown)


STATUS_PARAMS = ("current", "target", "allowed")


def _status_words(value, lang: str | None) -> str:
    states = value if isinstance(value, (list, tuple)) else [value]
    return ", ".join(t(f"status.{s}", lang) for s in states) or "—"
