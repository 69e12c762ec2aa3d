"""Does a FAQ entry ask the user's question? Compares the user's question with each FAQ question.

FAQ questions (and a curated entry's alternative phrasings) are embedded as queries like the user's
question (`question_index`), so the comparison works across Japanese and English; an entry matches
as well as its closest phrasing. The match threshold is calibrated on the FAQ itself: two
*different* FAQ questions are at most about as similar as the closest pairs among the FAQ's own
questions, so a user question must be more similar to one FAQ question than that to count as the
same question.
"""
from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from .question_index import Embed, QuestionIndex

# Percentile of "nearest other FAQ question" similarities taken as the same-question threshold.
SAME_QUESTION_PERCENTILE = 75


@dataclass(frozen=True)
class FaqMatch:
    passage: object
    similarity: float


class FaqMatcher:
    def __init__(self, questions: QuestionIndex, threshold: float) -> None:
        self.questions = questions
        self.threshold = threshold

    @classmethod
    def calibrated(cls, passages: list, embed: Embed) -> FaqMatcher:
        questions = QuestionIndex.build(passages, attrgetter("faq_phrasings"), embed)
        if len(questions.passages) < 2:
            return cls(questions, 1.0)
        return cls(questions, float(np.percentile(questions.nearest_other_question(), SAME_QUESTION_PERCENTILE)))

    def with_entries(self, passages: list, embed: Embed) -> FaqMatcher:
        """This matcher plus more FAQ passages (desk entries published later); same threshold, which
        stays calibrated on the corpus FAQ."""
        added = QuestionIndex.build(passages, attrgetter("faq_phrasings"), embed)
        return FaqMatcher(self.questions.plus(added), self.threshold)

    def best(self, query_vector: np.ndarray, among: set[str]) -> FaqMatch | None:
        """The FAQ entry (restricted to passage ids `among`) asking the same question, if any."""
        found = self.questions.nearest(query_vector, among)
        if found is None or found[1] < self.threshold:
            return None
        return FaqMatch(*found)
