"""Account errors carry a UI message key, so the web shows them in the user's language and the CLI in English."""
from __future__ import annotations

from helpdesk.errors import HelpdeskError
from helpdesk.web.i18n import MESSAGES

MESSAGES.update(
    {
        "account.error.email": {
            "ja": "メールアドレスの形式が正しくありません。",
            "en": "That is not a valid e-mail address.",
        },
        "account.error.email_ascii": {
            "ja": "メールアドレスは半角英数字と記号で入力してください（見た目の似た文字、ゼロ幅文字、全角記号などは使えません。"
                  "国際化ドメイン名は xn-- で始まる形で入力してください）。",
            "en": "Please type the e-mail address in plain ASCII letters, digits and symbols (look-alike, invisible "
                  "or special characters are not accepted; write an international domain name in its xn-- form).",
        },
        "account.error.email_taken": {
            "ja": "このメールアドレスは既に登録されています。",
            "en": "An account with this e-mail address already exists.",
        },
        "account.error.name": {
            "ja": "表示名は1〜{max}文字で入力してください。",
            "en": "The display name must be 1 to {max} characters.",
        },
        "account.error.password": {
            "ja": "パスワードは{min}〜{max}文字で入力してください。",
            "en": "The password must be {min} to {max} characters.",
        },
        "account.error.password_weak": {
            "ja": "このパスワードは推測されやすいため使えません。よくある単語・繰り返し・連番・名前やメールアドレスを避け、"
                  "単語をいくつか組み合わせるなど、より長く推測しにくいものにしてください。",
            "en": "This password is too easy to guess. Avoid common words, repeats, sequences and your name or "
                  "address; a few unrelated words together make a long password that is hard to guess.",
        },
        "account.error.current_password": {
            "ja": "現在のパスワードが正しくありません。",
            "en": "The current password is not correct.",
        },
        "account.error.role": {
            "ja": "役割は次のいずれかです: {roles}",
            "en": "The role must be one of: {roles}",
        },
        "account.error.queue": {
            "ja": "役割 {role} のキューは次のいずれかです: {queues}",
            "en": "Role {role} needs a queue, one of: {queues}",
        },
        "account.error.queue_not_allowed": {
            "ja": "役割 {role} にはキューを割り当てられません。",
            "en": "Role {role} has no queue; leave the queue empty.",
        },
        "account.error.email_not_verified": {
            "ja": "先にメールアドレスを確認してください。登録時に送られたリンクを開いてください。",
            "en": "Verify your e-mail address first: open the link sent when you registered.",
        },
        "account.error.self_lockout": {
            "ja": "自分自身の管理者権限の削除や無効化はできません。",
            "en": "You cannot remove your own admin role or deactivate yourself.",
        },
    }
)


class AccountError(HelpdeskError):
    prefix = "account.error."
    statuses = {"email_not_verified": 403}
