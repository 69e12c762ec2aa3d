"""The search service: hybrid (BM25 + dense) retrieval over the corpus, updatable in place."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal

import numpy as np

from . import store
from .dense_index import DenseIndex
from .embed_cache import EmbeddingCache
from .embedders import Embedder
from .fusion import fuse
from .lexical_index import LexicalIndex
from .passage_text import index_text
from .text import japanese_share, tokenize

Mode = Literal["hybrid", "lexical", "dense"]
MODES: tuple[Mode, ...] = ("hybrid", "lexical", "dense")
# How deep each side's ranking goes into the fusion.
CANDIDATES = 50
_EMPTY = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))


@dataclass
class Hit:
    passage: Any
    score: float
    lexical_score: float
    dense_score: float | None  # cosine; None when the query was not embedded (lexical mode)

    def to_dict(self) -> dict:
        p = self.passage
        return {"id": p.id, "doc": p.doc, "title": p.title, "text": p.text, "score": round(self.score, 6), "url": p.url}


@dataclass
class BuildReport:
    passages: int
    embedded: int  # passages whose vectors were not in the cache
    seconds: float
    loaded: bool  # True when an unchanged index was read from disk
    kind: str


class SearchService:
    def __init__(self, embedder: Embedder, cache: EmbeddingCache, passages: list, lexical: LexicalIndex,
                 dense: DenseIndex, hnsw_threshold: int) -> None:
        self.embedder = embedder
        self._cache = cache
        self._hnsw_threshold = hnsw_threshold
        self._passages: list = passages  # by row; None once removed
        self._row_of = {p.id: row for row, p in enumerate(passages)}
        self._lexical = lexical
        self._dense = dense
        self._lock = threading.Lock()
        self.report: BuildReport | None = None

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def open(cls, passages: list, index_dir: Path, embedder: Embedder, cache: EmbeddingCache,
             hnsw_threshold: int, progress: bool = False) -> "SearchService":
        """Load the persisted index for exactly these passages and this model, else build and persist it."""
        started = time.perf_counter()
        texts = [index_text(p) for p in passages]
        key = store.fingerprint([(p.id, t) for p, t in zip(passages, texts)], embedder.model_id, hnsw_threshold)
        stored = store.load(index_dir, key, hnsw_threshold)
        loaded, embedded = stored is not None, 0
        if stored is None:
            embedded = cache.count_missing(embedder.model_id, texts)
            vectors = cache.embed(embedder.model_id, embedder.dim, texts, embedder.embed_passages, progress)
            tokens = {row: tokenize(t) for row, t in enumerate(texts)}
            stored = store.StoredIndex([p.id for p in passages], LexicalIndex(tokens), DenseIndex(vectors, hnsw_threshold))
            store.save(index_dir, key, stored)
        by_id = {p.id: p for p in passages}
        service = cls(embedder, cache, [by_id[i] for i in stored.ids], stored.lexical, stored.dense, hnsw_threshold)
        service.report = BuildReport(len(passages), embedded, time.perf_counter() - started, loaded, stored.dense.kind)
        return service

    # --- queries ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._row_of)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed_queries([text])[0]

    def search(self, query: str, k: int = 10, mode: Mode = "hybrid") -> list[Hit]:
        """The `k` best passages for `query`, best first."""
        vector = self.embed_query(query) if mode != "lexical" else None
        terms = tokenize(query) if mode != "dense" else []
        with self._lock:
            lexical = self._top(*self._lexical.scores(terms)) if terms else _EMPTY
            dense = self._dense.search(vector, CANDIDATES) if vector is not None else _EMPTY
            if mode == "hybrid":
                ranked = fuse(lexical, dense, japanese_share(query))[:k]
            else:
                rows, scores = lexical if mode == "lexical" else dense
                ranked = list(zip(rows.tolist(), scores.tolist()))[:k]
            rows = np.array([row for row, _ in ranked], dtype=np.int64)
            cosines = self._dense.similarity(vector, rows) if vector is not None else None
            lex_score = dict(zip(lexical[0].tolist(), lexical[1].tolist()))
            return [
                Hit(self._passages[row], float(score), lex_score.get(row, 0.0),
                    None if cosines is None else float(cosines[i]))
                for i, (row, score) in enumerate(ranked)
            ]

    @staticmethod
    def _top(rows: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The CANDIDATES best (rows, scores), best first."""
        if len(rows) > CANDIDATES:
            keep = np.argpartition(-scores, CANDIDATES)[:CANDIDATES]
            rows, scores = rows[keep], scores[keep]
        order = np.argsort(-scores, kind="stable")
        return rows[order], scores[order]

    # --- live updates (curation) --------------------------------------------------------------

    def upsert(self, passages: Iterable) -> int:
        """Add passages, or replace those whose id is already indexed; only changed text is re-embedded."""
        latest = {p.id: p for p in passages}  # the last version wins if an id repeats
        if not latest:
            return 0
        items = list(latest.values())
        texts = [index_text(p) for p in items]
        vectors = self._cache.embed(self.embedder.model_id, self.embedder.dim, texts, self.embedder.embed_passages)
        tokens = [tokenize(t) for t in texts]
        with self._lock:
            replaced = {self._row_of[p.id] for p in items if p.id in self._row_of}
            self._forget(replaced)
            rows = self._dense.add(vectors)
            for p, row in zip(items, rows.tolist()):
                self._passages.append(p)
                self._row_of[p.id] = row
            self._lexical = self._lexical.with_changes(dict(zip(rows.tolist(), tokens)), replaced)
            self._compact_if_sparse()
        return len(items)

    def remove(self, ids: Iterable[str]) -> int:
        """Remove passages by id; unknown ids are ignored. Returns how many were removed."""
        with self._lock:
            rows = {self._row_of.pop(pid) for pid in set(ids) if pid in self._row_of}
            if rows:
                self._forget(rows)
                self._lexical = self._lexical.with_changes({}, rows)
                self._compact_if_sparse()
            return len(rows)

    def _forget(self, rows: set[int]) -> None:
        for row in rows:
            self._passages[row] = None
        self._dense.drop(np.fromiter(rows, dtype=np.int64, count=len(rows)))

    def _compact_if_sparse(self) -> None:
        """Rebuild the row space from live rows once a quarter of it is dead (searches skip dead rows)."""
        if self._dense.dead * 4 <= len(self._dense):
            return
        live = [row for row, p in enumerate(self._passages) if p is not None]
        old_tokens = self._lexical.tokens
        self._passages = [self._passages[row] for row in live]
        self._row_of = {p.id: row for row, p in enumerate(self._passages)}
        self._dense = DenseIndex(self._dense.vectors[live], self._hnsw_threshold)
        self._lexical = LexicalIndex({new: old_tokens[old] for new, old in enumerate(live)})
