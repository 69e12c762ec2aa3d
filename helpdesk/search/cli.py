"""`helpdesk index build` and `helpdesk search`."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from ..corpus import load_corpus
from . import K_MAX, K_MIN, EmbedderError, QueryError, check_k, check_query, get_search
from .service import MODES


def open_search(progress: bool = False):
    """The app's search service, or a clean CLI error when the corpus or model is unusable."""
    try:
        return get_search(current_app, progress=progress)
    except (EmbedderError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("index")
def index_group() -> None:
    """The search index."""


@index_group.command("build")
@with_appcontext
def build_command() -> None:
    """Build the search index for the corpus (or load it when corpus and model are unchanged), and
    embed ahead what a server start would otherwise embed: known questions and published desk FAQ entries."""
    from ..curation import search_sync

    service = open_search(progress=True)
    report = service.report
    if report.loaded:
        action = "loaded unchanged index"
    else:
        cached = report.segments - report.embedded
        action = (f"built index ({report.segments} segments: {report.embedded} embedded now, "
                  f"{cached} from the embedding cache)")
    click.echo(
        f"{action}: {report.passages} passages, {report.kind} dense index, model {service.embedder.model_id}, "
        f"{report.seconds:.2f} s, in {current_app.config['HELPDESK_INDEX_DIR']}"
    )
    # Published desk FAQ entries are applied in memory by every server process at start; doing it
    # here once puts their segment vectors in the embedding cache, so those starts read them back.
    search_sync.sync(service)
    desk = search_sync.applied(service)[1]
    # Embedded ahead like the passages (answering compares a user's question with them).
    corpus = load_corpus(current_app.config["HELPDESK_CORPUS_DIR"])
    questions = [q for p in (*corpus.passages, *desk) for q in p.known_questions]
    service.embed_known_questions(questions, progress=True)
    click.echo(f"{len(desk)} published desk FAQ entries applied; "
               f"{len(questions)} questions the passages are known to answer: embedded")


def _utf8(text: str) -> str:
    """Arguments that were not valid UTF-8 arrive with surrogate escapes; refuse them clearly."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise click.BadParameter("the query is not valid UTF-8", param_hint="QUERY") from None
    return text


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("-k", "k", default=10, show_default=True, help=f"number of passages ({K_MIN}..{K_MAX})")
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of text")
@with_appcontext
def search_command(query: tuple[str, ...], k: int, mode: str, as_json: bool) -> None:
    """Search the corpus for QUERY (Japanese or English)."""
    try:
        text = check_query(_utf8(" ".join(query)), current_app.config["HELPDESK_MAX_QUESTION_CHARS"])
        k = check_k(k)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    hits = open_search().search(text, k=k, mode=mode)
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    for rank, hit in enumerate(hits, start=1):
        p = hit.passage
        click.echo(f"{rank:2d}. {hit.score:.4f}  {p.id}  {p.title}")
        click.echo(f"    {' '.join(p.text.split())[:160]}")
