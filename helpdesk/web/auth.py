"""Login, logout, password change, researcher self-registration and e-mail verification."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.security import generate_password_hash
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from helpdesk import audit
from helpdesk.accounts import service, verification
from helpdesk.accounts.access import wants_json
from helpdesk.accounts.errors import AccountError
from helpdesk.accounts.session import end_session, init_login, start_session
from helpdesk.extensions import db, limiter

from .api.errors import http_error
from .i18n import REQUIRED, TOO_LONG, _, _l, current_lang

bp = Blueprint("auth", __name__)
bp.record_once(lambda _state: init_login())

LOGIN_LIMIT = "10/minute"
RESEND_LIMIT = "3/minute"
# Where each role lands after logging in (when no `next=` asks for a page).
LANDING = {"desk_agent": "/staff/", "fa_agent": "/staff/", "ministry_agent": "/staff/", "curator": "/curation/",
           "admin": "/admin/"}


class LoginForm(FlaskForm):
    # Validator messages are lazy catalogue messages, shown in the request's language.
    email = EmailField(validators=[DataRequired(REQUIRED), Length(max=254, message=TOO_LONG)])
    password = PasswordField(validators=[DataRequired(REQUIRED), Length(max=128, message=TOO_LONG)])
    next = HiddenField()


class RegisterForm(FlaskForm):
    email = EmailField(validators=[DataRequired(REQUIRED), Length(max=254, message=TOO_LONG)])
    display_name = StringField(validators=[DataRequired(REQUIRED), Length(max=100, message=TOO_LONG)])
    password = PasswordField(validators=[DataRequired(REQUIRED), Length(max=128, message=TOO_LONG)])
    password_confirm = PasswordField(
        validators=[DataRequired(REQUIRED), EqualTo("password", message=_l("The passwords do not match."))]
    )
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current = PasswordField(validators=[DataRequired(REQUIRED), Length(max=128, message=TOO_LONG)])
    password = PasswordField(validators=[DataRequired(REQUIRED), Length(max=128, message=TOO_LONG)])
    password_confirm = PasswordField(
        validators=[DataRequired(REQUIRED), EqualTo("password", message=_l("The passwords do not match."))]
    )


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else "/": `next=` must never send users elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def _attempted_account() -> str:
    """Rate-limit key per attempted account, hashed so that limiter storage holds no e-mails."""
    email = service.normalise_email(request.form.get("email", ""))
    return "login-account:" + hashlib.sha256(email.encode()).hexdigest()


@bp.errorhandler(429)
def rate_limited(error):
    if wants_json():
        return http_error(error)
    return render_template("auth/rate_limited.html"), 429


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"], key_func=_attempted_account, scope="login-account")
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is not None:
            user.lang = current_lang()  # their mails are written in the language they use the site in
        db.session.commit()  # keeps the audit event of a failed attempt too
        if user is not None:
            start_session(user)
            flash(_("You are logged in."), "success")
            return redirect(safe_next(form.next.data) if form.next.data else LANDING.get(user.role, "/"))
        form.password.errors.append(_l("The e-mail address or password is not correct."))
    return render_template("auth/login.html", form=form), 400 if request.method == "POST" else 200


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        service.log_out(current_user)  # every session of this user ends, copied cookies included
        db.session.commit()
        end_session()
        flash(_("You are logged out."), "info")
    return redirect("/")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            service.change_own_password(current_user, form.current.data, form.password.data)
        except AccountError as exc:
            db.session.rollback()
            form.form_errors.append(exc.message())
        else:
            db.session.commit()
            start_session(current_user)  # this browser carries on under the new session token
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect("/")
    return render_template("auth/password.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def register():
    """Register a researcher. A new address and a registered one get the same answer and the same next
    step (check your mail); only the mail differs, so the form does not tell who has an account."""
    form = RegisterForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        next_url = safe_next(form.next.data)
        try:
            user = service.create_user(form.email.data, form.display_name.data, form.password.data)
            user.lang = current_lang()  # their mails are written in the language they use the site in
        except AccountError as exc:
            db.session.rollback()
            if exc.key != "account.error.email_taken":
                form.form_errors.append(exc.message())
                return render_template("auth/register.html", form=form), 400
            generate_password_hash(form.password.data)  # as long as creating an account takes
            existing = service.find_by_email(form.email.data)
            audit.record("auth.register_existing", "user", existing.id)
            db.session.commit()
            verification.send_already_registered(existing, _site_url(url_for("auth.login", next=next_url)))
        else:
            db.session.commit()
            _send_link(user, next_url)
        return redirect(url_for("auth.check_mail"))
    return render_template("auth/register.html", form=form), 400 if request.method == "POST" else 200


def _site_url(path: str) -> str:
    # Links in mails use the configured site address, never the request's Host header (which a client sets).
    return current_app.config["HELPDESK_BASE_URL"] + path


def _send_link(user, next_url: str) -> None:
    verification.send_verification(user, _site_url(url_for("auth.verify", token=verification.token_for(user),
                                                           next=next_url)))


@bp.get("/register/sent")
def check_mail():
    message = _("We have sent a link to the address you entered. Open it to verify the address, then log in. "
                "If the address is already registered, the mail says so instead.")
    return render_template("auth/message.html", title=_("Check your e-mail"), message=message)


@bp.get("/verify/<token>")
def verify(token: str):
    user = verification.user_for(token)
    if user is None:
        return render_template("auth/message.html", title=_("The link did not work"),
                               message=_("The verification link is invalid or has expired. Log in and ask for a new "
                                         "one."), alert=True), 400
    if service.mark_verified(user):
        db.session.commit()
    flash(_("Your e-mail address is verified."), "success")
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(next_url)
    return redirect(url_for("auth.login", next=next_url))


@bp.post("/verify/resend")
@login_required
@limiter.limit(RESEND_LIMIT)
def resend_verification():
    next_url = safe_next(request.form.get("next"))
    if not current_user.is_verified:
        _send_link(current_user, next_url)
        flash(_("We have sent the verification link again."), "info")
    return redirect(next_url, 303)
