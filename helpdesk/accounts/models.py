"""The `User` table: one row per person who can sign in."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from helpdesk.extensions import Model

from .roles import ROLES


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no time zone, so every timestamp is stored as UTC without one."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)  # 43 characters


class User(UserMixin, Model):
    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(r) for r in ROLES)})", name="role"),
        # Emails are stored lower-cased, which makes the unique constraint case-insensitive.
        CheckConstraint("email = lower(email)", name="email_lower"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    queue: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Part of every session's user id: replacing it (logout, password change, deactivation) ends all
    # of this user's sessions at once, wherever their cookies are.
    session_token: Mapped[str] = mapped_column(String(43), default=lambda: new_session_token())
    # None until the owner followed a verification link; admin-created and demo accounts are verified.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The language the person last used the site in: their e-mails are written in it.
    lang: Mapped[str | None] = mapped_column(String(2))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in inactive users
        return bool(self.active)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_id(self) -> str:
        return f"{self.id}.{self.session_token}"

    def end_sessions(self) -> None:
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}{'/' + self.queue if self.queue else ''}>"
