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
from .i18n import MESSAGES, current_lang, t

bp = Blueprint("auth", __name__)
bp.record_once(lambda _state: init_login())

LOGIN_LIMIT = "10/minute"
RESEND_LIMIT = "3/minute"
# Where each role lands after logging in (when no `next=` asks for a page).
LANDING = {"desk_agent": "/staff/", "fa_agent": "/staff/", "ministry_agent": "/staff/", "curator": "/curation/",
           "admin": "/admin/"}

MESSAGES.update(
    {
        "auth.login": {"ja": "ログイン", "en": "Log in"},
        "auth.logout": {"ja": "ログアウト", "en": "Log out"},
        "auth.register": {"ja": "利用者登録", "en": "Register"},
        "auth.register_lead": {
            "ja": "研究者の方はここで登録できます。窓口職員のアカウントは管理者が発行します。",
            "en": "Researchers can register here. Staff accounts are issued by an administrator.",
        },
        "auth.email": {"ja": "メールアドレス", "en": "E-mail address"},
        "auth.password": {"ja": "パスワード", "en": "Password"},
        "auth.password_confirm": {"ja": "パスワード（確認）", "en": "Password (again)"},
        "auth.display_name": {"ja": "表示名", "en": "Display name"},
        "auth.no_account": {"ja": "アカウントをお持ちでない方", "en": "No account yet?"},
        "auth.required": {"ja": "入力してください。", "en": "This field is required."},
        "auth.too_long": {"ja": "長すぎます。", "en": "This is too long."},
        "auth.password_mismatch": {"ja": "パスワードが一致しません。", "en": "The passwords do not match."},
        "auth.failed": {
            "ja": "メールアドレスまたはパスワードが正しくありません。",
            "en": "The e-mail address or password is not correct.",
        },
        "auth.welcome": {"ja": "ログインしました。", "en": "You are logged in."},
        "auth.check_mail_title": {"ja": "メールを確認してください", "en": "Check your e-mail"},
        "auth.check_mail": {
            "ja": "入力されたアドレスに確認用のリンクを送りました。リンクを開いてアドレスを確認したあと、ログインしてください。"
                  "このアドレスで既に登録済みの場合は、その旨をお知らせするメールが届きます。",
            "en": "We have sent a link to the address you entered. Open it to verify the address, then log in. "
                  "If the address is already registered, the mail says so instead.",
        },
        "auth.verified": {
            "ja": "メールアドレスを確認しました。", "en": "Your e-mail address is verified.",
        },
        "auth.verify_failed_title": {"ja": "確認できませんでした", "en": "The link did not work"},
        "auth.verify_failed": {
            "ja": "確認用リンクが無効か、有効期限が切れています。ログインして、確認用メールを再送してください。",
            "en": "The verification link is invalid or has expired. Log in and ask for a new one.",
        },
        "auth.verify_needed": {
            "ja": "相談を送るには、メールアドレスの確認が必要です。登録時に送った確認用リンクを開いてください。",
            "en": "Your e-mail address must be verified before you can send a question. Open the link we sent "
                  "when you registered.",
        },
        "auth.verify_resend": {"ja": "確認用メールを再送する", "en": "Send the link again"},
        "auth.verify_resent": {
            "ja": "確認用リンクを再送しました。", "en": "We have sent the verification link again.",
        },
        "auth.change_password": {"ja": "パスワード変更", "en": "Change password"},
        "auth.current_password": {"ja": "現在のパスワード", "en": "Current password"},
        "auth.new_password": {"ja": "新しいパスワード", "en": "New password"},
        "auth.password_changed": {
            "ja": "パスワードを変更しました。ほかの端末のログインはすべて終了しました。",
            "en": "Your password is changed. You are logged out everywhere else.",
        },
        "auth.session_expired": {
            "ja": "一定時間が経過したため、ログインの有効期限が切れました。もう一度ログインしてください。",
            "en": "Your session has expired. Please log in again.",
        },
        "auth.logged_out": {"ja": "ログアウトしました。", "en": "You are logged out."},
        "auth.login_required": {"ja": "ログインしてください。", "en": "Please log in to continue."},
        "auth.rate_limited": {
            "ja": "試行回数が多すぎます。1分ほど待ってから再度お試しください。",
            "en": "Too many attempts. Please wait a minute and try again.",
        },
    }
)


class LoginForm(FlaskForm):
    # Validator messages are UI keys; templates show them through t().
    email = EmailField(validators=[DataRequired("auth.required"), Length(max=254, message="auth.too_long")])
    password = PasswordField(validators=[DataRequired("auth.required"), Length(max=128, message="auth.too_long")])
    next = HiddenField()


class RegisterForm(FlaskForm):
    email = EmailField(validators=[DataRequired("auth.required"), Length(max=254, message="auth.too_long")])
    display_name = StringField(validators=[DataRequired("auth.required"), Length(max=100, message="auth.too_long")])
    password = PasswordField(validators=[DataRequired("auth.required"), Length(max=128, message="auth.too_long")])
    password_confirm = PasswordField(
        validators=[DataRequired("auth.required"), EqualTo("password", message="auth.password_mismatch")]
    )
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current = PasswordField(validators=[DataRequired("auth.required"), Length(max=128, message="auth.too_long")])
    password = PasswordField(validators=[DataRequired("auth.required"), Length(max=128, message="auth.too_long")])
    password_confirm = PasswordField(
        validators=[DataRequired("auth.required"), EqualTo("password", message="auth.password_mismatch")]
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
            flash(t("auth.welcome"), "success")
            return redirect(safe_next(form.next.data) if form.next.data else LANDING.get(user.role, "/"))
        form.password.errors.append("auth.failed")
    return render_template("auth/login.html", form=form), 400 if request.method == "POST" else 200


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        service.log_out(current_user)  # every session of this user ends, copied cookies included
        db.session.commit()
        end_session()
        flash(t("auth.logged_out"), "info")
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
            flash(t("auth.password_changed"), "success")
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
    return render_template("auth/message.html", title=t("auth.check_mail_title"), message=t("auth.check_mail"))


@bp.get("/verify/<token>")
def verify(token: str):
    user = verification.user_for(token)
    if user is None:
        return render_template("auth/message.html", title=t("auth.verify_failed_title"),
                               message=t("auth.verify_failed"), alert=True), 400
    if service.mark_verified(user):
        db.session.commit()
    flash(t("auth.verified"), "success")
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
        flash(t("auth.verify_resent"), "info")
    return redirect(next_url, 303)
