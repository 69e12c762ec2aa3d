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
from helpdesk.tickets.handoff import Exchange, chat_exchange, route_of, shared_exchange
from helpdesk.tickets.routing import placement_for, queue_name

from .csrf_failure import keeps_input
from .i18n import MESSAGES, current_lang, t

bp = Blueprint("tickets", __name__)
DRAFT_KEY = "ticket_draft"

MESSAGES.update(
    {
        "tickets.mine": {"ja": "自分の相談", "en": "My tickets"},
        "tickets.new": {"ja": "担当者に相談する", "en": "Ask a person"},
        "tickets.none": {"ja": "相談はまだありません。", "en": "You have no tickets yet."},
        "tickets.draft_waiting": {
            "ja": "送信前の質問があります。", "en": "You have a question that has not been sent yet.",
        },
        "tickets.continue": {"ja": "続ける", "en": "Continue"},
        "tickets.login_first": {
            "ja": "担当者に引き継ぐには、ログインまたは利用者登録をしてください。入力した質問は保持されます。",
            "en": "Please log in or register to hand your question to a person. Your question is kept.",
        },
        "tickets.staff_cannot_submit": {
            "ja": "相談を送れるのは研究者アカウントのみです。",
            "en": "Only researcher accounts can send questions to the desk.",
        },
        "tickets.question": {"ja": "相談内容", "en": "Your question"},
        "tickets.shared_answer": {"ja": "あわせて共有される窓口の回答", "en": "The desk's answer, shared with it"},
        "tickets.shared_answer_help": {
            "ja": "担当者には、上の相談内容と、チャットでこの質問に窓口が示した次の回答だけが共有されます"
            "（チャットのそれ以外のやりとりは共有されません。相談内容を編集すると、この回答も共有されません）。",
            "en": "The staff see your question above and only this answer the desk gave to it in the chat "
            "(nothing else of the conversation; if you edit the question, this answer is not shared either).",
        },
        "tickets.question_help": {
            "ja": "必要に応じて編集できます。個人を特定する情報は必要な範囲にとどめてください。",
            "en": "You may edit it. Include personal details only as far as needed.",
        },
        "tickets.destination": {"ja": "送付先", "en": "Where it goes"},
        "tickets.why": {"ja": "理由", "en": "Why"},
        "tickets.urgent_note": {
            "ja": "緊急案件として扱われ、相談窓口・資金配分機関・内閣府に直ちに通知されます。",
            "en": "It is handled as urgent: the desk, the funding agency and the Cabinet Office are alerted at once.",
        },
        "tickets.route_updated": {
            "ja": "編集後の質問に合わせて送付先を確認しました。内容を確認のうえ、もう一度送信してください。",
            "en": "The destination was checked again for your edited question. Please review it and send again.",
        },
        "tickets.route_pending": {
            "ja": "送付先は質問の内容から判断し、送信前に表示します。",
            "en": "The destination is worked out from your question and shown before it is sent.",
        },
        "tickets.consent_heading": {"ja": "個人情報の取扱いについて（同意）", "en": "Handling of personal information (consent)"},
        "tickets.declare_heading": {"ja": "申告内容について（宣誓）", "en": "Declaration"},
        "tickets.agree": {"ja": "上記に同意します", "en": "I agree to the above"},
        "tickets.declare": {"ja": "上記のとおり宣誓します", "en": "I declare the above"},
        "tickets.consent_version": {"ja": "同意文の版", "en": "Consent wording version"},
        "tickets.submit": {"ja": "同意して送信", "en": "Agree and send"},
        "tickets.submitted": {"ja": "相談を受け付けました", "en": "Your question has been received"},
        "tickets.reference": {"ja": "受付番号", "en": "Reference"},
        "tickets.next_steps": {
            "ja": "担当者からの回答は「自分の相談」に表示されます。受付番号はお問い合わせの際にお使いください。",
            "en": "The reply will appear under \"My tickets\". Quote the reference if you contact the desk.",
        },
        "tickets.view": {"ja": "相談を表示", "en": "View the ticket"},
        "tickets.already": {
            "ja": "この質問は既に担当者に引き継がれています（受付番号 {ref}）。",
            "en": "This question has already been handed to a person (reference {ref}).",
        },
        "tickets.notify_heading": {"ja": "回答のお知らせ（メール）", "en": "Reply notifications (e-mail)"},
        "tickets.notify_link": {
            "ja": "お知らせとリンクのみ（回答の本文はメールに記載しない）",
            "en": "A notice with a link only (the reply's text is not put in the e-mail)",
        },
        "tickets.notify_full": {"ja": "回答の本文もメールに記載する", "en": "Include the reply's text in the e-mail"},
        "tickets.status": {"ja": "状態", "en": "Status"},
        "tickets.priority": {"ja": "優先度", "en": "Priority"},
        "tickets.queue": {"ja": "担当", "en": "Handled by"},
        "tickets.created": {"ja": "受付日時", "en": "Received"},
        "tickets.messages": {"ja": "やりとり", "en": "Messages"},
        "tickets.no_messages": {"ja": "まだ回答はありません。", "en": "No reply yet."},
        "tickets.from_staff": {"ja": "担当者", "en": "Staff"},
        "tickets.from_you": {"ja": "あなた", "en": "You"},
        "tickets.followup": {"ja": "追加のメッセージ", "en": "Add a message"},
        "tickets.send": {"ja": "送信", "en": "Send"},
        "tickets.sent": {"ja": "送信しました。", "en": "Sent."},
        "tickets.closed_note": {
            "ja": "この相談は完了しています。追加の相談は新しい質問として送ってください。",
            "en": "This ticket is closed. Please send any further question as a new one.",
        },
        "tickets.required": {"ja": "入力してください。", "en": "This field is required."},
        "tickets.too_long": {"ja": "長すぎます。", "en": "This is too long."},
    }
)


class HandoffForm(FlaskForm):
    conversation_id = StringField(validators=[Optional(), Length(max=64)])
    message_id = IntegerField(validators=[Optional()])
    question = TextAreaField(validators=[Optional()])


class ConsentForm(FlaskForm):
    question = TextAreaField(validators=[DataRequired("tickets.required")])
    # Fingerprint of the text whose destination the page showed: consent covers that destination only.
    routed = HiddenField()
    agree = BooleanField(validators=[DataRequired("ticket.error.consent_required")])
    declare = BooleanField(validators=[DataRequired("ticket.error.consent_required")])
    notify = RadioField(choices=[SelectChoice("link", "tickets.notify_link"), SelectChoice("full", "tickets.notify_full")],
                        default="link")


class MessageForm(FlaskForm):
    body = TextAreaField(validators=[DataRequired("tickets.required"),
                                     Length(max=service.MAX_BODY_CHARS, message="tickets.too_long")])


def fingerprint(question: str) -> str:
    return hashlib.sha256(question.encode()).hexdigest()[:16]


def _normalised(text: str | None) -> str:
    # Browsers send textarea line breaks as CRLF; compare and store questions with LF.
    return (text or "").replace("\r\n", "\n").strip()


@bp.app_template_global()
def queue_label(queue: str) -> str:
    return queue_name(queue, current_lang())


@bp.post("/handoff")
def handoff():
    """Keep the question to hand over (the session holds its ids or token), then go to the consent form
    (after login if needed)."""
    if current_user.is_authenticated and current_user.role != RESEARCHER:
        abort(403, t("tickets.staff_cannot_submit"))
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
            abort(400, t("ticket.error.too_long").format(limit=limit))
        # Kept server-side: a long question would overflow the session cookie (about 4 KB).
        _discard_pending()
        session[DRAFT_KEY] = {"pending": pending.keep(question)}
        db.session.commit()
    if user_id is None:
        flash(t("tickets.login_first"), "info")
        return redirect(url_for("auth.login", next=url_for("tickets.new")), 303)
    return redirect(url_for("tickets.new"), 303)


def _show_existing(ticket):
    """The message was handed over already: its ticket, not a second one (after login if needed)."""
    flash(t("tickets.already").format(ref=ticket.ref), "info")
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
        form.question.errors.append(t("ticket.error.too_long").format(limit=limit))
        return _consent_page(form, None), 400
    if not question:
        return _consent_page(form, None), 400
    route, shared = route_of(question, exchange), shared_exchange(question, exchange)
    if form.routed.data != fingerprint(question):
        # The page showed no destination, or one for other text: show this one (and what goes with
        # it) before anything is sent.
        form.routed.data = fingerprint(question)
        return _consent_page(form, route, shared, notice=t("tickets.route_updated"))
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
        flash(t("tickets.sent"), "success")
        return redirect(url_for("tickets.detail", ref=ticket.ref), 303)
    return render_template("tickets/detail.html", ticket=ticket, form=form), 400
