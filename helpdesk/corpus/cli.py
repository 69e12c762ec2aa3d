"""`helpdesk corpus build [--check]` and `helpdesk corpus stats`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import ANTICIPATED_FILE, TRANSLATIONS_DIR, CorpusError, load_corpus, read_anticipated_questions
from .build import BuildError, build, changed_passages, differences, stats, translations_to_review, write


def _corpus_dir(option: str | None) -> Path:
    return Path(option) if option else Path(current_app.config["HELPDESK_CORPUS_DIR"])


@click.group("corpus")
def corpus_group() -> None:
    """Build and inspect the document corpus (corpus/)."""


@corpus_group.command("build")
@click.option("--check", is_flag=True, help="Exit 1 if the committed build differs from a fresh build; write nothing.")
@click.option("--dir", "corpus_dir", type=click.Path(file_okay=False), help="Corpus folder (default: HELPDESK_CORPUS_DIR).")
@with_appcontext
def build_command(check: bool, corpus_dir: str | None) -> None:
    """Parse corpus/raw/ into documents.json, passages/*.jsonl and SOURCES.md."""
    root = _corpus_dir(corpus_dir)
    try:
        files = build(root)
    except BuildError as exc:
        raise click.ClickException(str(exc)) from exc
    if check:
        _ask_to_review_translations(root, files)
        stale = differences(root, files)
        if stale:
            click.echo("corpus is stale; run `helpdesk corpus build` and commit: " + ", ".join(stale), err=True)
            raise SystemExit(1)
        click.echo("corpus is up to date")
        return
    changed = changed_passages(root, files)
    write(root, files)
    click.echo(f"built {len(files)} files in {root}")
    _ask_to_review_questions(root, changed)
    _ask_to_review_translations(root, files)


def _ask_to_review_questions(root: Path, changed: list[str]) -> None:
    """The questions curated for a passage were written from its text: name those whose text changed."""
    try:
        asked = read_anticipated_questions(root / ANTICIPATED_FILE)
    except CorpusError as exc:
        click.echo(f"warning: {exc}", err=True)
        return
    review = [pid for pid in changed if pid in asked]
    if review:
        click.echo(f"review the questions in {ANTICIPATED_FILE} of these passages, whose text changed or is gone: "
                   + ", ".join(review), err=True)


def _ask_to_review_translations(root: Path, files: dict[str, str]) -> None:
    """A translation records the hash of the Japanese it translates: name those it no longer matches, and the
    passages nobody has translated yet (English readers see their Japanese only)."""
    try:
        stale, untranslated = translations_to_review(root, files)
    except CorpusError as exc:
        click.echo(f"warning: {exc}", err=True)
        return
    if stale:
        click.echo(f"review the translations in {TRANSLATIONS_DIR}/ of these passages, whose Japanese text changed "
                   "or is gone: " + ", ".join(stale), err=True)
    if untranslated:
        click.echo(f"passages with no English translation in {TRANSLATIONS_DIR}/ ({len(untranslated)}): "
                   + ", ".join(untranslated), err=True)


@corpus_group.command("stats")
@click.option("--dir", "corpus_dir", type=click.Path(file_okay=False), help="Corpus folder (default: HELPDESK_CORPUS_DIR).")
@with_appcontext
def stats_command(corpus_dir: str | None) -> None:
    """Passage counts per document and per type, and total characters."""
    try:
        corpus = load_corpus(_corpus_dir(corpus_dir))
    except (FileNotFoundError, ValueError, KeyError) as exc:
        raise click.ClickException(str(exc)) from exc
    for line in stats(corpus.passages):
        click.echo(line)
