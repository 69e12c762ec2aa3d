"""Retrieval section: Recall@1, Recall@5, MRR@10 of BM25 only, dense only and hybrid.

Desk questions and routed ones (route other than desk, but with gold passages) are reported
separately; out-of-scope questions (no gold) have nothing to retrieve and are left out.

Ranks are among the source documents: the desk's own FAQ entries (published, as served) are left out of
the ranking, since their wording is the desk's and never holds a gold phrase; the answering section
measures them as the leads they are.
"""
from __future__ import annotations

from ..curation.search_sync import DOC as DESK_FAQ_DOC
from ..search import get_search
from ..search.service import Mode
from .metrics import first_hit, mrr_at, recall_at
from .questions import Question
from .tables import Table

DEPTH = 10
MODES_ORDER: tuple[Mode, ...] = ("lexical", "dense", "hybrid")
METHOD_NAMES = {"lexical": "BM25", "dense": "dense", "hybrid": "hybrid"}
COLUMNS = ["subset", "n", "method", "R@1", "R@5", "MRR@10"]


def _subsets(questions: list[Question]) -> list[tuple[str, list[Question]]]:
    subsets = [("all", questions)]
    subsets += [(f"lang={lang}", [q for q in questions if q.lang == lang]) for lang in ("ja", "en")]
    subsets += [(f"doc={doc}", [q for q in questions if q.doc == doc]) for doc in sorted({q.doc for q in questions})]
    return [(name, qs) for name, qs in subsets if qs]


def _table(title: str, questions: list[Question], ranks: dict[Mode, dict[str, int | None]]) -> Table:
    rows = []
    for name, subset in _subsets(questions):
        for mode in MODES_ORDER:
            r = [ranks[mode][q.id] for q in subset]
            rows.append([name, len(subset), METHOD_NAMES[mode], recall_at(r, 1), recall_at(r, 5), mrr_at(r, DEPTH)])
    return Table(title, COLUMNS, rows)


def retrieval_section(questions: list[Question]) -> list[Table]:
    search = get_search()
    scored = [q for q in questions if q.answerable]

    def documents(q: Question, mode: Mode) -> list[str]:
        k = DEPTH
        while True:  # deeper until DEPTH document passages, or no more hits
            hits = search.search(q.question, k, mode)
            found = [h.passage.text for h in hits if h.passage.doc != DESK_FAQ_DOC]
            if len(found) >= DEPTH or len(hits) < k:
                return found[:DEPTH]
            k *= 2

    def rank(q: Question, mode: Mode) -> int | None:
        return first_hit(documents(q, mode), q.gold_any)

    ranks = {mode: {q.id: rank(q, mode) for q in scored} for mode in MODES_ORDER}
    tables = []
    for title, group in (("Retrieval — desk questions", [q for q in scored if q.desk]),
                         ("Retrieval — routed questions (with gold)", [q for q in scored if not q.desk])):
        if group:
            tables.append(_table(title, group, ranks))
    misses = [[q.id, q.lang, q.doc, *(ranks[m][q.id] or "-" for m in MODES_ORDER), q.question[:60]]
              for q in scored if (ranks["hybrid"][q.id] or DEPTH + 1) > 1]
    tables.append(Table("Retrieval — questions whose gold is not ranked first by hybrid (rank in top 10)",
                        ["id", "lang", "doc", "BM25", "dense", "hybrid", "question"], misses))
    return tables
