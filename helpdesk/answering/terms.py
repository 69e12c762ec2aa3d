"""Content-word statistics of the corpus: how informative each query term is (IDF).

Uses the search area's tokenizer so that "a term" means the same thing for retrieval and for
choosing sentences. Built once per process by the `Answerer` (the corpus tokenises in about a second).
"""
from __future__ import annotations

import math
from collections import Counter

from ..search.text import tokenize

# Words that frame a question rather than name its topic ("tell me", "can I use", casual fillers).
# Rare in the documents, so IDF would otherwise rank them as the most telling terms. Held as the
# tokenizer's terms (its lemmas: `もの` is `物`); interrogatives and pronouns it drops itself.
QUESTION_FRAMING = frozenset(
    term
    for word in "教える 知る 言う 思う 分かる 聞く 尋ねる 使える 出来る 遅い もの こと ほか 欲しい".split()
    for term in tokenize(word)
)


def terms_of(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def query_terms(question: str) -> list[str]:
    """The question's topic words: its content words without the framing of a question."""
    return topic_terms(tokenize(question))


def topic_terms(terms: list[str]) -> list[str]:
    """`terms` without the framing of a question."""
    return [t for t in terms if t not in QUESTION_FRAMING]


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
