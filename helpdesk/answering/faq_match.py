"""Does a FAQ entry ask the user's question? Compares the user's question with each FAQ question.

FAQ questions (and a curated entry's alternative phrasings) are embedded once, as queries like the
user's question, so the comparison works across Japanese and English; an entry matches as well as
its closest phrasing. The match threshold is calibrated on the FAQ itself: two *different* FAQ
questions are at most about as similar as the closest pairs among the FAQ's own questions, so a
user question must be more similar to one FAQ question than that to count as the same question.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Percentile of "nearest other FAQ question" similarities taken as the same-question threshold.
SAME_QUESTION_PERCENTILE = 75


@dataclass(frozen=True)
class FaqMatch:
    passage: object
    similarity: float


def _phrasings(passages: list) -> tuple[list, list[str], np.ndarray]:
    """The FAQ passages among `passages`, every phrasing of their questions, and each phrasing's entry."""
    entries = [p for p in passages if p.type == "faq" and p.question]
    texts, owners = [], []
    for index, passage in enumerate(entries):
        for text in (passage.question, *passage.alternatives):
            texts.append(text)
            owners.append(index)
    return entries, texts, np.asarray(owners, dtype=np.int64)


class FaqMatcher:
    def __init__(self, passages: list, embedder) -> None:
        self.passages, texts, self.owners = _phrasings(passages)
        if not self.passages:
            self.vectors = np.empty((0, 0), dtype=np.float32)
            self.threshold = 1.0
            return
        self.vectors = np.asarray(embedder.embed_queries(texts), dtype=np.float32)
        self.threshold = self._same_question_threshold()

    def with_entries(self, passages: list, embedder) -> "FaqMatcher":
        """This matcher plus more FAQ passages (desk entries published later); same threshold, which
        stays calibrated on the corpus FAQ."""
        added, texts, owners = _phrasings(passages)
        if not added:
            return self
        matcher = object.__new__(FaqMatcher)
        vectors = np.asarray(embedder.embed_queries(texts), dtype=np.float32)
        matcher.passages = self.passages + added
        matcher.vectors = np.vstack([self.vectors, vectors]) if self.passages else vectors
        matcher.owners = np.concatenate([self.owners, owners + len(self.passages)])
        matcher.threshold = self.threshold
        return matcher

    def _same_question_threshold(self) -> float:
        if len(self.passages) < 2:
            return 1.0
        similarity = self.vectors @ self.vectors.T
        similarity[self.owners[:, None] == self.owners[None, :]] = -1.0  # phrasings of one entry are alike
        return float(np.percentile(similarity.max(axis=1), SAME_QUESTION_PERCENTILE))

    def best(self, query_vector: np.ndarray, among: set[str]) -> FaqMatch | None:
        """The FAQ entry (restricted to passage ids `among`) asking the same question, if any."""
        if not self.passages:
            return None
        scores = self.vectors @ np.asarray(query_vector, dtype=np.float32)
        for row in np.argsort(-scores):
            passage = self.passages[int(self.owners[row])]
            if passage.id in among:
                similarity = float(scores[row])
                return FaqMatch(passage, similarity) if similarity >= self.threshold else None
        return None
