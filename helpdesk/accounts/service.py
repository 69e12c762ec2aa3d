"""Creating, authenticating and changing accounts. Every change is audited; callers commit."""
from __future__ import annotations

import re
import unicodedata
from functools import cache

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from helpdesk import audit
from helpdesk.extensions import db

from .errors import AccountError
from .models import User, utcnow
from .roles import ADMIN, RESEARCHER, checked_role_and_queue

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL, MAX_NAME = 254, 100
MIN_PASSWORD, MAX_PASSWORD = 10, 128
MIN_STRENGTH = 3  # zxcvbn score 0-4: 3 is "safely unguessable" (about 10^8 guesses or more)
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters decide


@cache
def _dummy_hash() -> str:
    """Checked when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password."""
    return generate_password_hash("not-a-real-password")


def normalise_email(email: str) -> str:
    """The stored form of an address: NFKC (full-width letters and ＠ become ASCII), trimmed, lower case."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def checked_email(email: str) -> str:
    """The normalised address, or AccountError when it is malformed or not plain ASCII after NFKC.

    Printable ASCII only: invisible characters (zero-width space, bidi controls), dashes such as
    U+2010 and letters from other scripts that look like Latin ones could otherwise register a
    second account that reads like someone else's address. International domains use their
    ASCII (xn--) form.
    """
    email = normalise_email(email)
    if not email.isascii() or not email.isprintable():
        raise AccountError("account.error.email_ascii")
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        raise AccountError("account.error.email")
    return email


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def checked_fields(email: str, display_name: str, password: str) -> tuple[str, str]:
    """(email, display name) as stored, or AccountError for the first unacceptable field."""
    email = checked_email(email)
    display_name = (display_name or "").strip()
    if not 1 <= len(display_name) <= MAX_NAME:
        raise AccountError("account.error.name", max=MAX_NAME)
    check_password_rules(password, email, display_name)
    return email, display_name


def create_user(email: str, display_name: str, password: str, role: str = RESEARCHER,
                queue: str | None = None, actor: User | None = None, verified: bool = False) -> User:
    """A new active account; AccountError (with a message key) when any field is unacceptable.

    `verified`: the address is known to be the owner's (an administrator or the demo set-up made the
    account); self-registered accounts are verified by following the link they are sent.
    """
    email, display_name = checked_fields(email, display_name, password)
    role, queue = checked_role_and_queue(role, queue)
    if find_by_email(email) is not None:
        raise AccountError("account.error.email_taken")
    user = User(email=email, display_name=display_name, role=role, queue=queue, active=True,
                email_verified_at=utcnow() if verified else None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", "user", user.id, {"role": role, "queue": queue, "verified": verified},
                 actor=actor or _self_if_anonymous(user))
    return user


def check_password_rules(password: str, *personal: str) -> None:
    """AccountError unless `password` has an acceptable length and zxcvbn scores it at least MIN_STRENGTH.

    `personal`: the account's e-mail and name, which make a password easier to guess when it uses them.
    """
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError("account.error.password", min=MIN_PASSWORD, max=MAX_PASSWORD)
    hints = [part for text in personal for part in re.split(r"[@.\s]+", text or "") if part]
    if zxcvbn(password[:ZXCVBN_MAX], user_inputs=hints)["score"] < MIN_STRENGTH:
        raise AccountError("account.error.password_weak")


def set_password(user: User, password: str, actor: User | None = None) -> None:
    """A new password (an administrator's reset or the user's own change); every session of the user ends."""
    check_password_rules(password, user.email, user.display_name)
    user.set_password(password)
    user.end_sessions()
    own = actor is not None and actor.id == user.id
    audit.record("user.password_changed" if own else "user.password_reset", "user", user.id, actor=actor)


def change_own_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password must be right (AccountError otherwise)."""
    if not user.check_password(current or ""):
        raise AccountError("account.error.current_password")
    set_password(user, new, actor=user)


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
    user.end_sessions()
    audit.record("user.deactivated", "user", user.id, {"role": user.role, "queue": user.queue}, actor=actor)


def log_out(user: User) -> None:
    """End every session of `user` (all browsers and copied cookies), audited."""
    user.end_sessions()
    audit.record("auth.logout", "user", user.id, actor=user)


def mark_verified(user: User) -> bool:
    """Record that the owner of `user.email` followed a verification link; False if it already was."""
    if user.is_verified:
        return False
    user.email_verified_at = utcnow()
    audit.record("user.email_verified", "user", user.id, actor=user)
    return True


def _self_if_anonymous(user: User) -> User | None:
    """Self-registration: the new researcher is the actor when nobody is logged in."""
    if has_request_context() and not current_user.is_authenticated:
        return user
    return None
