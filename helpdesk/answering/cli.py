"""`helpdesk ask`: answer one question, or a JSONL batch, in the same JSON shape as POST /api/v1/ask."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from . import markup
from .errors import AskError
from .service import ask


@click.command("ask")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="print the API's JSON instead of readable text")
@click.option("--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSONL file of {"id", "question"}; writes one JSON line per answer (needs --json)')
@with_appcontext
def ask_command(question: str | None, as_json: bool, batch: Path | None) -> None:
    """Ask the desk a question (stored as a conversation, like questions asked on the web)."""
    if batch is not None:
        if question is not None or not as_json:
            raise click.UsageError("--batch takes no QUESTION and needs --json")
        _answer_batch(batch)
        return
    if question is None:
        raise click.UsageError("give a QUESTION (or --json --batch FILE.jsonl)")
    try:
        payload = ask(question).payload
    except AskError as error:
        raise click.ClickException(error.message("en")) from None
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2) if as_json else _readable(payload))


def _answer_batch(path: Path) -> None:
    """One output line per input line; a bad line yields an error line and the batch goes on."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            item_id = None
            try:
                item = json.loads(raw.decode("utf-8"))
                if not isinstance(item, dict):
                    raise ValueError('expected an object like {"id": ..., "question": ...}')
                item_id = item.get("id")
                result = {"id": item_id, **ask(item.get("question")).payload}
            except UnicodeDecodeError:
                result = {"id": None, "line": number, "error": "the line is not valid UTF-8"}
            except json.JSONDecodeError as exc:
                result = {"id": None, "line": number, "error": f"the line is not valid JSON ({exc.msg})"}
            except ValueError as exc:
                message = exc.message("en") if isinstance(exc, AskError) else str(exc)
                result = {"id": item_id, "line": number, "error": message}
            click.echo(json.dumps(result, ensure_ascii=False))


def _readable(payload: dict) -> str:
    lines = [markup.to_text(payload["answer_markdown"]), ""]
    for number, source in enumerate(payload["sources"], start=1):
        lines.append(f"[{number}] {source['title']} ({source['url']})")
    route = payload["route"]
    lines.append(f"route: {route['kind']}/{route['queue']}  confidence: {payload['confidence']:.2f}  "
                 f"answerable: {payload['answerable']}  conversation: {payload['conversation_id']}")
    if payload["handoff"]["offered"]:
        lines.append(f"handoff offered: {payload['handoff']['message']}")
    return "\n".join(lines)
