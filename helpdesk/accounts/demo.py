"""One demo account per role and queue type, for trying the helpdesk locally (`make serve`)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from .models import User
from .service import create_user, find_by_email, mark_verified, set_password


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str
    queue: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("demo-researcher@example.org", "デモ研究者", "researcher"),
    DemoAccount("demo-desk@example.org", "デモ窓口担当", "desk_agent", "desk"),
    DemoAccount("demo-jst@example.org", "デモJST担当", "fa_agent", "jst"),
    DemoAccount("demo-amed@example.org", "デモAMED担当", "fa_agent", "amed"),
    DemoAccount("demo-cao@example.org", "デモ内閣府担当", "ministry_agent", "cao"),
    DemoAccount("demo-meti@example.org", "デモ経産省担当", "ministry_agent", "meti"),
    DemoAccount("demo-curator@example.org", "デモコンテンツ管理", "curator"),
    DemoAccount("demo-admin@example.org", "デモ管理者", "admin"),
)


def new_password() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, ~96 bits


def ensure_demo_accounts(reset_passwords: bool = False) -> list[tuple[User, str | None]]:
    """Create missing demo accounts; (user, password) pairs, password None when it was not (re)issued.

    Passwords are random, returned once for printing and stored only hashed. Demo addresses count as
    verified (nobody reads their mail). Callers commit.
    """
    results = []
    for demo in DEMO_ACCOUNTS:
        user = find_by_email(demo.email)
        password = None
        if user is None:
            password = new_password()
            user = create_user(demo.email, demo.name, password, demo.role, demo.queue, verified=True)
        else:
            mark_verified(user)  # demo accounts made before addresses were verified
            if reset_passwords:
                password = new_password()
                set_password(user, password)
        results.append((user, password))
    return results
