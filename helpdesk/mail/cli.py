"""`helpdesk mail send|retry|list`: the outbox at the console (for cron, and after a mail-server outage)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from helpdesk.audit import record
from helpdesk.extensions import db

from .models import STATUSES, OutboxMessage
from .outbox import deliver_due, retry_failed


def _report(outcomes: dict[str, int]) -> None:
    click.echo(", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) or "nothing due")
    if outcomes.get("retry") or outcomes.get("failed"):
        raise SystemExit(1)


@click.group("mail")
def mail_group() -> None:
    """Outgoing e-mail (the outbox)."""


@mail_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send the messages that are due (exit 1 if any could not be sent)."""
    _report(deliver_due(limit=10_000))


@mail_group.command("retry")
@with_appcontext
def retry_command() -> None:
    """Try every failed or waiting message again now (exit 1 if any could not be sent)."""
    count = retry_failed()
    record("mail.retried", "mail_outbox", None, {"count": count})
    db.session.commit()
    click.echo(f"{count} message(s) due again", err=True)
    _report(deliver_due(limit=10_000))


@mail_group.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only this status.")
@with_appcontext
def list_command(status: str | None) -> None:
    """Messages, newest first: id, status, attempts, kind, ticket, recipient, last error."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    for m in db.session.scalars(stmt):
        click.echo(f"{m.id}\t{m.status}\t{m.attempts}\t{m.kind}\t{m.ticket_ref or '-'}\t{m.recipient}\t"
                   f"{m.last_error or ''}")
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    click.echo(" ".join(f"{s}={counts.get(s, 0)}" for s in STATUSES), err=True)
