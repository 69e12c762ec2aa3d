"""The researcher's side of tickets: hand a question to a person (with consent), follow one's own tickets.

`POST /handoff` (from the chat, or a free question) keeps the question (server-side; the session holds
its ids or a token) and sends
anonymous visitors to log in first; `/tickets/new` shows the consent, where the question goes and
why, and creates the ticket; `/tickets` and `/tickets/<ref>` show the researcher's own tickets only.
"""
from __future__ import annotations

import hashlib

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from helpdesk.accounts import role_required
from helpdesk.accounts.roles import RESEARCHER
from helpdesk.answering.language import detect_lang
from helpdesk.extensions import db
from helpdesk.tickets import TicketError, consent, pending, service, visibility
from helpdesk.tickets.errors import TEXTS as TICKET_ERRORS
from helpdesk.tickets.handoff import Exchange, chat_exchange, route_of, shared_exchange
from helpdesk.tickets.lifecycle import status_label
from helpdesk.tickets.routing import placement_for, queue_name

from .csrf_failure import keeps_input
from .i18n import REQUIRED, TOO_LONG, _, _l, current_lang

bp = Blueprint("tickets", __name__)
bp.add_app_template_global(status_label)
DRAFT_KEY = "ticket_draft"
NOTIFY_MODES = {
    "link": _l("A notice with a link only (the reply's text is not put in the e-mail)"),
    "full": _l("Include the reply's text in the e-mail"),
}


class HandoffForm(FlaskForm):
    conversation_id = StringField(validators=[Optional(), Length(max=64)])
    message_id = IntegerField(validators=[Optional()])
    question = TextAreaField(validators=[Optional()])


class ConsentForm(FlaskForm):
    question = TextAreaField(validators=[DataRequired(REQUIRED)])
    # Fingerprint of the text whose destination the page showed: consent covers that destination only.
    routed = HiddenField()
    agree = BooleanField(validators=[DataRequired(TICKET_ERRORS["consent_required"])])
    declare = BooleanField(validators=[DataRequired(TICKET_ERRORS["consent_required"])])
    notify = RadioField(choices=[SelectChoice(mode, label) for mode, label in NOTIFY_MODES.items()], default="link")


class MessageForm(FlaskForm):
    body = TextAreaField(validators=[DataRequired(REQUIRED),
                                     Length(max=service.MAX_BODY_CHARS, message=TOO_LONG)])


def fingerprint(question: str) -> str:
    return hashlib.sha256(question.encode()).hexdigest()[:16]


def _normalised(text: str | None) -> str:
    # Browsers send textarea line breaks as CRLF; compare and store questions with LF.
    return (text or "").replace("\r\n", "\n").strip()


@bp.app_template_global()
def notify_mode_label(mode: str) -> str:
    return str(NOTIFY_MODES[mode])


@bp.app_template_global()
def queue_label(queue: str) -> str:
    return queue_name(queue, current_lang())


@bp.post("/handoff")
def handoff():
    """Keep the question to hand over (the session holds its ids or token), then go to the consent form
    (after login if needed)."""
    if current_user.is_authenticated and current_user.role != RESEARCHER:
        abort(403, _("Only researcher accounts can send questions to the desk."))
    form = HandoffForm()
    if not form.validate_on_submit():
        abort(400)
    user_id = current_user.id if current_user.is_authenticated else None
    if form.conversation_id.data and form.message_id.data:
        try:
            exchange = chat_exchange(form.conversation_id.data, form.message_id.data, user_id)
        except TicketError as error:
            flash(error.message(), "error")
            return redirect("/", 303)
        existing = service.for_message(exchange.conversation_id, exchange.message_id)
        if existing is not None:
            return _show_existing(existing)
        _discard_pending()
        session[DRAFT_KEY] = {"conversation_id": form.conversation_id.data, "message_id": form.message_id.data}
        db.session.commit()
    else:
        question = _normalised(form.question.data)
        limit = current_app.config["HELPDESK_MAX_QUESTION_CHARS"]
        if len(question) > limit:
            abort(400, _("This is too long (at most {limit} characters).").format(limit=limit))
        # Kept server-side: a long question would overflow the session cookie (about 4 KB).
        _discard_pending()
        session[DRAFT_KEY] = {"pending": pending.keep(question)}
        db.session.commit()
    if user_id is None:
        flash(_("Please log in or register to hand your question to a person. Your question is kept."), "info")
        return redirect(url_for("auth.login", next=url_for("tickets.new")), 303)
    return redirect(url_for("tickets.new"), 303)


def _show_existing(ticket):
    """The message was handed over already: its ticket, not a second one (after login if needed)."""
    flash(_("This question has already been handed to a person (reference {ref}).").format(ref=ticket.ref), "info")
    target = url_for("tickets.detail", ref=ticket.ref)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=target), 303)
    return redirect(target, 303)


def _discard_pending() -> None:
    pending.discard((session.get(DRAFT_KEY) or {}).get("pending"))


def _draft_exchange() -> Exchange | None:
    draft = session.get(DRAFT_KEY) or {}
    if "conversation_id" not in draft:
        return None
    try:
        return chat_exchange(draft["conversation_id"], draft["message_id"], current_user.id)
    except TicketError:
        return None


@bp.route("/tickets/new", methods=["GET", "POST"])
@keeps_input
@role_required(RESEARCHER)
def new():
    exchange = _draft_exchange()
    if request.method == "GET":
        question = exchange.question if exchange else pending.question_for((session.get(DRAFT_KEY) or {}).get("pending")) or ""
        route = route_of(question, exchange) if question else None
        form = ConsentForm(question=question, routed=fingerprint(question) if route else "")
        return _consent_page(form, route, shared_exchange(question, exchange))

    form = ConsentForm()
    valid = form.validate_on_submit()
    question = _normalised(form.question.data)
    limit = current_app.config["HELPDESK_MAX_QUESTION_CHARS"]
    if len(question) > limit:
        form.question.errors.append(_("This is too long (at most {limit} characters).").format(limit=limit))
        return _consent_page(form, None), 400
    if not question:
        return _consent_page(form, None), 400
    route, shared = route_of(question, exchange), shared_exchange(question, exchange)
    if form.routed.data != fingerprint(question):
        # The page showed no destination, or one for other text: show this one (and what goes with
        # it) before anything is sent.
        form.routed.data = fingerprint(question)
        notice = _("The destination was checked again for your edited question. Please review it and send again.")
        return _consent_page(form, route, shared, notice=notice)
    if not valid:
        return _consent_page(form, route, shared), 400
    if not current_user.is_verified:
        return _consent_page(form, route, shared), 403  # the page says why and offers the link again; the text stays
    existing = service.for_message(shared.conversation_id, shared.message_id) if shared else None
    if existing is None:
        try:
            ticket = service.create_ticket(
                current_user, question, route, lang=detect_lang(question), consent_lang=current_lang(),
                conversation_id=shared.conversation_id if shared else None,
                message_id=shared.message_id if shared else None, notify_mode=form.notify.data,
            )
            _discard_pending()
            db.session.commit()
        except IntegrityError:  # the same message sent twice at once: the other request made its ticket
            db.session.rollback()
            existing = service.for_message(shared.conversation_id, shared.message_id) if shared else None
            if existing is None:
                raise
    session.pop(DRAFT_KEY, None)
    if existing is not None:
        return _show_existing(existing)
    return redirect(url_for("tickets.submitted", ref=ticket.ref), 303)


def _consent_page(form: ConsentForm, route: dict | None, shared: Exchange | None = None, notice: str | None = None):
    """The consent form; `shared`: the chat exchange that goes with the question (its answer is shown)."""
    place = placement_for(route) if route else None
    return render_template("tickets/new.html", form=form, route=route, place=place, notice=notice,
                           shared_answer=shared.answer if shared else None,
                           consent_text=consent.text_for(current_lang()), consent_version=consent.VERSION)


def _own_ticket(ref: str):
    # These views are for researchers, whose access rule is ownership: anyone else's ticket is a 404.
    ticket = visibility.get_or_404(ref, current_user)
    service.record_view(ticket, current_user, "requester")
    db.session.commit()
    return ticket


@bp.get("/tickets/<ref>/submitted")
@role_required(RESEARCHER)
def submitted(ref: str):
    return render_template("tickets/submitted.html", ticket=_own_ticket(ref))


@bp.get("/tickets")
@role_required(RESEARCHER)
def mine():
    tickets = visibility.listed(visibility.scope_for(current_user))
    return render_template("tickets/list.html", tickets=tickets, draft_waiting=DRAFT_KEY in session)


@bp.get("/tickets/<ref>")
@role_required(RESEARCHER)
def detail(ref: str):
    return render_template("tickets/detail.html", ticket=_own_ticket(ref), form=MessageForm())


@bp.post("/tickets/<ref>/messages")
@keeps_input
@role_required(RESEARCHER)
def follow_up(ref: str):
    ticket = visibility.get_or_404(ref, current_user)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            service.follow_up(ticket, current_user, form.body.data)
        except TicketError as error:
            db.session.rollback()
            return render_template("tickets/detail.html", ticket=ticket, form=form, error=error.message()), 409
        db.session.commit()
        flash(_("Sent."), "success")
        return redirect(url_for("tickets.detail", ref=ticket.ref), 303)
    return render_template("tickets/detail.html", ticket=ticket, form=form), 400
