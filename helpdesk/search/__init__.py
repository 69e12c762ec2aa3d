"""Retrieval over the corpus: BM25 + dense embeddings fused, with a persisted, updatable index.

`get_search()` returns the process's `SearchService` for the app's (corpus dir, index dir,
embedder): created once and shared by every app instance in the process, so that tests creating
many apps, or several apps in one worker, neither reload the model nor rebuild the index.
Entry points that serve requests call `warm_up(app)` at start so no request pays for loading.
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from flask import Flask, current_app

from .embed_cache import EmbeddingCache
from .embedders import Embedder, EmbedderError, create_embedder
from .glossary import Glossary, GlossaryError
from .limits import K_MAX, K_MIN, QueryError, check_k, check_query
from .service import MODES, Hit, SearchService
from .threads import quiet_blas

__all__ = [
    "K_MAX", "K_MIN", "MODES", "EmbedderError", "GLOSSARY_FILE", "Glossary", "GlossaryError", "Hit", "QueryError", "SearchService",
    "Settings", "check_k", "check_query", "get_embedder", "get_search", "loaded", "settings", "warm_up",
]

GLOSSARY_FILE = "glossary.yaml"  # in the corpus dir, next to the sources whose terms it names
_lock = threading.RLock()
_embedders: dict[str, Embedder] = {}
_services: dict[tuple, SearchService] = {}


def get_embedder(spec: str) -> Embedder:
    """One embedder (model in memory) per spec per process."""
    with _lock:
        if spec not in _embedders:
            quiet_blas()  # a process that embeds queries leaves the cores to the model (see .threads)
            _embedders[spec] = create_embedder(spec)
        return _embedders[spec]


class Settings(NamedTuple):
    corpus_dir: Path
    index_dir: Path
    embedder: str
    embed_cache: Path
    hnsw_threshold: int


def settings(app: Flask) -> Settings:
    cfg = app.config
    return _resolved(str(cfg["HELPDESK_CORPUS_DIR"]), str(cfg["HELPDESK_INDEX_DIR"]), cfg["HELPDESK_EMBEDDER"],
                     str(cfg.get("HELPDESK_EMBED_CACHE") or ""), int(cfg["HELPDESK_HNSW_THRESHOLD"]), os.getcwd())


@lru_cache(maxsize=64)  # every ask looks its service up; resolving the paths costs system calls each time
def _resolved(corpus_dir: str, index_dir: str, embedder: str, embed_cache: str, hnsw_threshold: int,
              cwd: str) -> Settings:
    """`cwd`: what relative paths resolve against, so part of the key."""
    index = Path(index_dir).resolve()
    cache = Path(embed_cache or index / "embeddings.sqlite3").resolve()
    return Settings(Path(corpus_dir).resolve(), index, embedder, cache, hnsw_threshold)


def get_search(app: Flask | None = None, progress: bool = False) -> SearchService:
    """The process's search service for `app` (default: the current app), loading or building it once."""
    key = settings(app or current_app)
    with _lock:
        service = _services.get(key)
        if service is None:
            from ..corpus import load_corpus

            service = SearchService.open(
                load_corpus(key.corpus_dir).passages, key.index_dir, get_embedder(key.embedder),
                EmbeddingCache(key.embed_cache), key.hnsw_threshold, progress=progress,
                glossary=Glossary.load(key.corpus_dir / GLOSSARY_FILE),
            )
            _services[key] = service
        return service


def loaded(app: Flask) -> SearchService | None:
    """The search service for `app` if this process has loaded it already (never loads: readiness probes)."""
    with _lock:
        return _services.get(settings(app))


def warm_up(app: Flask) -> SearchService:
    """Load (or build) the index and run one query, so the first request is as fast as the rest."""
    service = get_search(app)
    service.search("研究セキュリティ", k=1)
    return service
