"""`/admin/mail`: the outbox for administrators: what was sent, what waits for a retry, what failed and why.

Recipients and subjects only; a message's text stays in the database (it may quote a reply)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from helpdesk.accounts.access import deny_unless_role
from helpdesk.accounts.roles import ADMIN
from helpdesk.extensions import db
from helpdesk.mail.models import STATUSES, OutboxMessage

from .i18n import _l

bp = Blueprint("outbox", __name__, url_prefix="/admin/mail")
PER_PAGE = 100
STATUS_NAMES = {
    "pending": _l("Waiting to be sent"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "filed": _l("Saved to a file (no mail server set)"),
    "failed": _l("Failed (helpdesk mail retry sends again)"),
}


@bp.app_context_processor
def _status_names():
    return {"mail_status": STATUS_NAMES}  # also on a ticket's page (staff)


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
