"""Fusion of the lexical and dense rankings into one.

Weighted reciprocal rank fusion: each side contributes weight / (RRF_K + rank). The lexical weight
scales with the share of Japanese letters in the query: the sources are Japanese, so BM25 on an
English question matches only stray ASCII terms (ASPIRE, JST …) and would pull unrelated
passages above what the cross-lingual dense side found.
"""
from __future__ import annotations

import numpy as np

RRF_K = 60
LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 1.0


def _ranks(rows: np.ndarray, scores: np.ndarray) -> dict[int, int]:
    order = np.argsort(-scores, kind="stable")
    return {int(rows[i]): rank for rank, i in enumerate(order, start=1)}


def fuse(
    lexical: tuple[np.ndarray, np.ndarray],
    dense: tuple[np.ndarray, np.ndarray],
    japanese_share: float,
) -> list[tuple[int, float]]:
    """(row, fused score) best first, over the union of both candidate lists."""
    lex_rank = _ranks(*lexical)
    dense_rank = _ranks(*dense)
    lex_weight = LEXICAL_WEIGHT * japanese_share
    fused = {}
    for row in lex_rank.keys() | dense_rank.keys():
        score = 0.0
        if row in lex_rank:
            score += lex_weight / (RRF_K + lex_rank[row])
        if row in dense_rank:
            score += DENSE_WEIGHT / (RRF_K + dense_rank[row])
        fused[row] = score
    return sorted(fused.items(), key=lambda item: -item[1])
