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


def from_environment() -> dict:
    inst = instance_dir()
    return {
        "SECRET_KEY": _secret_key(inst),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{inst / 'helpdesk.sqlite3'}"
        ),
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
        # memory:// counts per process; redis://host:port/db shares the limits between workers and nodes.
        "RATELIMIT_STORAGE_URI": os.environ.get("HELPDESK_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("HELPDESK_RATELIMIT_ENABLED", True),
        # While the limit storage (Redis) is unreachable, requests go through unlimited (fail open, logged)
        # rather than fail: a login is not refused because the counter is away.
        "RATELIMIT_SWALLOW_ERRORS": _bool("HELPDESK_RATELIMIT_FAIL_OPEN", True),
        "WTF_CSRF_TIME_LIMIT": None,
        # Connection pool of a server database (PostgreSQL); SQLite has no use for it.
        "HELPDESK_DB_POOL_SIZE": int(os.environ.get("HELPDESK_DB_POOL_SIZE", "5")),
        "HELPDESK_DB_MAX_OVERFLOW": int(os.environ.get("HELPDESK_DB_MAX_OVERFLOW", "5")),
        "HELPDESK_DB_POOL_RECYCLE": int(os.environ.get("HELPDESK_DB_POOL_RECYCLE", "1800")),
        "HELPDESK_DB_CONNECT_TIMEOUT": int(os.environ.get("HELPDESK_DB_CONNECT_TIMEOUT", "5")),
        # Seconds a client is told to wait (Retry-After) while the database is unreachable.
        "HELPDESK_RETRY_AFTER": int(os.environ.get("HELPDESK_RETRY_AFTER", "5")),
        # Retention in days (0: keep forever), applied by `helpdesk purge`.
        "HELPDESK_RETENTION_CONVERSATIONS_DAYS": int(os.environ.get("HELPDESK_RETENTION_CONVERSATIONS_DAYS", "180")),
        "HELPDESK_RETENTION_CLOSED_TICKETS_DAYS": int(
            os.environ.get("HELPDESK_RETENTION_CLOSED_TICKETS_DAYS", "1095")),
        "JSON_AS_ASCII": False,
        # JSON lines on stderr for the helpdesk loggers (gunicorn.conf.py turns this on for the server).
        "HELPDESK_JSON_LOGS": _bool("HELPDESK_JSON_LOGS", False),
        "HELPDESK_LOG_LEVEL": os.environ.get("HELPDESK_LOG_LEVEL", "info").upper(),
        # Asks one worker answers at once; beyond that they get a fast 503 with Retry-After instead of a queue.
        "HELPDESK_MAX_INFLIGHT_ASKS": int(os.environ.get("HELPDESK_MAX_INFLIGHT_ASKS", "6")),
        "HELPDESK_OVERLOAD_RETRY_AFTER": int(os.environ.get("HELPDESK_OVERLOAD_RETRY_AFTER", "1")),
        # Answers kept per process for repeated identical questions (0: no cache).
        "HELPDESK_ANSWER_CACHE_SIZE": int(os.environ.get("HELPDESK_ANSWER_CACHE_SIZE", "2048")),
    }


def engine_options(url: str, cfg) -> dict:
    """SQLAlchemy engine options for `url`: a checked, recycled, bounded pool for server databases.

    pool_pre_ping replaces a connection the server dropped (restart, failover) instead of failing the
    request that draws it; pool_recycle retires connections before a proxy's idle timeout does. SQLite
    opens a file per connection and keeps SQLAlchemy's own pool.
    """
    if url.startswith("sqlite"):
        return {}
    options = {
        "pool_pre_ping": True,
        "pool_recycle": cfg["HELPDESK_DB_POOL_RECYCLE"],
        "pool_size": cfg["HELPDESK_DB_POOL_SIZE"],
        "max_overflow": cfg["HELPDESK_DB_MAX_OVERFLOW"],
        "pool_timeout": cfg["HELPDESK_DB_CONNECT_TIMEOUT"],
    }
    if url.startswith("postgresql"):
        # An unreachable server fails a request within seconds (a 503) instead of hanging it.
        options["connect_args"] = {"connect_timeout": cfg["HELPDESK_DB_CONNECT_TIMEOUT"]}
    return options


def ratelimit_storage_options(uri: str) -> dict:
    """Short socket timeouts for a networked limit storage, so that a Redis outage costs a request
    a second at most (then the limit fails open, see RATELIMIT_SWALLOW_ERRORS)."""
    if uri.startswith(("redis://", "rediss://", "redis+")):
        return {"socket_connect_timeout": 1, "socket_timeout": 1}
    return {}
