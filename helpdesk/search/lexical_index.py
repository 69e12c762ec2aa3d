"""BM25 over pre-tokenised passages (bm25s), addressed by the same row numbers as the dense index.

bm25s cannot add documents to a built index, and IDF changes with every document anyway, so an
update re-indexes the kept token lists: no passage is re-tokenised, and at corpus scale this
takes milliseconds.
"""
from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np


class LexicalIndex:
    def __init__(self, tokens: dict[int, list[str]]) -> None:
        """`tokens`: row number → the passage's terms (live rows only)."""
        self.tokens = tokens
        self._rows = np.fromiter(tokens.keys(), dtype=np.int64, count=len(tokens))
        self._bm25 = bm25s.BM25()
        if tokens:
            self._bm25.index(list(tokens.values()), show_progress=False)

    def scores(self, query_terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows with a positive BM25 score for `query_terms`, and those scores (unordered)."""
        if not query_terms or not len(self._rows):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        scores = self._bm25.get_scores(query_terms)
        matched = np.flatnonzero(scores > 0)
        return self._rows[matched], scores[matched]

    def with_changes(self, added: dict[int, list[str]], dropped: set[int]) -> LexicalIndex:
        tokens = {row: terms for row, terms in self.tokens.items() if row not in dropped}
        tokens.update(added)
        return LexicalIndex(tokens)

    def save(self, directory: Path, name: str = "tokens.json") -> None:
        with open(directory / name, "w", encoding="utf-8") as fh:
            json.dump([[row, terms] for row, terms in self.tokens.items()], fh, ensure_ascii=False)

    @classmethod
    def load(cls, directory: Path, name: str = "tokens.json") -> LexicalIndex:
        with open(directory / name, encoding="utf-8") as fh:
            return cls({row: terms for row, terms in json.load(fh)})

    def renumbered(self, new_row) -> LexicalIndex:
        """The same index with row numbers mapped through `new_row` (compaction)."""
        return LexicalIndex({int(new_row[old]): terms for old, terms in self.tokens.items()})
