"""`helpdesk faq import DIR` / `helpdesk faq export DIR`: desk FAQ entries as Markdown files."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from helpdesk.corpus import load_corpus
from helpdesk.extensions import db

from . import files


@click.group("faq")
def faq_group() -> None:
    """Desk FAQ entries as Markdown files with YAML front matter."""


@faq_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(directory: Path) -> None:
    """Write every entry (its current revision) to DIRECTORY/<id>.md."""
    written = files.export_entries(directory)
    db.session.commit()
    click.echo(f"exported {len(written)} entries to {directory}")


@faq_group.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def import_command(directory: Path) -> None:
    """Create or update entries from DIRECTORY/*.md; invalid files are reported and skipped (exit 1)."""
    applied, errors = files.import_directory(directory, load_corpus())
    db.session.commit()
    for path, message in errors.items():
        click.echo(f"{path.name}: {message}", err=True)
    click.echo(f"imported {len(applied)} entries, {len(errors)} files with errors")
    if errors:
        raise SystemExit(1)
