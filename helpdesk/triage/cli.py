"""`helpdesk triage classify "question"`: the route of one question, as JSON."""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from .classifier import classify, warm_up


@click.group("triage")
def triage_group() -> None:
    """Question routing (desk, funding agency, ministry, emergency, out of scope)."""


@triage_group.command("classify")
@click.argument("question")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="language of the question (guessed if omitted)")
@with_appcontext
def classify_command(question: str, lang: str | None) -> None:
    """Print the route of QUESTION with its reason."""
    try:
        route = classify(question, lang)
    except ValueError as exc:  # includes RoutingDataError: bad routing files
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(route.to_dict(), ensure_ascii=False, indent=2))


@triage_group.command("warm")
@with_appcontext
def warm_command() -> None:
    """Embed the routing examples ahead (cached on disk), so a fresh server does not on its first question."""
    try:
        warm_up()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    except DBAPIError as exc:  # the staff-added examples live in the database
        raise click.ClickException(f"cannot read the staff-added examples ({exc.orig}): run `helpdesk init-db` first") from None
    click.echo("routing examples embedded")
