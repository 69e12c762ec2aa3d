"""Ticket errors (helpdesk.errors.HelpdeskError): shown in the reader's language by the web and the API."""
from __future__ import annotations

from helpdesk.errors import HelpdeskError
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
        "ticket.error.consent_required": {
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
        "ticket.error.bad_status": {
            "ja": "状態（status）は次のいずれかです: {statuses}",
            "en": "status must be one of: {statuses}",
        },
        "ticket.error.already_handed_over": {
            "ja": "このメッセージは既に引き継がれています。",
            "en": "This message has already been handed over.",
        },
        "ticket.error.message": {
            "ja": "引き継ぐ会話またはメッセージが見つかりません。",
            "en": "The conversation or message to hand over was not found.",
        },
    }
)


class TicketError(HelpdeskError):
    prefix = "ticket.error."
    statuses = {"message": 404, "closed": 409, "already_handed_over": 409}

    def shown_params(self, lang: str | None) -> dict:
        # Ticket states are named in words of the reader's language, never as codes.
        return {key: _status_words(value, lang) if key in STATUS_PARAMS else value
                for key, value in self.params.items()}


STATUS_PARAMS = ("current", "target", "allowed")


def _status_words(value, lang: str | None) -> str:
    states = value if isinstance(value, (list, tuple)) else [value]
    return ", ".join(t(f"status.{s}", lang) for s in states) or "—"
