"""Login, logout and researcher self-registration."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, flash, jsonify, redirect, render_template, request
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from helpdesk import audit
from helpdesk.accounts import service
from helpdesk.accounts.access import wants_json
from helpdesk.accounts.errors import AccountError
from helpdesk.accounts.session import init_login
from helpdesk.extensions import db, limiter

from .i18n import MESSAGES, current_lang, t

bp = Blueprint("auth", __name__)
bp.record_once(lambda _state: init_login())

LOGIN_LIMIT = "10/minute"
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
        "auth.registered": {"ja": "登録しました。", "en": "Your account has been created."},
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
def rate_limited(_error):
    if wants_json():
        return jsonify(error="rate_limited", message=t("auth.rate_limited", "en")), 429
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
            login_user(user)
            flash(t("auth.welcome"), "success")
            return redirect(safe_next(form.next.data) if form.next.data else LANDING.get(user.role, "/"))
        form.password.errors.append("auth.failed")
    return render_template("auth/login.html", form=form), 400 if request.method == "POST" else 200


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        audit.record("auth.logout", "user", current_user.id)
        db.session.commit()
        logout_user()
        flash(t("auth.logged_out"), "info")
    return redirect("/")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def register():
    form = RegisterForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = service.create_user(form.email.data, form.display_name.data, form.password.data)
            user.lang = current_lang()
        except AccountError as exc:
            db.session.rollback()
            form.form_errors.append(exc.message())
        else:
            db.session.commit()
            login_user(user)
            flash(t("auth.registered"), "success")
            return redirect(safe_next(form.next.data))
    return render_template("auth/register.html", form=form), 400 if request.method == "POST" else 200
