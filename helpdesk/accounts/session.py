"""Flask-Login wiring: starting a session, loading its user on each request, and ending it.

A session names its user as "<id>.<session token>" (`User.get_id`). Replacing the user's token
(`User.end_sessions`: logout, password change, deactivation) makes every cookie issued before it
name nobody, so a copied cookie stops working at once. Each session also carries its login time
and the time of its last request: past the idle or the absolute timeout it names nobody either.
"""
from __future__ import annotations

import hmac
import time

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_login import login_user, logout_user

from helpdesk.extensions import db, login_manager
from helpdesk.i18n import _

from .access import wants_json
from .models import User
from .roles import RESEARCHER

LOGIN_AT, SEEN_AT = "auth_at", "seen_at"  # session keys, seconds since the epoch
SEEN_RESOLUTION = 60  # refresh the last-request time at most once a minute (each refresh re-sends the cookie)


def init_login() -> None:
    # "strong": a session cookie replayed from another IP address or browser is dropped.
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)


def start_session(user: User) -> None:
    """Log `user` in on this browser with a fresh CSRF token and fresh timeouts."""
    # Flask-WTF keeps the token's secret in the session and caches it on `g`: drop both so that a
    # token seen before login (e.g. on a shared machine) is worthless afterwards.
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    # Not a permanent session: Flask-Login's "strong" protection only drops a replayed cookie of a
    # non-permanent one. The cookie ends with the browser; the server ends the session by the timeouts.
    login_user(user)
    now = int(time.time())
    session[LOGIN_AT] = session[SEEN_AT] = now


def end_session() -> None:
    """Log out this browser (callers end the user's other sessions with `User.end_sessions`)."""
    logout_user()
    _forget_login()


def _forget_login() -> None:
    # Flask-Login's own keys too: inside the user loader, logout_user() would call the loader again.
    for key in ("_user_id", "_fresh", "_id", LOGIN_AT, SEEN_AT, "csrf_token"):
        session.pop(key, None)


def idle_limit(user: User) -> int:
    """Seconds without a request after which `user`'s session ends: shorter for staff than researchers."""
    config = current_app.config
    minutes = config["HELPDESK_RESEARCHER_IDLE_MINUTES"] if user.role == RESEARCHER \
        else config["HELPDESK_SESSION_IDLE_MINUTES"]
    return minutes * 60


def _load_user(user_id: str) -> User | None:
    """The user this session names, if its token is current, the user active and the session unexpired."""
    number, _dot, token = str(user_id).partition(".")
    if not number.isdigit() or len(number) > 18 or not token:  # 18 digits fit any database's integer
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.is_active or not hmac.compare_digest(token, user.session_token):
        return None
    if _expired(user):
        _forget_login()
        if not wants_json():
            flash(_("Your session has expired. Please log in again."), "info")
        return None
    return user


def _expired(user: User) -> bool:
    now = int(time.time())
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return True
    if now - login_at > current_app.config["HELPDESK_SESSION_MAX_HOURS"] * 3600 or now - seen_at > idle_limit(user):
        return True
    if now - seen_at >= SEEN_RESOLUTION:
        session[SEEN_AT] = now
    return False


def _unauthorized():
    if wants_json():
        abort(401)  # answered in the API's error shape (helpdesk.web.api.errors)
    flash(_('Please log in to continue.'), "info")
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
