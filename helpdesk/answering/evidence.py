"""How well the retrieved passages support an answer: the confidence signal.

Two signals, each scaled by the calibration to [0, 1]:
- dense: the best cosine between the question and a passage. Calibrated per question language:
  an English question's cosine with Japanese passages runs systematically lower;
- lexical: the share of the question's IDF-weighted BM25 terms found in the top passages. The
  sources are Japanese, so for an English question these are the Japanese terms the glossary
  found for it, and the signal counts only as far as they stand for the question (its reach).
They are averaged, the lexical one weighted by that reach.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..search.text import japanese_share
from .calibration import Range

TOP_PASSAGES = 3  # the passages an answer is mostly built from


@dataclass(frozen=True)
class Signals:
    dense: float
    lexical: float
    japanese: float
    lexical_reach: float  # how much of the question the lexical terms stand for (search.fusion.lexical_reach)


@dataclass(frozen=True)
class Calibration:
    dense_ja: Range
    dense_en: Range
    lexical: Range

    def confidence(self, signals: Signals) -> float:
        share = signals.japanese
        dense = share * self.dense_ja.scale(signals.dense) + (1 - share) * self.dense_en.scale(signals.dense)
        lexical_weight = 0.5 * signals.lexical_reach
        return (1 - lexical_weight) * dense + lexical_weight * self.lexical.scale(signals.lexical)


def measure(question: str, hits: list, weights: dict[str, float], passage_terms: dict[str, frozenset],
            lexical_reach: float) -> Signals:
    dense = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
    covered: set[str] = set()
    for hit in hits[:TOP_PASSAGES]:
        covered |= passage_terms.get(hit.passage.id, frozenset())
    total = sum(weights.values())
    lexical = sum(w for t, w in weights.items() if t in covered) / total if total else 0.0
    return Signals(dense=float(dense), lexical=float(lexical), japanese=japanese_share(question),
                   lexical_reach=lexical_reach)
