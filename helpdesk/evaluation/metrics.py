"""Retrieval metrics over ranked passage texts, judged by gold phrases."""
from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """NFKC with all whitespace removed: how passages and gold phrases are compared."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def first_hit(texts: list[str], gold_any: tuple[str, ...]) -> int | None:
    """1-based rank of the first text containing a gold phrase, or None."""
    golds = [squash(g) for g in gold_any]
    for rank, text in enumerate(texts, start=1):
        flat = squash(text)
        if any(g in flat for g in golds):
            return rank
    return None


def recall_at(ranks: list[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def mrr_at(ranks: list[int | None], k: int) -> float:
    return sum(1 / r for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0
