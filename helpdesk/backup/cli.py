"""`helpdesk backup DIR` and `helpdesk restore DIR`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .archive import BackupError, Summary, backup, restore


def _describe(summary: Summary) -> str:
    key = ("secret key included" if summary.secret_key == "file"  # noqa: S105 where the key is, not the key
           else "SECRET_KEY comes from the environment: keep it too")
    return (f"{summary.engine} at {summary.revision}: {summary.tickets} tickets, {summary.audit_events} audit events "
            f"(head {summary.audit_head}); {key}")


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Back up the database and the instance files that cannot be rebuilt (secret key …) into FOLDER (new
    or empty). The index and the embedding caches are not included: they are rebuilt."""
    try:
        summary = backup(current_app._get_current_object(), folder)  # type: ignore[attr-defined]  # a LocalProxy
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backed up {_describe(summary)} → {folder}")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace this instance's database and secret key with the backup?",
                           help="Do not ask for confirmation.")
@with_appcontext
def restore_command(folder: Path) -> None:
    """Restore a backup made by `helpdesk backup` into this instance (its tables are replaced), then check
    the audit chain and the ticket count. Restart the service afterwards."""
    try:
        summary = restore(current_app._get_current_object(), folder)  # type: ignore[attr-defined]  # a LocalProxy
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored {_describe(summary)}; audit chain verified")
