"""Fusion of lexical (BM25) and dense (cosine) scores over the candidates of both.

Normalised score fusion rather than reciprocal rank fusion: ranks throw away how far ahead a
passage is, and a passage that BM25 puts far ahead (it shares the rare terms of the question)
should not lose to one that both sides rank merely fairly well. Each side is scaled to [0, 1]
over the candidates (BM25 by its maximum, cosine min–max), then mixed with a lexical weight that
scales with the share of Japanese letters in the query: the sources are Japanese, so BM25 on an
English question matches only stray ASCII terms (ASPIRE, JST …) and must not drag down what the
cross-lingual dense side found.
"""
from __future__ import annotations

import numpy as np

# Chosen on the dev set (tests/data/dev_questions.jsonl) with `helpdesk eval`: MRR@10 moves by less
# than the noise of 17 Japanese desk questions between 0.5 and 1.0; below that BM25 stops helping.
LEXICAL_WEIGHT = 0.7


def fuse(lexical: np.ndarray, dense: np.ndarray, japanese_share: float) -> np.ndarray:
    """Fused scores of the candidates, given their BM25 scores (0 = no match) and cosines."""
    lex = lexical / lexical.max() if lexical.size and lexical.max() > 0 else np.zeros_like(dense)
    spread = dense.max() - dense.min() if dense.size else 0.0
    den = (dense - dense.min()) / spread if spread > 0 else np.ones_like(dense)
    return LEXICAL_WEIGHT * japanese_share * lex + den
