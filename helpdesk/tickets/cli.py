"""`helpdesk tickets list`: tickets of one queue for administrators at the console (no question text)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import true

from helpdesk.accounts.roles import ALL_QUEUES

from . import visibility
from .models import STATUSES


@click.group("tickets")
def tickets_group() -> None:
    """Consultation tickets."""


@tickets_group.command("list")
@click.option("--queue", type=click.Choice(ALL_QUEUES), help="Only this queue.")
@click.option("--status", type=click.Choice(STATUSES), help="Only this status.")
@with_appcontext
def list_command(queue: str | None, status: str | None) -> None:
    """List tickets, urgent first: reference, priority, status, queue, received (UTC)."""
    tickets = visibility.listed(true(), status=status, queue=queue)
    for ticket in tickets:
        click.echo(f"{ticket.ref}\t{ticket.priority}\t{ticket.status}\t{ticket.queue}\t"
                   f"{ticket.created_at:%Y-%m-%d %H:%M}")
    click.echo(f"{len(tickets)} ticket(s)", err=True)
