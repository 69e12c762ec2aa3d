"""Staff views of tickets, `/staff/…`: the queue dashboard, a ticket's detail and the actions on it.

Only desk, FA and ministry agents and admins get in; each sees the tickets of their visible queues
(helpdesk.accounts.access), and a ticket outside them is a 404 as if it did not exist.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from helpdesk.accounts import can_access, emergency_programme_fa
from helpdesk.accounts.access import deny_unless_role
from helpdesk.accounts.roles import ADMIN, ALL_QUEUES, STAFF_ROLES
from helpdesk.extensions import db
from helpdesk.mail.models import OutboxMessage
from helpdesk.tickets import TicketError, service, visibility
from helpdesk.tickets.handoff import conversation_excerpt
from helpdesk.tickets.lifecycle import manual_moves
from helpdesk.tickets.models import STATUSES

from .csrf_failure import keeps_input
from .i18n import MESSAGES, t
from .tickets import MessageForm, queue_label

bp = Blueprint("staff", __name__, url_prefix="/staff")

MESSAGES.update(
    {
        "staff.dashboard": {"ja": "担当キュー", "en": "Queue dashboard"},
        "staff.all": {"ja": "すべて", "en": "All"},
        "staff.filter": {"ja": "絞り込み", "en": "Filter"},
        "staff.none": {"ja": "該当するチケットはありません。", "en": "No tickets."},
        "staff.assignee": {"ja": "担当者", "en": "Assignee"},
        "staff.route": {"ja": "振り分け", "en": "Routing"},
        "staff.program": {"ja": "事業", "en": "Programme"},
        "staff.cites": {"ja": "根拠", "en": "Grounds"},
        "staff.notified": {"ja": "通知先", "en": "Alerted"},
        "staff.requester": {"ja": "相談者", "en": "Requester"},
        "staff.question": {"ja": "相談内容", "en": "Question"},
        "staff.excerpt": {"ja": "チャットでの質問と窓口の回答", "en": "The chat question and the desk's answer"},
        "staff.requester_question": {"ja": "相談者の質問", "en": "Requester's question"},
        "staff.history": {"ja": "履歴", "en": "History"},
        "staff.notes": {"ja": "内部メモ（相談者には表示されません）", "en": "Internal notes (not shown to the requester)"},
        "staff.no_notes": {"ja": "メモはありません。", "en": "No notes."},
        "staff.reply": {"ja": "相談者へ回答", "en": "Reply to the requester"},
        "staff.note": {"ja": "内部メモを追加", "en": "Add an internal note"},
        "staff.reroute": {"ja": "別のキューへ転送", "en": "Reroute to another queue"},
        "staff.reroute_to": {"ja": "転送先", "en": "New queue"},
        "staff.reason": {"ja": "理由", "en": "Reason"},
        "staff.status_to": {"ja": "状態を変更", "en": "Change status"},
        "staff.take": {"ja": "対応を開始する", "en": "Take it"},
        "staff.mark_answered": {"ja": "回答済みにする", "en": "Mark answered"},
        "staff.close": {"ja": "完了にする", "en": "Close"},
        "staff.reopen": {"ja": "対応中に戻す", "en": "Reopen"},
        "staff.first_response": {"ja": "初回回答までの時間", "en": "Time to first response"},
        "staff.resolution": {"ja": "解決までの時間", "en": "Time to resolution"},
        "staff.done": {"ja": "更新しました。", "en": "Updated."},
        "staff.rerouted_away": {
            "ja": "チケットを転送しました（転送先はあなたの担当外です）。",
            "en": "The ticket was rerouted (the new queue is outside yours).",
        },
        "staff.history.created": {
            "ja": "{actor}が相談を送信し、「{to}」で受け付けました。",
            "en": "{actor} sent the question; it was received in the queue “{to}”.",
        },
        "staff.history.status": {
            "ja": "{actor}が状態を「{from}」から「{to}」に変更しました。",
            "en": "{actor} changed the status from “{from}” to “{to}”.",
        },
        "staff.history.replied": {
            "ja": "{actor}が相談者に回答を送り、状態が「{from}」から「{to}」になりました。",
            "en": "{actor} replied to the requester; the status went from “{from}” to “{to}”.",
        },
        "staff.history.followup": {
            "ja": "{actor}がメッセージを送り、状態が「{from}」から「{to}」に戻りました。",
            "en": "{actor} sent a message; the status went back from “{from}” to “{to}”.",
        },
        "staff.history.rerouted": {
            "ja": "{actor}が「{from}」から「{to}」へ転送しました。理由: {reason}",
            "en": "{actor} rerouted the ticket from “{from}” to “{to}”. Reason: {reason}",
        },
        "staff.history.claimed": {
            "ja": "相談者がメールアドレスを確認し、この報告を自分のアカウント（{actor}）に追加しました。",
            "en": "The reporter confirmed their address and added this report to their account ({actor}).",
        },
        "staff.history.requester": {"ja": "相談者", "en": "The requester"},
        "staff.history.no_account": {"ja": "相談者（アカウントなし）", "en": "The requester (no account)"},
        "staff.contact": {"ja": "連絡先（報告者が入力）", "en": "Contact (given by the reporter)"},
        "staff.mail": {"ja": "メール通知", "en": "E-mail notifications"},
        "staff.no_mail": {"ja": "このチケットのメールはありません。", "en": "No mail for this ticket."},
        "staff.notify_mode": {"ja": "相談者へのメール", "en": "Mail to the requester"},
        "staff.duration": {"ja": "{h}時間{m:02d}分", "en": "{h} h {m:02d} min"},
        "staff.duration_days": {"ja": "{d}日{h}時間{m:02d}分", "en": "{d} d {h} h {m:02d} min"},
        "staff.bad_input": {"ja": "入力内容を確認してください。", "en": "Please check the values entered."},
    }
)

STATUS_ACTIONS = {"answered": "staff.mark_answered", "closed": "staff.close"}  # in_progress: take, or reopen
REQUESTER_MAILS = ("ticket.reply", "emergency.receipt")  # their address is not shown, only who it went to
STATE_EVENTS = ("status", "replied", "followup")  # history events whose values are states, not queues


@bp.app_template_global()
def history_sentence(event, ticket) -> str:
    """One line of a ticket's history as a sentence in the reader's language (no codes)."""
    if event.actor is None:
        actor = t("staff.history.no_account")
    elif event.actor_id == ticket.owner_id:
        actor = f"{t('staff.history.requester')} ({event.actor.display_name})"
    else:
        actor = event.actor.display_name
    name = (lambda v: t(f"status.{v}")) if event.kind in STATE_EVENTS else queue_label
    values = {"from": name(event.from_value) if event.from_value else "—",
              "to": name(event.to_value) if event.to_value else "—"}
    return t(f"staff.history.{event.kind}").format(actor=actor, reason=event.reason or "", **values)


@bp.app_template_filter("since")
def since(moment, start) -> str:
    """How long after `start` a ticket reached `moment` (first reply, resolution), e.g. `2時間05分` / `2 h 05 min`."""
    if moment is None:
        return "—"
    minutes = int((moment - start).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return t("staff.duration_days" if days else "staff.duration").format(d=days, h=hours, m=minutes)


@bp.before_request
def _staff_only():
    return deny_unless_role(*STAFF_ROLES, ADMIN)


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    status = SelectField(choices=["", *STATUSES], validators=[Optional()])
    queue = StringField(validators=[Optional(), Length(max=20)])


class StatusForm(FlaskForm):
    status = SelectField(choices=list(STATUSES))


class RerouteForm(FlaskForm):
    queue = SelectField(choices=list(service.REROUTE_TARGETS))
    reason = TextAreaField(validators=[DataRequired("ticket.error.reason"),
                                       Length(max=service.MAX_REASON_CHARS, message="tickets.too_long")])


def filterable_queues(user) -> list[str]:
    """The queues `user` may filter by: their visible queues, and `emergency` for their programme's alerts."""
    return [q for q in ALL_QUEUES if can_access(user, q, programme_fa=emergency_programme_fa(user))]


@bp.get("/")
def dashboard():
    form = FilterForm(request.args)
    if not form.validate():
        return _dashboard_page(form, [], {}), 400
    queue = form.queue.data or None
    if queue and queue not in filterable_queues(current_user):
        abort(404)
    scope = visibility.staff_scope(current_user)
    tickets = visibility.listed(scope, status=form.status.data or None, queue=queue)
    return _dashboard_page(form, tickets, visibility.status_counts(scope, queue=queue))


def _dashboard_page(form, tickets, counts):
    return render_template("staff/dashboard.html", form=form, tickets=tickets, counts=counts,
                           queues=filterable_queues(current_user))


@bp.get("/tickets/<ref>")
def ticket(ref: str):
    found = visibility.get_or_404(ref, current_user)
    service.record_view(found, current_user, "staff")
    db.session.commit()
    return _detail_page(found)


def _detail_page(ticket, status: int = 200, error: str | None = None, **bound_forms):
    forms = {"reply_form": MessageForm(prefix="reply"), "note_form": MessageForm(prefix="note"),
             "reroute_form": RerouteForm(queue=ticket.queue), **bound_forms}
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.ticket_ref == ticket.ref)
                               .order_by(OutboxMessage.id)).all()
    return render_template(
        "staff/detail.html", ticket=ticket, error=error, excerpt=conversation_excerpt(ticket), mails=mails,
        next_statuses=[(s, _action_label(ticket.status, s)) for s in manual_moves(ticket.status)],
        status_form=StatusForm(), requester_mails=REQUESTER_MAILS, **forms,
    ), status


def _action_label(current: str, target: str) -> str:
    if target == "in_progress":
        return "staff.take" if current == "new" else "staff.reopen"
    return STATUS_ACTIONS[target]


def _act(ticket, change, **bound_forms):
    """Apply `change`; on a rule violation re-show the page with the reason and the typed text kept."""
    try:
        change()
    except TicketError as error:
        db.session.rollback()
        return _detail_page(ticket, 409, error.message(), **bound_forms)
    db.session.commit()
    if not visibility.may_see(current_user, ticket):
        flash(t("staff.rerouted_away"), "success")
        return redirect(url_for("staff.dashboard"), 303)
    flash(t("staff.done"), "success")
    return redirect(url_for("staff.ticket", ref=ticket.ref), 303)


@bp.post("/tickets/<ref>/status")
def change_status(ref: str):
    found = visibility.get_or_404(ref, current_user)
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail_page(found, 400, t("staff.bad_input"))
    return _act(found, lambda: service.change_status(found, form.status.data, current_user))


@bp.post("/tickets/<ref>/reply")
@keeps_input
def reply(ref: str):
    found = visibility.get_or_404(ref, current_user)
    form = MessageForm(prefix="reply")
    if not form.validate_on_submit():
        return _detail_page(found, 400, reply_form=form)
    return _act(found, lambda: service.reply(found, current_user, form.body.data), reply_form=form)


@bp.post("/tickets/<ref>/note")
@keeps_input
def note(ref: str):
    found = visibility.get_or_404(ref, current_user)
    form = MessageForm(prefix="note")
    if not form.validate_on_submit():
        return _detail_page(found, 400, note_form=form)
    return _act(found, lambda: service.add_note(found, current_user, form.body.data), note_form=form)


@bp.post("/tickets/<ref>/reroute")
@keeps_input
def reroute(ref: str):
    found = visibility.get_or_404(ref, current_user)
    form = RerouteForm()
    if not form.validate_on_submit():
        return _detail_page(found, 400, reroute_form=form)
    return _act(found, lambda: service.reroute(found, current_user, form.queue.data, form.reason.data),
                reroute_form=form)
