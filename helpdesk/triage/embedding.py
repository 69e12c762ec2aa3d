"""Question embeddings for the neighbour vote, in the same vector space as the search area's queries.

The chat path passes the query vector the search area already computed, so examples must be
embedded by the same embedder (config `HELPDESK_EMBEDDER`); vectors are cached on disk by
(model, content hash), so a restart or an edited examples.yaml re-embeds only new questions.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from flask import current_app

from ..search import get_embedder
from ..search.embed_cache import EmbeddingCache
from ..search.embedders import Embedder


@cache
def _cache(path: Path) -> EmbeddingCache:
    return EmbeddingCache(path)


def current_embedder() -> Embedder:
    """The search area's embedder: one model in memory per process, shared with retrieval."""
    return get_embedder(current_app.config["HELPDESK_EMBEDDER"])


def embed_questions(texts: list[str]) -> np.ndarray:
    """Normalised query-role vectors (n, dim) for questions, cached on disk."""
    embedder = current_embedder()
    cache = _cache(Path(current_app.instance_path) / "routing_embeddings.sqlite3")
    return cache.embed(embedder.model_id, embedder.dim, texts, embedder.embed_queries)
