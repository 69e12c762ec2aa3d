"""Nearest-neighbour search over L2-normalised vectors with faiss (inner product = cosine).

Exact `IndexFlatIP` for small corpora; HNSW once the corpus reaches `hnsw_threshold` passages,
where exact search would cost too much per query. Rows are append-only: `add` appends,
`drop` marks rows dead (HNSW cannot delete) and searches skip them; the owner compacts by
building a fresh index once too many rows are dead.
"""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


class DenseIndex:
    def __init__(self, vectors: np.ndarray, hnsw_threshold: int, _index: faiss.Index | None = None) -> None:
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.alive = np.ones(len(self.vectors), dtype=bool)
        self.dim = self.vectors.shape[1]
        self.kind = "hnsw" if len(self.vectors) >= hnsw_threshold else "flat"
        self._index = _index if _index is not None else self._new_index()
        if _index is None:
            self._index.add(self.vectors)

    def _new_index(self) -> faiss.Index:
        if self.kind == "flat":
            return faiss.IndexFlatIP(self.dim)
        index = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
        return index

    def __len__(self) -> int:
        return len(self.vectors)

    @property
    def dead(self) -> int:
        return int(len(self.alive) - self.alive.sum())

    def add(self, vectors: np.ndarray) -> np.ndarray:
        """Append rows; returns their row numbers."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        rows = np.arange(len(self.vectors), len(self.vectors) + len(vectors))
        self.vectors = np.concatenate([self.vectors, vectors])
        self.alive = np.concatenate([self.alive, np.ones(len(vectors), dtype=bool)])
        self._index.add(vectors)
        return rows

    def drop(self, rows: np.ndarray) -> None:
        self.alive[rows] = False

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The `k` nearest live rows and their cosine similarities, best first."""
        depth = min(len(self.vectors), k + self.dead)
        if depth == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        scores, rows = self._index.search(query.reshape(1, -1).astype(np.float32), depth)
        scores, rows = scores[0], rows[0]
        keep = (rows >= 0) & self.alive[np.maximum(rows, 0)]
        return rows[keep][:k], scores[keep][:k]

    def similarity(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact cosine similarity of `query` to the given rows."""
        return self.vectors[rows] @ query

    def save(self, directory: Path) -> None:
        np.save(directory / "vectors.npy", self.vectors)
        if self.kind == "hnsw":  # a flat index is rebuilt from the vectors faster than it is read
            faiss.write_index(self._index, str(directory / "hnsw.faiss"))

    @classmethod
    def load(cls, directory: Path, hnsw_threshold: int) -> "DenseIndex":
        vectors = np.load(directory / "vectors.npy")
        stored = directory / "hnsw.faiss"
        if len(vectors) >= hnsw_threshold and stored.exists():
            index = faiss.read_index(str(stored))
            index.hnsw.efSearch = HNSW_EF_SEARCH
            return cls(vectors, hnsw_threshold, _index=index)
        return cls(vectors, hnsw_threshold)
