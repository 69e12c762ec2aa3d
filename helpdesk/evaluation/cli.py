"""`helpdesk eval FILE.jsonl`."""
from __future__ import annotations

import json
import re
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from ..extensions import db
from .questions import QuestionFileError, load_questions
from .sections import SECTIONS
from .served import serve_desk_faq


@click.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--section", "names", multiple=True, type=click.Choice(list(SECTIONS)),
              help="run only these sections (repeatable); default all")
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of Markdown tables")
@with_appcontext
def eval_command(file: Path, names: tuple[str, ...], as_json: bool) -> None:
    """Measure quality on a question file (format of tests/data/dev_questions.jsonl)."""
    try:
        questions = load_questions(file)
    except QuestionFileError as exc:
        raise click.ClickException(str(exc)) from None
    results: dict[str, list] = {}
    failures: dict[str, str] = {}
    if not as_json:
        click.echo(f"{file}: {len(questions)} questions\n")
    # Measure the product as served: with the desk FAQ published (the shipped seed, if none is).
    seed_error = None
    try:
        imported = serve_desk_faq()
    except DBAPIError as exc:  # an unmigrated database: measured without the desk FAQ, and said so
        db.session.rollback()
        imported, seed_error = None, _failure_message(exc)
        click.echo(f"desk FAQ not applied, measuring without it: {seed_error}\n", err=True)
    if imported and not as_json:
        click.echo(f"no desk FAQ entry was published: imported the shipped seed ({imported} entries), "
                   "as `make serve` does\n")
    # Sections run one by one and independently: one that fails reports why and the others still run.
    for name in names or SECTIONS:
        try:
            results[name] = SECTIONS[name](questions)
        except Exception as exc:  # noqa: BLE001 - reported per section, the command exits 1 below
            db.session.rollback()
            failures[name] = _failure_message(exc)
            if not as_json:
                click.echo(f"**{name}**: failed: {failures[name]}\n", err=True)
            continue
        if not as_json:
            for table in results[name]:
                click.echo(table.to_markdown() + "\n")
    if as_json:
        sections: dict[str, object] = {name: [t.to_dict() for t in tables] for name, tables in results.items()}
        sections.update({name: {"error": message} for name, message in failures.items()})
        click.echo(json.dumps({"file": str(file), "questions": len(questions), "seed_imported": imported,
                               "seed_error": seed_error, "sections": sections},
                              ensure_ascii=False, indent=2))
    if failures:
        raise click.exceptions.Exit(1)


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, DBAPIError) and re.search(r"no such table|does not exist", str(exc.orig), re.I):
        return f"the database has no table for it ({exc.orig}): run `helpdesk init-db` first"
    return f"{type(exc).__name__}: {exc}"
