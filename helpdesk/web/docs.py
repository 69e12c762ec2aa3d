"""Document viewer: every passage a citation can point to, at /docs/<doc>#<passage id>."""
from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, render_template

from ..corpus import load_corpus
from ..curation import public as desk_faq
from .i18n import MESSAGES

bp = Blueprint("docs", __name__, url_prefix="/docs")

MESSAGES.update(
    {
        "docs.title": {"ja": "資料", "en": "Documents"},
        "docs.intro": {
            "ja": "回答の根拠となる資料です。各段落に引用用のリンクがあります。",
            "en": "The documents answers are based on (in Japanese). Every passage has a link for citation.",
        },
        "docs.publisher": {"ja": "発行", "en": "Publisher"},
        "docs.date": {"ja": "日付", "en": "Date"},
        "docs.passages": {"ja": "段落数", "en": "Passages"},
        "docs.source": {"ja": "出典", "en": "Source"},
        "docs.permalink": {"ja": "この段落へのリンク", "en": "Link to this passage"},
        "docs.cites": {"ja": "根拠", "en": "Source passage"},
        "docs.back": {"ja": "資料一覧へ", "en": "All documents"},
    }
)


@bp.app_template_filter("consecutive_groups")
def consecutive_groups(items):
    """Checklist items as (group, items) runs, in document order."""
    return [(group, list(run)) for group, run in groupby(items, key=lambda item: item.get("group", ""))]


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
        return render_template("docs/faq_desk.html", doc=desk_faq.desk_document(entries), entries=entries)
    corpus = load_corpus()
    meta = corpus.document(doc)
    if meta is None:
        abort(404)
    return render_template("docs/document.html", doc=meta, passages=corpus.by_doc(doc), corpus=corpus)
