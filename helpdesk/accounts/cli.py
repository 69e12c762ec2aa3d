"""`helpdesk users …` and `helpdesk demo-accounts`: staff accounts are made here or by an admin."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from helpdesk.extensions import db

from . import service
from .demo import ensure_demo_accounts
from .errors import AccountError
from .models import User
from .roles import ASSIGNABLE_QUEUES, ROLES


def _commit_or_fail(change):
    """Run `change` and commit; on bad input roll back and exit 1 with the plain reason."""
    try:
        result = change()
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    return result


def _role_text(user: User) -> str:
    return f"{user.role}/{user.queue}" if user.queue else user.role


def _existing(email: str) -> User:
    user = service.find_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email!r}")
    return user


@click.group("users")
def users_group() -> None:
    """Create and manage accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--queue", type=click.Choice(ASSIGNABLE_QUEUES), help="Required for fa_agent and ministry_agent.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for (hidden) when left out.")
@with_appcontext
def create_command(email, display_name, role, queue, password) -> None:
    """Create an account (its address counts as verified: the administrator vouches for it)."""
    user = _commit_or_fail(lambda: service.create_user(email, display_name, password, role, queue, verified=True))
    click.echo(f"created user {user.id}: {user.email} ({_role_text(user)})")


@users_group.command("list")
@with_appcontext
def list_command() -> None:
    """List all accounts."""
    for user in db.session.scalars(select(User).order_by(User.id)):
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.id}\t{user.email}\t{_role_text(user)}\t{state}")


@users_group.command("set-role")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--queue", type=click.Choice(ASSIGNABLE_QUEUES))
@with_appcontext
def set_role_command(email, role, queue) -> None:
    """Change an account's role (and queue)."""
    user = _existing(email)
    _commit_or_fail(lambda: service.change_role(user, role, queue))
    click.echo(f"user {user.id} is now {_role_text(user)}")


@users_group.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate_command(email) -> None:
    """Deactivate an account (it can no longer log in; its sessions end)."""
    user = _existing(email)
    _commit_or_fail(lambda: service.deactivate(user))
    click.echo(f"user {user.id} is deactivated")


@click.command("demo-accounts")
@click.option("--reset-passwords", is_flag=True, help="Issue new passwords for existing demo accounts.")
@with_appcontext
def demo_accounts_command(reset_passwords: bool) -> None:
    """Create one demo account per role and queue type; passwords are printed only when issued."""
    results = ensure_demo_accounts(reset_passwords)
    db.session.commit()
    issued = [(user, password) for user, password in results if password]
    kept = [user for user, password in results if not password]
    if issued:
        rule = "=" * 72
        click.echo(f"{rule}\nDemo accounts: SAVE THESE PASSWORDS NOW, they are shown only once\n"
                   f"(log in at /login; `helpdesk demo-accounts --reset-passwords` issues new ones)\n{rule}")
        for user, password in issued:
            click.echo(f"  {user.email:<30} {_role_text(user):<22} {password}")
        click.echo(rule)
    if kept:
        click.echo(f"{len(kept)} demo accounts already exist; their passwords were shown when issued "
                   "(`helpdesk demo-accounts --reset-passwords` issues new ones): "
                   + ", ".join(user.email for user in kept))
