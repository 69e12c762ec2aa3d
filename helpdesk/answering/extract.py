"""Choosing the sentences an answer quotes: relevant to the question, not repeating each other.

Relevance of a sentence = the share of the question's (IDF-weighted) content words it contains,
plus a prior for the rank of its passage in the retrieval. Selection is MMR-style: each next
sentence is the most relevant one that is least similar to those already chosen.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .sentences import split_units
from .terms import terms_of

# MMR trade-off between relevance and novelty.
MMR_LAMBDA = 0.7
# Sentences sharing more than this share of their words with a chosen one are repeats.
DUPLICATE_JACCARD = 0.6
# Later sentences must reach this fraction of the best sentence's relevance to be quoted.
KEEP_RATIO = 0.45
RANK_PRIOR = 0.1  # weak tie-breaker: retrieval rank matters less than the sentence's own match


@dataclass(frozen=True)
class Quote:
    passage: object  # a corpus Passage
    rank: int  # retrieval rank of the passage (0 = best)
    position: int  # order of the sentence within the passage
    text: str
    relevance: float


@dataclass
class _Candidate:
    quote: Quote
    terms: frozenset


def quotable_text(passage) -> str:
    """A FAQ entry is quoted from its answer: its question line is not a statement."""
    return passage.answer if passage.type == "faq" and passage.answer else passage.text


def candidates(passages: list, weights: dict[str, float]) -> list[_Candidate]:
    """Every quotable sentence of `passages` (in retrieval order), scored against the query `weights`."""
    total = sum(weights.values()) or 1.0
    found = []
    for rank, passage in enumerate(passages):
        prior = RANK_PRIOR * (1 - rank / max(len(passages), 1))
        asked = _question_terms(passage)
        for position, (unit, terms) in enumerate(_units_with_terms(quotable_text(passage))):
            # A FAQ answer's sentences answer its question, so they match the words of that question
            # too: 「どのような軽減策が考えられますか」 is answered by a sentence naming the measures.
            coverage = sum(w for t, w in weights.items() if t in terms or t in asked) / total
            found.append(_Candidate(Quote(passage, rank, position, unit, coverage + prior), terms))
    return found


def _question_terms(passage) -> frozenset:
    return _cached_terms_of(passage.question) if passage.type == "faq" and passage.question else frozenset()


_cached_terms_of = lru_cache(maxsize=4096)(terms_of)  # the same FAQ questions come back query after query


@lru_cache(maxsize=4096)
def _units_with_terms(text: str) -> tuple[tuple[str, frozenset], ...]:
    """Sentences of a passage text with their tokens: the same passages come back query after query,
    and tokenising them again cost more than the rest of the composition. Keyed by the text itself,
    so an edited (curated) passage is simply a new key."""
    return tuple((unit, terms_of(unit)) for unit in split_units(text))


def select(pool: list[_Candidate], limit: int, required: list[_Candidate] = ()) -> list[Quote]:
    """Up to `limit` quotes by MMR, starting from `required`; returned by relevance."""
    chosen = list(required)
    rest = [c for c in pool if c not in chosen]
    best = max((c.quote.relevance for c in pool), default=0.0)
    while rest and len(chosen) < limit:
        scored = [(MMR_LAMBDA * c.quote.relevance - (1 - MMR_LAMBDA) * _max_similarity(c, chosen), c) for c in rest]
        _, pick = max(scored, key=lambda pair: pair[0])
        rest.remove(pick)
        if pick.quote.relevance < KEEP_RATIO * best:
            break
        if _max_similarity(pick, chosen) > DUPLICATE_JACCARD:
            continue
        chosen.append(pick)
    return [c.quote for c in chosen]


def in_reading_order(quotes: list[Quote]) -> list[Quote]:
    """Passages in retrieval order, sentences within a passage in document order.

    Retrieval ranks a passage by all of it and across languages; a sentence's word overlap with the
    question is a narrower signal (and, for an English question, only a proxy), so it chooses the
    sentences but not which passage comes first (on the dev and extra sets, ordering by sentence
    relevance put a gold passage first less often than the retrieval order did)."""
    return sorted(quotes, key=lambda q: (q.rank, q.position))


def best_of_top_passage(pool: list[_Candidate]) -> list[_Candidate]:
    """The most relevant sentence of the best retrieved passage, if it shares any word with the
    question: the answer then always opens with the passage retrieval trusts most."""
    # Rank 0's prior is exactly RANK_PRIOR, so any relevance above it is word coverage.
    top = [c for c in pool if c.quote.rank == 0 and c.quote.relevance > RANK_PRIOR]
    return [max(top, key=lambda c: c.quote.relevance)] if top else []


def _max_similarity(candidate: _Candidate, chosen: list[_Candidate]) -> float:
    return max((_jaccard(candidate.terms, c.terms) for c in chosen), default=0.0)


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
