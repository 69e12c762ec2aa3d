"""`helpdesk faq import DIR` / `helpdesk faq export DIR`: desk FAQ entries as Markdown files."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from helpdesk.corpus import load_corpus
from helpdesk.extensions import db

from . import files

SKIPPED_SHOWN = 8


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
@click.option("--seed", is_flag=True,
              help="Mark the entries as the desk's reviewed seed content (revision origin \"seed\").")
@click.option("--update", is_flag=True,
              help="Also replace existing entries with their files (curators' later edits are overwritten).")
@with_appcontext
def import_command(directory: Path, seed: bool, update: bool) -> None:
    """Create entries from DIRECTORY/*.md whose id is new; existing entries are left as they are
    (reported as skipped) unless --update. Invalid files are reported and skipped (exit 1)."""
    report = files.import_directory(directory, load_corpus(), origin="seed" if seed else "import", update=update)
    db.session.commit()
    for path, message in report.errors.items():
        click.echo(f"{path.name}: {message}", err=True)
    click.echo(f"imported {len(report.applied)} entries, {len(report.errors)} files with errors")
    if report.skipped:
        slugs = [p.slug for p in report.skipped]
        listed = ", ".join(slugs[:SKIPPED_SHOWN]) + (", …" if len(slugs) > SKIPPED_SHOWN else "")
        click.echo(f"skipped {len(slugs)} entries already in the database, left as they are "
                   f"(--update replaces them): {listed}")
    if report.errors:
        raise SystemExit(1)
