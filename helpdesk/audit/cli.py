"""`helpdesk audit verify` and `helpdesk audit anchor`: check the chain, and anchor its head outside the database."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from helpdesk.extensions import db

from . import anchors
from .chain import verify
from .models import AuditEvent


@click.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@with_appcontext
def verify_command() -> None:
    """Walk the chain with the audit key and check it against the anchored heads; exit 1 naming each
    edited, inserted, deleted or rewritten seq, a truncated tail or a forged anchor line.
    """
    expected = anchors.expected()
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000))
    report = verify(rows.scalars(), expected)
    if report.ok:
        click.echo(f"OK: {report.count} events, head {report.head}")
        anchored = f", the last at seq {max(expected.heads)}" if expected.heads else \
            " (run `helpdesk audit anchor` to anchor the head)"
        click.echo(f"{report.anchors} anchored head(s) checked{anchored}")
        if report.legacy:
            click.echo(f"{report.legacy} event(s) written before the chain was keyed (plain SHA-256), "
                       f"sealed by the audit.keyed event at seq {expected.keyed_from}")
        return
    for problem in report.problems:
        click.echo(problem.message, err=True)
    raise click.ClickException(f"audit chain BROKEN: {len(report.problems)} problem(s) in {report.count} events")


@audit_group.command("anchor")
@with_appcontext
def anchor_command() -> None:
    """Append the current head to the anchor file and hand it to the configured witnesses (run it from
    cron, e.g. hourly: events since the last anchor can be deleted unnoticed). Exit 1 if a witness failed."""
    anchor = anchors.anchor_head(db.session)
    if anchor is None:
        click.echo("the audit log is empty: nothing to anchor")
        return
    click.echo(f"anchored seq {anchor.seq} head {anchor.head} at {anchor.at}")
    config = current_app.config
    failures = anchors.witness(anchor, config["HELPDESK_AUDIT_WITNESS_CMD"], config["HELPDESK_AUDIT_WITNESS_URL"])
    if failures:
        raise click.ClickException("; ".join(failures))
