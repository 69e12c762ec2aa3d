"""Does a FAQ entry ask the user's question? Compares the user's question with each FAQ question.

FAQ questions are embedded once (as queries, like the user's question) so the comparison works
across Japanese and English. The match threshold is calibrated on the FAQ itself: two *different*
FAQ questions are at most about as similar as the closest pairs among the FAQ's own questions, so
a user question must be more similar to one FAQ question than that to count as the same question.
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


class FaqMatcher:
    def __init__(self, passages: list, embedder) -> None:
        self.passages = [p for p in passages if p.type == "faq" and p.question]
        if not self.passages:
            self.vectors = np.empty((0, 0), dtype=np.float32)
            self.threshold = 1.0
            return
        self.vectors = np.asarray(embedder.embed_queries([p.question for p in self.passages]), dtype=np.float32)
        self.threshold = self._same_question_threshold()

    def with_entries(self, passages: list, embedder) -> "FaqMatcher":
        """This matcher plus more FAQ passages (desk entries published later); same threshold, which
        stays calibrated on the corpus FAQ."""
        added = [p for p in passages if p.type == "faq" and p.question]
        if not added:
            return self
        matcher = object.__new__(FaqMatcher)
        vectors = np.asarray(embedder.embed_queries([p.question for p in added]), dtype=np.float32)
        matcher.passages = self.passages + added
        matcher.vectors = np.vstack([self.vectors, vectors]) if self.passages else vectors
        matcher.threshold = self.threshold
        return matcher

    def _same_question_threshold(self) -> float:
        if len(self.passages) < 2:
            return 1.0
        similarity = self.vectors @ self.vectors.T
        np.fill_diagonal(similarity, -1.0)
        return float(np.percentile(similarity.max(axis=1), SAME_QUESTION_PERCENTILE))

    def best(self, query_vector: np.ndarray, among: set[str]) -> FaqMatch | None:
        """The FAQ entry (restricted to passage ids `among`) asking the same question, if any."""
        if not self.passages:
            return None
        scores = self.vectors @ np.asarray(query_vector, dtype=np.float32)
        for index in np.argsort(-scores):
            passage = self.passages[int(index)]
            if passage.id in among:
                similarity = float(scores[int(index)])
                return FaqMatch(passage, similarity) if similarity >= self.threshold else None
        return None
