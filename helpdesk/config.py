"""Configuration from the environment, with embedded defaults that need no setup.

Every setting can be overridden by an environment variable of the same name;
`DATABASE_URL` and `SECRET_KEY` follow the usual conventions, the rest are
prefixed `HELPDESK_`.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from . import paths


def _secret_key(instance_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/.

    Never a constant in the repository: a leaked default key would let anyone forge sessions.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_dir / "secret_key"
    if not key_file.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_dir() -> Path:
    return Path(os.environ.get("HELPDESK_INSTANCE_DIR", paths.DEFAULT_INSTANCE_DIR)).resolve()


def default_database_url(inst: Path) -> str:
    """The SQLite file used when DATABASE_URL is not set."""
    return f"sqlite:///{inst / 'helpdesk.sqlite3'}"


def from_environment() -> dict:
    inst = instance_dir()
    return {
        "SECRET_KEY": _secret_key(inst),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_database_url(inst)),
        "HELPDESK_CORPUS_DIR": Path(os.environ.get("HELPDESK_CORPUS_DIR", paths.CORPUS_DIR)),
        "HELPDESK_ROUTING_DIR": Path(os.environ.get("HELPDESK_ROUTING_DIR", paths.ROUTING_DIR)),
        "HELPDESK_INDEX_DIR": Path(os.environ.get("HELPDESK_INDEX_DIR", inst / "index")),
        # "e5" (bundled multilingual-e5-small) or "sentence-transformers:<name-or-path>".
        "HELPDESK_EMBEDDER": os.environ.get("HELPDESK_EMBEDDER", "e5"),
        # Passage-embedding cache (SQLite); unset: embeddings.sqlite3 inside HELPDESK_INDEX_DIR.
        "HELPDESK_EMBED_CACHE": os.environ.get("HELPDESK_EMBED_CACHE"),
        # Corpora of at least this many passages get an HNSW index instead of exact search.
        "HELPDESK_HNSW_THRESHOLD": int(os.environ.get("HELPDESK_HNSW_THRESHOLD", "20000")),
        # Longest question accepted, in characters; longer input gets a clear 400.
        "HELPDESK_MAX_QUESTION_CHARS": int(os.environ.get("HELPDESK_MAX_QUESTION_CHARS", "2000")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("HELPDESK_MAX_CONTENT_LENGTH", str(1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure cookies by default; the local dev server over plain http turns this off.
        "SESSION_COOKIE_SECURE": _bool("HELPDESK_SECURE_COOKIES", True),
        "REMEMBER_COOKIE_SECURE": _bool("HELPDESK_SECURE_COOKIES", True),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "RATELIMIT_STORAGE_URI": os.environ.get("HELPDESK_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("HELPDESK_RATELIMIT_ENABLED", True),
        "WTF_CSRF_TIME_LIMIT": None,
        "JSON_AS_ASCII": False,
    }
