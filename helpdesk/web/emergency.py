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
from helpdesk.tickets.handoff import chat_exchange

from .i18n import MESSAGES, current_lang, t

bp = Blueprint("emergency", __name__, url_prefix="/emergency")
REPORT_LIMIT = "3/minute;20/hour"
RECEIVED_KEY = "emergency_received"

MESSAGES.update(
    {
        "emergency.title": {"ja": "緊急事態の報告", "en": "Report an emergency"},
        "emergency.now": {"ja": "今すぐ行うこと", "en": "What to do now"},
        "emergency.step_institution": {
            "ja": "所属する研究機関の緊急時の連絡体制（研究セキュリティの担当部署）に直ちに連絡してください。"
                  "手順書は、研究機関に重要技術の流出等の緊急事態発生時の連絡体制を整備し、資金配分機関と対応手順を"
                  "調整しておくことを求めています。",
            "en": "Contact your research institution's emergency contact point (its research-security office) at once. "
                  "The guideline asks institutions to have a contact system for emergencies such as a leak of "
                  "important technology, with response procedures agreed with the funding agency.",
        },
        "emergency.step_report": {
            "ja": "下の欄からこの窓口に報告してください。アカウントは不要です。相談窓口から資金配分機関（緊急時の連絡・"
                  "対応体制）と内閣府に直ちに連絡します。",
            "en": "Report it to this desk below; no account is needed. The desk alerts the funding agency (its "
                  "emergency contact and response system) and the Cabinet Office at once.",
        },
        "emergency.guideline": {"ja": "手順書の定め", "en": "What the guideline says (Japanese)"},
        "emergency.form": {"ja": "緊急の報告（ログイン不要）", "en": "Emergency report (no login needed)"},
        "emergency.contact": {"ja": "連絡先（メールアドレスまたは電話番号）", "en": "How to reach you (e-mail or phone)"},
        "emergency.what": {"ja": "何が起きたか", "en": "What happened"},
        "emergency.what_help": {
            "ja": "いつ・何が・どこで起きたかを簡潔に。個人を特定する情報は必要な範囲にとどめてください。",
            "en": "Briefly: when, what and where. Include personal details only as far as needed.",
        },
        "emergency.consent": {"ja": "同意", "en": "Consent"},
        "emergency.agree": {"ja": "上記に同意して報告します", "en": "I agree and report"},
        "emergency.consent_required": {
            "ja": "報告するには、上記への同意が必要です。", "en": "Please give the consent above to send the report.",
        },
        "emergency.submit": {"ja": "緊急の報告を送る", "en": "Send the emergency report"},
        "emergency.received": {"ja": "緊急の報告を受け付けました", "en": "Your emergency report was received"},
        "emergency.received_lead": {
            "ja": "相談窓口・資金配分機関・内閣府に直ちに連絡しました。担当者からご連絡します。",
            "en": "The desk, the funding agency and the Cabinet Office have been alerted. A person will contact you.",
        },
        "emergency.received_mail": {
            "ja": "メールアドレスをお知らせいただいた場合は、受付のメールを送ります。メール内のリンクから、この報告を"
                  "あなたのアカウントに追加できます。",
            "en": "If you gave an e-mail address, a receipt is on its way; its link adds this report to your account.",
        },
        "emergency.already": {
            "ja": "この質問は既に緊急の報告として受け付けています。",
            "en": "This question has already been reported as an emergency.",
        },
        "emergency.rate_limited": {
            "ja": "この接続元からの報告が多すぎます。しばらく待つか、所属機関の緊急連絡体制に直接連絡してください。",
            "en": "Too many reports from this address. Please wait, or contact your institution's emergency "
                  "contact point directly.",
        },
        "emergency.claim_title": {"ja": "報告をアカウントに追加", "en": "Add the report to your account"},
        "emergency.claim_lead": {
            "ja": "受付番号 {ref} の緊急の報告を、ログイン中のアカウント（{email}）に追加します。",
            "en": "This adds the emergency report {ref} to the account you are logged in with ({email}).",
        },
        "emergency.claim_submit": {"ja": "追加する", "en": "Add it"},
        "emergency.claim_invalid": {
            "ja": "このリンクは無効か、期限切れか、既に使われています。",
            "en": "This link is not valid, has expired or has been used already.",
        },
        "emergency.claimed": {"ja": "報告をあなたのアカウントに追加しました。", "en": "The report is now in your account."},
    }
)


class ReportForm(FlaskForm):
    contact = StringField(validators=[DataRequired("ticket.error.contact"),
                                      Length(max=emergency.MAX_CONTACT_CHARS, message="tickets.too_long")])
    what = TextAreaField(validators=[DataRequired("tickets.required")])
    agree = BooleanField(validators=[DataRequired("emergency.consent_required")])
    conversation_id = StringField(validators=[Optional(), Length(max=64)])
    message_id = IntegerField(validators=[Optional()])

    def validate_contact(self, field):
        try:
            emergency.parse_contact(field.data)
        except TicketError as error:
            raise ValidationError(error.key) from None


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
    return _page(ReportForm(), error=t("emergency.rate_limited")), 429


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
        flash(t("emergency.claimed"), "success")
        return redirect(url_for("tickets.detail", ref=ticket.ref), 303)
    return render_template("emergency/claim.html", ticket=ticket, form=form)


def _page(form: ReportForm, error: str | None = None):
    return render_template("emergency/report.html", form=form, error=error)
