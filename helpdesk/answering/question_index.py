"""Questions the documents are known to answer, embedded as queries and compared with the user's.

A user's question is compared with other *questions* (FAQ questions, a desk entry's alternative
phrasings, the curated anticipated questions of every passage), each embedded in the query role
like the user's question: question to question is a closer comparison than question to passage,
in Japanese and across languages. Vectors come from the search service's embedding cache, so a
process embeds only questions it has never seen.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from ..corpus import Passage

Phrasings = Callable[[Passage], Iterable[str]]  # the questions a passage answers (Passage.known_questions …)
Embed = Callable[[list[str]], np.ndarray]  # texts -> normalised query vectors


@dataclass(frozen=True)
class QuestionIndex:
    passages: tuple[Passage, ...]  # every passage with at least one question
    vectors: np.ndarray  # (questions, dim), normalised
    owners: np.ndarray  # index into `passages` of each question's passage

    @classmethod
    def build(cls, passages: Iterable[Passage], phrasings: Phrasings, embed: Embed) -> QuestionIndex:
        owned: list[Passage] = []
        texts: list[str] = []
        owners: list[int] = []
        for passage in passages:
            questions = [q for q in phrasings(passage) if q]
            if questions:
                texts += questions
                owners += [len(owned)] * len(questions)
                owned.append(passage)
        vectors = np.asarray(embed(texts), dtype=np.float32) if texts else np.empty((0, 0), dtype=np.float32)
        return cls(tuple(owned), vectors, np.asarray(owners, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.owners)

    def plus(self, other: QuestionIndex) -> QuestionIndex:
        """This index and `other`'s questions (desk FAQ entries, whose ids the corpus never uses)."""
        if not len(other):
            return self
        if not len(self):
            return other
        return QuestionIndex(self.passages + other.passages, np.vstack([self.vectors, other.vectors]),
                             np.concatenate([self.owners, other.owners + len(self.passages)]))

    def similarities(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of the query with every question (by row)."""
        if not len(self):
            return np.empty(0, dtype=np.float32)
        return self.vectors @ np.asarray(query_vector, dtype=np.float32)

    def nearest(self, query_vector: np.ndarray, among: set[str]) -> tuple[Passage, float] | None:
        """The passage (restricted to ids `among`) with the question nearest the query, and its cosine."""
        scores = self.similarities(query_vector)
        for row in np.argsort(-scores):
            passage = self.passages[int(self.owners[row])]
            if passage.id in among:
                return passage, float(scores[row])
        return None

    def nearest_other_question(self) -> np.ndarray:
        """For each question, the cosine of the nearest question of a *different* passage."""
        similarity = self.vectors @ self.vectors.T
        similarity[self.owners[:, None] == self.owners[None, :]] = -1.0  # phrasings of one entry are alike
        return similarity.max(axis=1)
