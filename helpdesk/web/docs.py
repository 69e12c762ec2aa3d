"""Document viewer: every passage a citation can point to, at /docs/<doc>#<passage id>."""
from __future__ import annotations

import re
from itertools import groupby

from flask import Blueprint, abort, render_template

from ..corpus import load_corpus
from ..curation import public as desk_faq
from .i18n import current_lang

bp = Blueprint("docs", __name__, url_prefix="/docs")


# The documents' own line markers, kept by the translations, read in English in the English column.
_EN_MARKERS = ((re.compile(r"^(\s*)注(\d+):", re.M), r"\1Note \2:"), (re.compile(r"^(\s*)図:", re.M), r"\1Figure:"))


@bp.app_template_filter("consecutive_groups")
def consecutive_groups(items):
    """Checklist items as (group, [(index, item)]) runs, in document order (the index finds an item's translation)."""
    return [(group, list(run)) for group, run in groupby(enumerate(items), key=lambda pair: pair[1].get("group", ""))]


@bp.app_template_filter("english_markers")
def english_markers(text: str) -> str:
    for pattern, replacement in _EN_MARKERS:
        text = pattern.sub(replacement, text)
    return text


@bp.get("/")
def index():
    corpus = load_corpus()
    docs = [(d, len(corpus.by_doc(d["id"]))) for d in corpus.documents]
    entries = desk_faq.published_entries()
    docs.append((desk_faq.desk_document(entries), len(entries)))
    return render_template("docs/index.html", docs=docs)


@bp.get("/<doc>")
def document(doc: str):
    if doc == desk_faq.DOC:  # published desk FAQ entries, from the database
        entries = desk_faq.published_entries()
        return render_template("docs/faq_desk.html", doc=desk_faq.desk_document(entries),
                               entries=[(e, desk_faq.passage_of(e)) for e in entries])
    corpus = load_corpus()
    meta = corpus.document(doc)
    if meta is None:
        abort(404)
    passages = corpus.by_doc(doc)
    en_headings = english_headings(passages) if current_lang() == "en" else {}
    return render_template("docs/document.html", doc=meta, passages=passages, corpus=corpus,
                           en_headings=en_headings)


def english_headings(passages) -> dict[str, str]:
    """Japanese heading → its English, from the translated passages' headings, so that a section heading reads
    in English where a passage headed by it is translated. A checklist heading joins its two levels
    (`研究機関のリスク確認事項：(1) …`, `Risk checks by research institutions: (1) …`): each level is mapped."""
    headings: dict[str, str] = {}
    for p in passages:
        if p.en is None:
            continue
        headings[p.heading] = p.en.heading
        levels, en_levels = p.heading.split("："), p.en.heading.split(": ", p.heading.count("："))
        if len(levels) > 1 and len(levels) == len(en_levels):
            headings.update(zip(levels, en_levels, strict=False))
    return headings
