"""Nearest-passage search over L2-normalised segment vectors with faiss (inner product = cosine).

A passage is embedded as one or more segments; each vector has an owner (the passage's row
number) and a passage scores as its best segment. Exact `IndexFlatIP` for small corpora; HNSW
once there are `hnsw_threshold` vectors, where exact search would cost too much per query.
Vectors are append-only: `add` appends, `drop` marks a passage's vectors dead (HNSW cannot
delete) and searches skip them; the owner of the index compacts by building a new one.
"""
from __future__ import annotations

from itertools import chain
from pathlib import Path
from typing import cast

import faiss
import numpy as np

from .threads import faiss_for_build, faiss_for_query

HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 512  # clustered corpora need a wide beam: recall@40 0.78 at 128, 0.92 at 512 (~2 ms)
# Segments fetched per passage wanted: a passage's several segments often rank together.
FANOUT = 4


class DenseIndex:
    def __init__(self, vectors: np.ndarray, owners: np.ndarray, hnsw_threshold: int,
                 _index: faiss.Index | None = None) -> None:
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.alive = np.ones(len(self.vectors), dtype=bool)
        self.dim = self.vectors.shape[1]
        self.kind = "hnsw" if len(self.vectors) >= hnsw_threshold else "flat"
        self._segments: dict[int, list[int]] = {}
        self._map_segments(0)
        self._index = _index if _index is not None else self._new_index()
        if _index is None:
            faiss_for_build()
            self._index.add(self.vectors)

    def _new_index(self) -> faiss.Index:
        if self.kind == "flat":
            return faiss.IndexFlatIP(self.dim)
        index = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
        return index

    def _map_segments(self, start: int) -> None:
        for segment, owner in enumerate(self.owners[start:].tolist(), start=start):
            self._segments.setdefault(owner, []).append(segment)

    def __len__(self) -> int:
        return len(self.vectors)

    @property
    def dead(self) -> int:
        return int(len(self.alive) - self.alive.sum())

    def add(self, vectors: np.ndarray, owners: np.ndarray) -> None:
        start = len(self.vectors)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.vectors = np.concatenate([self.vectors, vectors])
        self.owners = np.concatenate([self.owners, np.asarray(owners, dtype=np.int64)])
        self.alive = np.concatenate([self.alive, np.ones(len(vectors), dtype=bool)])
        self._map_segments(start)
        faiss_for_build()
        self._index.add(vectors)

    def drop(self, rows) -> None:
        """Mark every vector of the passages `rows` dead."""
        for row in rows:
            self.alive[self._segments.pop(row, [])] = False

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The `k` best live passages (rows) and their best-segment cosine, best first."""
        depth = min(len(self.vectors), k * FANOUT + self.dead)
        if depth == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        faiss_for_query()
        scores, segments = self._index.search(query.reshape(1, -1).astype(np.float32), depth)
        best: dict[int, float] = {}
        for segment, score in zip(segments[0].tolist(), scores[0].tolist(), strict=True):
            if segment < 0 or not self.alive[segment]:
                continue
            owner = int(self.owners[segment])
            if owner not in best:  # results come best first: the first segment is the passage's best
                best[owner] = score
                if len(best) == k:
                    break
        return np.fromiter(best.keys(), dtype=np.int64), np.fromiter(best.values(), dtype=np.float32)

    def similarity(self, query: np.ndarray, rows) -> np.ndarray:
        """Exact best-segment cosine of `query` to each passage in `rows` (one product for all of them);
        NaN for a passage without segments here (an index of translations, and an untranslated passage)."""
        cosines = np.full(len(rows), np.nan, dtype=np.float32)
        groups = [self._segments.get(row, ()) for row in rows]
        present = [i for i, group in enumerate(groups) if group]
        if not present:
            return cosines
        counts = np.fromiter((len(groups[i]) for i in present), dtype=np.int64, count=len(present))
        segments = np.fromiter(chain.from_iterable(groups[i] for i in present), dtype=np.int64,
                               count=int(counts.sum()))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        cosines[present] = np.maximum.reduceat(self.vectors[segments] @ query, starts)
        return cosines

    def nearest_segment(self, row: int, query: np.ndarray) -> np.ndarray | None:
        """The vector of passage `row`'s segment nearest `query`; None if it has no segments here."""
        group = self._segments.get(row)
        if not group:
            return None
        vectors = self.vectors[group]
        return vectors[int(np.argmax(vectors @ query))]

    def live(self) -> tuple[np.ndarray, np.ndarray]:
        """(vectors, owners) of the live segments, for building a compacted index."""
        return self.vectors[self.alive], self.owners[self.alive]

    def save(self, directory: Path) -> None:
        np.save(directory / "vectors.npy", self.vectors)
        np.save(directory / "owners.npy", self.owners)
        if self.kind == "hnsw":  # a flat index is rebuilt from the vectors faster than it is read
            faiss.write_index(self._index, str(directory / "hnsw.faiss"))

    @classmethod
    def load(cls, directory: Path, hnsw_threshold: int) -> DenseIndex:
        vectors, owners = np.load(directory / "vectors.npy"), np.load(directory / "owners.npy")
        stored = directory / "hnsw.faiss"
        if len(vectors) >= hnsw_threshold and stored.exists():
            index = cast(faiss.IndexHNSWFlat, faiss.read_index(str(stored)))  # saved only for kind 'hnsw'
            index.hnsw.efSearch = HNSW_EF_SEARCH
            return cls(vectors, owners, hnsw_threshold, _index=index)
        return cls(vectors, owners, hnsw_threshold)
