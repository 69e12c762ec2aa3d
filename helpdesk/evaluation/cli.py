"""`helpdesk eval FILE.jsonl`."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

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
    results = {name: SECTIONS[name](questions) for name in (names or SECTIONS)}
    if as_json:
        payload = {"file": str(file), "questions": len(questions),
                   "sections": {name: [t.to_dict() for t in tables] for name, tables in results.items()}}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(f"{file}: {len(questions)} questions\n")
    for tables in results.values():
        for table in tables:
            click.echo(table.to_markdown() + "\n")
