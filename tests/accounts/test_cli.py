"""`helpdesk users …` and `helpdesk demo-accounts` through Flask's CLI runner."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from helpdesk.accounts.demo import DEMO_ACCOUNTS
from helpdesk.accounts.models import User
from helpdesk.audit import AuditEvent
from helpdesk.extensions import db


def invoke(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def audit_actions(app):
    with app.app_context():
        return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()


def test_users_create_list_set_role_deactivate(app, login):
    result = invoke(app, "users", "create", "--email", "Agent@Example.org", "--name", "エージェント",
                    "--role", "fa_agent", "--queue", "jsps", input="a secret phrase\na secret phrase\n")
    assert result.exit_code == 0, result.output
    assert "created user 1: agent@example.org (fa_agent/jsps)" in result.output
    assert "a secret phrase" not in result.output

    listing = invoke(app, "users", "list").output
    assert "1\tagent@example.org\tfa_agent/jsps\tactive" in listing

    result = invoke(app, "users", "set-role", "AGENT@example.org", "--role", "ministry_agent", "--queue", "mext")
    assert result.exit_code == 0
    assert "now ministry_agent/mext" in result.output
    result = invoke(app, "users", "deactivate", "agent@example.org")
    assert result.exit_code == 0
    assert "deactivated" in invoke(app, "users", "list").output
    assert audit_actions(app) == ["user.created", "user.role_changed", "user.deactivated"]

    client = app.test_client()
    assert login(client, "agent@example.org", "a secret phrase").status_code == 400


def test_users_cli_bad_input_gets_a_message_not_a_traceback(app):
    result = invoke(app, "users", "create", "--email", "x@example.org", "--name", "X", "--role", "fa_agent",
                    "--password", "long enough pw")
    assert result.exit_code == 1
    assert "Role fa_agent needs a queue" in result.output
    assert "Traceback" not in result.output
    result = invoke(app, "users", "create", "--email", "x@example.org", "--name", "X", "--role", "admin",
                    "--password", "short")
    assert result.exit_code == 1
    assert "The password must be 10 to 128 characters" in result.output
    result = invoke(app, "users", "create", "--email", "x@example.org", "--name", "X", "--role", "boss",
                    "--password", "long enough pw")
    assert result.exit_code == 2
    assert "'boss' is not one of" in result.output
    result = invoke(app, "users", "set-role", "ghost@example.org", "--role", "curator")
    assert result.exit_code == 1
    assert "no account with e-mail 'ghost@example.org'" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert audit_actions(app) == []


def test_demo_accounts_are_idempotent_and_passwords_work(app, login):
    first = invoke(app, "demo-accounts")
    assert first.exit_code == 0, first.output
    assert "SAVE THESE PASSWORDS NOW, they are shown only once" in first.output
    passwords = dict(re.findall(r"^\s*(\S+@example\.org)\s+\S+\s+(\S{16})$", first.output, flags=re.M))
    assert set(passwords) == {demo.email for demo in DEMO_ACCOUNTS}
    assert len(set(passwords.values())) == len(DEMO_ACCOUNTS)

    second = invoke(app, "demo-accounts")
    assert second.exit_code == 0
    assert not any(password in second.output for password in passwords.values())
    assert "SAVE THESE" not in second.output
    assert f"{len(DEMO_ACCOUNTS)} demo accounts already exist; their passwords were shown when issued" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == len(DEMO_ACCOUNTS)
        roles = {(u.role, u.queue) for u in db.session.scalars(select(User))}
    assert {"researcher", "desk_agent", "fa_agent", "ministry_agent", "curator", "admin"} == {r for r, _ in roles}
    assert {("fa_agent", "jst"), ("fa_agent", "amed"), ("ministry_agent", "cao"), ("ministry_agent", "meti")} <= roles

    client = app.test_client()
    assert login(client, "demo-admin@example.org", passwords["demo-admin@example.org"]).status_code == 302

    reset = invoke(app, "demo-accounts", "--reset-passwords")
    new_passwords = dict(re.findall(r"^\s*(\S+@example\.org)\s+\S+\s+(\S{16})$", reset.output, flags=re.M))
    assert set(new_passwords) == set(passwords)
    assert login(app.test_client(), "demo-desk@example.org", passwords["demo-desk@example.org"]).status_code == 400
    assert login(app.test_client(), "demo-desk@example.org", new_passwords["demo-desk@example.org"]).status_code == 302
    assert audit_actions(app).count("user.password_reset") == len(DEMO_ACCOUNTS)
