"""`/admin/mail`: the outbox for administrators: what was sent, what waits for a retry, what failed and why.

Recipients and subjects only; a message's text stays in the database (it may quote a reply)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from helpdesk.accounts.access import deny_unless_role
from helpdesk.accounts.roles import ADMIN
from helpdesk.extensions import db
from helpdesk.mail.models import STATUSES, OutboxMessage

from .i18n import MESSAGES

bp = Blueprint("outbox", __name__, url_prefix="/admin/mail")
PER_PAGE = 100

MESSAGES.update(
    {
        "mail.outbox": {"ja": "送信メール", "en": "Outgoing mail"},
        "mail.none": {"ja": "メールはありません。", "en": "No mail."},
        "mail.recipient": {"ja": "宛先", "en": "To"},
        "mail.subject": {"ja": "件名", "en": "Subject"},
        "mail.kind": {"ja": "種類", "en": "Kind"},
        "mail.attempts": {"ja": "試行", "en": "Attempts"},
        "mail.error": {"ja": "最後のエラー", "en": "Last error"},
        "mail.queued": {"ja": "登録日時", "en": "Queued"},
        "mail.next": {"ja": "次の試行", "en": "Next attempt"},
        "mail.status": {"ja": "送信状況", "en": "Delivery"},
        "mail.status.pending": {"ja": "送信待ち", "en": "Waiting to be sent"},
        "mail.status.sending": {"ja": "送信中", "en": "Sending"},
        "mail.status.sent": {"ja": "送信済み", "en": "Sent"},
        "mail.status.filed": {"ja": "ファイルに保存（メールサーバー未設定）", "en": "Saved to a file (no mail server set)"},
        "mail.status.failed": {"ja": "送信失敗（helpdesk mail retry で再送）", "en": "Failed (helpdesk mail retry sends again)"},
        "mail.requester": {"ja": "相談者", "en": "the requester"},
    }
)


@bp.before_request
def _admins_only():
    return deny_unless_role(ADMIN)


@bp.get("/")
def index():
    status = request.args.get("status")
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(PER_PAGE)
    if status in STATUSES:
        stmt = stmt.where(OutboxMessage.status == status)
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return render_template("admin/mail.html", messages=db.session.scalars(stmt).all(),
                           counts={s: counts.get(s, 0) for s in STATUSES}, status=status)
