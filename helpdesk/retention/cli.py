"""`helpdesk purge`: apply the retention periods (from configuration, or one period given here)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from helpdesk.extensions import db

from .purge import Periods, purge


@click.command("purge")
@click.option("--older-than", "days", type=click.IntRange(min=1), default=None, metavar="DAYS",
              help="One period for conversations and closed tickets (default: HELPDESK_RETENTION_*_DAYS).")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted, delete nothing.")
@with_appcontext
def purge_command(days: int | None, dry_run: bool) -> None:
    """Delete conversations and closed tickets past their retention period (the audit log stays)."""
    periods = Periods(days, days) if days else Periods.from_config(current_app.config)
    counts = purge(periods, dry_run=dry_run)
    if not dry_run:
        db.session.commit()
    shown = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())
    click.echo(f"{'would delete' if dry_run else 'deleted'}: {shown}")
