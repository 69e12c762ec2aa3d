"""Content-word statistics of the corpus: how informative each query term is (IDF).

Uses the search area's tokenizer so that "a term" means the same thing for retrieval and for
choosing sentences. Built once per process by the `Answerer` (the corpus tokenises in about a second).
"""
from __future__ import annotations

import math
from collections import Counter

from ..search.text import tokenize


def terms_of(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


class TermStats:
    def __init__(self, term_sets: list[frozenset[str]]) -> None:
        self.documents = len(term_sets)
        self.df = Counter(term for terms in term_sets for term in terms)

    def idf(self, term: str) -> float:
        # BM25-style idf, floored so that every shared term counts a little.
        df = self.df.get(term, 0)
        return max(math.log((self.documents - df + 0.5) / (df + 0.5) + 1.0), 0.05)

    def weights(self, terms: list[str]) -> dict[str, float]:
        return {term: self.idf(term) for term in set(terms)}
