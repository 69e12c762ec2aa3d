"""Emergencies first, without a login wall: `/emergency` says what the guideline asks to be done and by whom,
and takes a minimal report (contact, what happened, consent) that becomes an urgent ticket; the chat's
emergency answer embeds the same form. `/emergency/claim/<token>` (the link mailed to the reporter)
adds the ticket to the account of whoever proves the address. Reports are rate-limited per address."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from helpdesk.accounts import role_required
from helpdesk.accounts.roles import RESEARCHER
from helpdesk.extensions import db, limiter
from helpdesk.tickets import TicketError, claims, emergency, service
from helpdesk.tickets.errors import TEXTS as TICKET_ERRORS
from helpdesk.tickets.handoff import chat_exchange

from .i18n import REQUIRED, TOO_LONG, _, _l, current_lang

bp = Blueprint("emergency", __name__, url_prefix="/emergency")
REPORT_LIMIT = "3/minute;20/hour"
RECEIVED_KEY = "emergency_received"


class ReportForm(FlaskForm):
    contact = StringField(validators=[DataRequired(TICKET_ERRORS["contact"]),
                                      Length(max=emergency.MAX_CONTACT_CHARS, message=TOO_LONG)])
    what = TextAreaField(validators=[DataRequired(REQUIRED)])
    agree = BooleanField(validators=[DataRequired(_l("Please give the consent above to send the report."))])
    conversation_id = StringField(validators=[Optional(), Length(max=64)])
    message_id = IntegerField(validators=[Optional()])

    def validate_contact(self, field):
        try:
            emergency.parse_contact(field.data)
        except TicketError as error:
            raise ValidationError(error.message()) from None


class ClaimForm(FlaskForm):
    pass


@bp.app_template_global()
def emergency_guidance():
    return emergency.guidance()


@bp.app_template_global()
def emergency_consent_text(lang: str) -> str:
    return emergency.TEXT.get(lang, emergency.TEXT["ja"])


@bp.errorhandler(429)
def _rate_limited(_error):
    return _page(ReportForm(), error=_("Too many reports from this address. Please wait, or contact your "
                                       "institution's emergency contact point directly.")), 429


@bp.get("/")
def form():
    default = current_user.email if current_user.is_authenticated else ""
    return _page(ReportForm(contact=default))


@bp.post("/")
@limiter.limit(REPORT_LIMIT)
def report():
    form = ReportForm()
    if not form.validate_on_submit():
        return _page(form), 400
    user = current_user if current_user.is_authenticated and current_user.role == RESEARCHER else None
    try:
        exchange = None
        if form.conversation_id.data and form.message_id.data:
            exchange = chat_exchange(form.conversation_id.data, form.message_id.data, user.id if user else None)
        ticket, created = emergency.report(form.what.data, form.contact.data, lang=current_lang(), owner=user,
                                           exchange=exchange,
                                           max_chars=current_app.config["HELPDESK_MAX_QUESTION_CHARS"])
        db.session.commit()
    except TicketError as error:
        db.session.rollback()
        return _page(form, error=error.message()), 400
    except IntegrityError:  # the same chat message reported twice at once: the other request has it
        db.session.rollback()
        ticket, created = service.for_message(exchange.conversation_id, exchange.message_id), False
    session[RECEIVED_KEY] = {"ref": ticket.ref, "again": not created}
    return redirect(url_for("emergency.received"), 303)


@bp.get("/received")
def received():
    shown = session.get(RECEIVED_KEY)
    if not shown:
        return redirect(url_for("emergency.form"))
    return render_template("emergency/received.html", ref=shown["ref"], again=shown.get("again"))


@bp.route("/claim/<token>", methods=["GET", "POST"])
@role_required(RESEARCHER)
def claim(token: str):
    ticket = claims.ticket_for(token) if len(token) < 500 else None
    if ticket is None:
        return render_template("emergency/claim.html", ticket=None, form=None), 404
    form = ClaimForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        service.claim(ticket, current_user)
        db.session.commit()
        flash(_("The report is now in your account."), "success")
        return redirect(url_for("tickets.detail", ref=ticket.ref), 303)
    return render_template("emergency/claim.html", ticket=ticket, form=form)


def _page(form: ReportForm, error: str | None = None):
    return render_template("emergency/report.html", form=form, error=error)
