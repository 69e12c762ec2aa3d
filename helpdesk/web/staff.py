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
from helpdesk.tickets.errors import TEXTS as TICKET_ERRORS
from helpdesk.tickets.handoff import conversation_excerpt
from helpdesk.tickets.lifecycle import manual_moves
from helpdesk.tickets.models import STATUSES

from ..tickets.lifecycle import status_label
from .csrf_failure import keeps_input
from .i18n import TOO_LONG, _, _l
from .tickets import MessageForm, queue_label

bp = Blueprint("staff", __name__, url_prefix="/staff")


STATUS_ACTIONS = {"answered": _l("Mark answered"), "closed": _l("Close")}  # in_progress: take, or reopen
REQUESTER_MAILS = ("ticket.reply", "emergency.receipt")  # their address is not shown, only who it went to
STATE_EVENTS = ("status", "replied", "followup")  # history events whose values are states, not queues
HISTORY = {
    "created": _l("{actor} sent the question; it was received in the queue “{to}”."),
    "status": _l("{actor} changed the status from “{from}” to “{to}”."),
    "replied": _l("{actor} replied to the requester; the status went from “{from}” to “{to}”."),
    "followup": _l("{actor} sent a message; the status went back from “{from}” to “{to}”."),
    "rerouted": _l("{actor} rerouted the ticket from “{from}” to “{to}”. Reason: {reason}"),
    "claimed": _l("The reporter confirmed their address and added this report to their account ({actor})."),
}


@bp.app_template_global()
def history_sentence(event, ticket) -> str:
    """One line of a ticket's history as a sentence in the reader's language (no codes)."""
    if event.actor is None:
        actor = _("The requester (no account)")
    elif event.actor_id == ticket.owner_id:
        actor = _("The requester") + f" ({event.actor.display_name})"
    else:
        actor = event.actor.display_name
    name = status_label if event.kind in STATE_EVENTS else queue_label
    values = {"from": name(event.from_value) if event.from_value else "—",
              "to": name(event.to_value) if event.to_value else "—"}
    return str(HISTORY[event.kind]).format(actor=actor, reason=event.reason or "", **values)


@bp.app_template_filter("since")
def since(moment, start) -> str:
    """How long after `start` a ticket reached `moment` (first reply, resolution), e.g. `2時間05分` / `2 h 05 min`."""
    if moment is None:
        return "—"
    minutes = int((moment - start).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return (_("{d} d {h} h {m:02d} min") if days else _("{h} h {m:02d} min")).format(d=days, h=hours, m=minutes)


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
    reason = TextAreaField(validators=[DataRequired(TICKET_ERRORS["reason"]),
                                       Length(max=service.MAX_REASON_CHARS, message=TOO_LONG)])


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
        return _l("Take it") if current == "new" else _l("Reopen")
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
        flash(_("The ticket was rerouted (the new queue is outside yours)."), "success")
        return redirect(url_for("staff.dashboard"), 303)
    flash(_("Updated."), "success")
    return redirect(url_for("staff.ticket", ref=ticket.ref), 303)


@bp.post("/tickets/<ref>/status")
def change_status(ref: str):
    found = visibility.get_or_404(ref, current_user)
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail_page(found, 400, _("Please check the values entered."))
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
