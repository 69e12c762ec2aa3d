"""Creating, authenticating and changing accounts. Every change is audited; callers commit."""
from __future__ import annotations

import re
from functools import cache

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from helpdesk import audit
from helpdesk.extensions import db

from .errors import AccountError
from .models import User, utcnow
from .roles import ADMIN, RESEARCHER, checked_role_and_queue

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL, MAX_NAME = 254, 100
MIN_PASSWORD, MAX_PASSWORD = 10, 128


@cache
def _dummy_hash() -> str:
    """Checked when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password."""
    return generate_password_hash("not-a-real-password")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, display_name: str, password: str, role: str = RESEARCHER,
                queue: str | None = None, actor: User | None = None) -> User:
    """A new active account; AccountError (with a message key) when any field is unacceptable."""
    email = normalise_email(email)
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        raise AccountError("account.error.email")
    display_name = (display_name or "").strip()
    if not 1 <= len(display_name) <= MAX_NAME:
        raise AccountError("account.error.name", max=MAX_NAME)
    check_password_rules(password)
    role, queue = checked_role_and_queue(role, queue)
    if find_by_email(email) is not None:
        raise AccountError("account.error.email_taken")
    user = User(email=email, display_name=display_name, role=role, queue=queue, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", "user", user.id, {"role": role, "queue": queue},
                 actor=actor or _self_if_anonymous(user))
    return user


def check_password_rules(password: str) -> None:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError("account.error.password", min=MIN_PASSWORD, max=MAX_PASSWORD)


def set_password(user: User, password: str, actor: User | None = None) -> None:
    check_password_rules(password)
    user.set_password(password)
    audit.record("user.password_reset", "user", user.id, actor=actor)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (failed attempts are audited)."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
    password_ok = user is not None and user.check_password(password or "")
    if user is not None and password_ok and user.is_active:
        user.last_login_at = utcnow()
        audit.record("auth.login", "user", user.id, actor=user)
        return user
    reason = "unknown_account" if user is None else "inactive" if password_ok else "bad_password"
    audit.record(
        "auth.login_failed",
        "user" if user else None,
        user.id if user else None,
        {"identifier_hash": audit.identifier_hash(email), "reason": reason},
    )
    return None


def change_role(user: User, role: str, queue: str | None, actor: User | None = None) -> None:
    role, queue = checked_role_and_queue(role, queue)
    if actor is not None and actor.id == user.id and role != ADMIN:
        raise AccountError("account.error.self_lockout")
    if (role, queue) == (user.role, user.queue):
        return
    details = {"from_role": user.role, "from_queue": user.queue, "role": role, "queue": queue}
    user.role, user.queue = role, queue
    audit.record("user.role_changed", "user", user.id, details, actor=actor)


def deactivate(user: User, actor: User | None = None) -> None:
    if actor is not None and actor.id == user.id:
        raise AccountError("account.error.self_lockout")
    if not user.active:
        return
    user.active = False
    audit.record("user.deactivated", "user", user.id, {"role": user.role, "queue": user.queue}, actor=actor)


def _self_if_anonymous(user: User) -> User | None:
    """Self-registration: the new researcher is the actor when nobody is logged in."""
    if has_request_context() and not current_user.is_authenticated:
        return user
    return None
