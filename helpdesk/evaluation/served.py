"""The desk FAQ as the product serves it, for `helpdesk eval`.

`make serve` publishes the desk's shipped seed entries (`corpus/desk-faq/`), so a served desk always
has them. An evaluation database without any published entry would measure a product nobody runs:
it gets the shipped seed imported (as `helpdesk faq import --seed` does), and the caller says so.
Then the search index is brought up to the published entries, as every serving worker does.
"""
from __future__ import annotations

from flask import current_app

from ..corpus import load_corpus
from ..curation import files, search_sync
from ..extensions import db
from ..search import get_search

SEED_DIR_NAME = "desk-faq"


def serve_desk_faq() -> int:
    """Publish the shipped seed if no entry is published; returns how many entries it imported
    (0 when the database already had published entries). The index then holds the published ones."""
    imported = 0
    if not search_sync.published_entries():
        corpus_dir = current_app.config["HELPDESK_CORPUS_DIR"]
        report = files.import_directory(corpus_dir / SEED_DIR_NAME, load_corpus(corpus_dir), origin="seed")
        db.session.commit()
        imported = len(report.applied)
    search_sync.sync(get_search())
    return imported
