"""What each passage is indexed by (both the embedding and BM25).

The breadcrumb title comes first: a passage's topic is often named only in its headings
(`2-4. リスクマネジメントの範囲`), and questions are phrased around topics. FAQ passages are the
FAQ question followed by its answer, so that a user's question lands near the FAQ question
that matches it while the answer still carries the substance.
"""
from __future__ import annotations


def index_text(passage) -> str:
    parts = [passage.title]
    if passage.heading and passage.heading not in passage.title and passage.heading not in passage.text:
        parts.append(passage.heading)
    if getattr(passage, "question", None) and getattr(passage, "answer", None):
        parts += [passage.question, passage.answer]
    else:
        parts.append(passage.text)
    return "\n".join(p for p in parts if p)
