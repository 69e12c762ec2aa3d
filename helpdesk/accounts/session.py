"""Flask-Login wiring: loading the user of a session, and what anonymous visitors get."""
from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for

from helpdesk.extensions import db, login_manager
from helpdesk.web.i18n import t

from .access import wants_json
from .models import User


def init_login() -> None:
    # "strong": a session cookie replayed from another IP address or browser is dropped.
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)


def _load_user(user_id: str) -> User | None:
    """Deactivated users lose their existing sessions at once, not only their next login."""
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.is_active else None


def _unauthorized():
    if wants_json():
        return jsonify(error="login_required", message="Log in first."), 401
    flash(t("auth.login_required"), "info")
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
