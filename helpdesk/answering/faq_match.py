"""Does a FAQ entry ask the user's question? Compares the user's question with each FAQ question.

FAQ questions (and a curated entry's alternative phrasings) are embedded as queries like the user's
question (`question_index`), so the comparison works across Japanese and English; an entry matches
as well as its closest phrasing. The match threshold is calibrated on the FAQ itself: two
*different* FAQ questions are at most about as similar as the closest pairs among the FAQ's own
questions, so a user question must be more similar to one FAQ question than that to count as the
same question.

The desk's own entries (published later, `with_entries`) have a threshold of their own, calibrated on
questions written for it (corpus/calibration/desk_match.yaml): questions on topics the documents treat
but no entry answers must not match, so the bar sits just above the closest of them to any entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

import numpy as np
import yaml

from ..corpus import Passage
from .question_index import Embed, QuestionIndex

# Percentile of "nearest other FAQ question" similarities taken as the same-question threshold.
SAME_QUESTION_PERCENTILE = 75
DESK_MATCH_FILE = Path("calibration") / "desk_match.yaml"  # under the corpus dir
# Just above the closest question no entry answers, so that none of them is taken for an entry's.
DESK_MATCH_SLACK = 0.005


def read_desk_match(corpus_dir: Path) -> dict[str, list]:
    """The desk-match calibration questions: `same` ({entry, question}) and `different` (questions)."""
    path = Path(corpus_dir) / DESK_MATCH_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    data = data if isinstance(data, dict) else {}
    return {"same": list(data.get("same") or []), "different": [q for q in data.get("different") or [] if q]}


@dataclass(frozen=True)
class FaqMatch:
    passage: Passage
    similarity: float


class FaqMatcher:
    def __init__(self, questions: QuestionIndex, threshold: float, desk_threshold: float | None = None,
                 desk_ids: frozenset[str] = frozenset()) -> None:
        self.questions = questions
        self.threshold = threshold
        self.desk_threshold = threshold if desk_threshold is None else desk_threshold
        self.desk_ids = desk_ids  # the desk's own entries, matched against `desk_threshold`

    @classmethod
    def calibrated(cls, passages: list, embed: Embed) -> FaqMatcher:
        questions = QuestionIndex.build(passages, attrgetter("faq_phrasings"), embed)
        if len(questions.passages) < 2:
            return cls(questions, 1.0)
        return cls(questions, float(np.percentile(questions.nearest_other_question(), SAME_QUESTION_PERCENTILE)))

    def with_entries(self, passages: list, embed: Embed, different: np.ndarray | None = None) -> FaqMatcher:
        """This matcher plus the desk's entries (published later). `different`: vectors of questions no
        entry answers, which set the entries' threshold; without them it is the corpus FAQ's."""
        added = QuestionIndex.build(passages, attrgetter("faq_phrasings"), embed)
        desk_threshold = None
        if different is not None and len(different) and len(added):
            desk_threshold = float((different @ added.vectors.T).max()) + DESK_MATCH_SLACK
        return FaqMatcher(self.questions.plus(added), self.threshold, desk_threshold,
                          frozenset(p.id for p in added.passages))

    def best(self, query_vector: np.ndarray, among: set[str]) -> FaqMatch | None:
        """The FAQ entry (restricted to passage ids `among`) asking the same question, if any."""
        found = self.questions.nearest(query_vector, among)
        if found is None or found[1] < (self.desk_threshold if found[0].id in self.desk_ids else self.threshold):
            return None
        return FaqMatch(*found)
