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
        click.echo(json.dumps({"file": str(file), "questions": len(questions), "sections": sections},
                              ensure_ascii=False, indent=2))
    if failures:
        raise click.exceptions.Exit(1)


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, DBAPIError) and re.search(r"no such table|does not exist", str(exc.orig), re.I):
        return f"the database has no table for it ({exc.orig}): run `helpdesk init-db` first"
    return f"{type(exc).__name__}: {exc}"
