"""`helpdesk audit verify`: check the hash chain of the audit log."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from helpdesk.extensions import db

from .chain import verify
from .models import AuditEvent


@click.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@with_appcontext
def verify_command() -> None:
    """Walk the chain; exit 1 and name each edited, inserted or deleted seq when it is broken.

    Prints the head hash on success: keep it elsewhere (e.g. in the operations log) so that
    removing or rewriting the newest events can be noticed too.
    """
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000))
    report = verify(rows.scalars())
    if report.ok:
        click.echo(f"OK: {report.count} events, head {report.head}")
        return
    for problem in report.problems:
        click.echo(problem.message, err=True)
    raise click.ClickException(f"audit chain BROKEN: {len(report.problems)} problem(s) in {report.count} events")
