"""Configuration from the environment, with embedded defaults that need no setup.

Every setting can be overridden by an environment variable of the same name;
`DATABASE_URL` and `SECRET_KEY` follow the usual conventions, the rest are
prefixed `HELPDESK_`.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from . import paths


def _instance_secret(instance_dir: Path, variable: str, filename: str) -> str:
    """A key from the environment variable `variable`, else one generated once into instance/`filename`.

    Never a constant in the repository: a leaked default SECRET_KEY would let anyone forge sessions,
    a leaked audit key would let anyone recompute the audit chain.
    """
    if os.environ.get(variable):
        return os.environ[variable]
    key_file = instance_dir / filename
    if not key_file.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def instance_secrets(instance_dir: Path) -> dict:
    """The keys kept in the instance folder unless the environment sets them (re-read after a restore)."""
    return {
        "SECRET_KEY": _instance_secret(instance_dir, "SECRET_KEY", "secret_key"),
        # HMAC key of the audit chain: outside the database, so that rows rewritten there fail verification.
        "HELPDESK_AUDIT_KEY": _instance_secret(instance_dir, "HELPDESK_AUDIT_KEY", "audit_key"),
    }


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _emergency_contacts() -> dict[str, str]:
    """HELPDESK_EMERGENCY_CONTACT_<QUEUE>=address (queue id upper-cased, `-` as `_`): overrides routing/queues.yaml."""
    prefix = "HELPDESK_EMERGENCY_CONTACT_"
    return {name[len(prefix):].lower().replace("_", "-"): value.strip()
            for name, value in os.environ.items() if name.startswith(prefix) and value.strip()}


def instance_dir() -> Path:
    return Path(os.environ.get("HELPDESK_INSTANCE_DIR", paths.DEFAULT_INSTANCE_DIR)).resolve()


def default_database_url(inst: Path) -> str:
    """The SQLite file used when DATABASE_URL is not set."""
    return f"sqlite:///{inst / 'helpdesk.sqlite3'}"


def from_environment() -> dict:
    inst = instance_dir()
    session_hours = int(os.environ.get("HELPDESK_SESSION_MAX_HOURS", "12"))
    return {
        **instance_secrets(inst),
        # Append-only file of signed chain heads (truncation shows as a head behind the last anchor).
        "HELPDESK_AUDIT_ANCHOR_FILE": Path(os.environ.get("HELPDESK_AUDIT_ANCHOR_FILE", inst / "audit-anchors.log")),
        "HELPDESK_AUDIT_ANCHOR_EVERY": int(os.environ.get("HELPDESK_AUDIT_ANCHOR_EVERY", "100")),
        # External witnesses of each anchored head: a command (gets the anchor as JSON on stdin) and/or a URL
        # (gets it POSTed as JSON). Empty: none.
        "HELPDESK_AUDIT_WITNESS_CMD": os.environ.get("HELPDESK_AUDIT_WITNESS_CMD", ""),
        "HELPDESK_AUDIT_WITNESS_URL": os.environ.get("HELPDESK_AUDIT_WITNESS_URL", ""),
        # Sessions end after this long without a request (staff roles / researchers) and this long after login.
        "HELPDESK_SESSION_IDLE_MINUTES": int(os.environ.get("HELPDESK_SESSION_IDLE_MINUTES", "30")),
        "HELPDESK_RESEARCHER_IDLE_MINUTES": int(os.environ.get("HELPDESK_RESEARCHER_IDLE_MINUTES", "120")),
        "HELPDESK_SESSION_MAX_HOURS": session_hours,
        # How long an e-mail verification link stays valid.
        "HELPDESK_VERIFY_LINK_HOURS": int(os.environ.get("HELPDESK_VERIFY_LINK_HOURS", "48")),
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
        # Flask refuses a session cookie signed longer ago than this (its default is 31 days).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=session_hours),
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
        # A moving window: a fixed one lets twice the limit through across a window's edge.
        "RATELIMIT_STRATEGY": "moving-window",
        # Mail: SMTP server (unset: messages go to instance/outbox/*.eml and the log), sender address,
        # the background sender thread, and the site address the links in mails point to.
        "HELPDESK_SMTP_URL": os.environ.get("HELPDESK_SMTP_URL") or None,
        "HELPDESK_MAIL_FROM": os.environ.get("HELPDESK_MAIL_FROM", "研究セキュリティ相談窓口 <helpdesk@example.jp>"),
        "HELPDESK_MAIL_SENDER": _bool("HELPDESK_MAIL_SENDER", True),
        "HELPDESK_EMERGENCY_CONTACTS": _emergency_contacts(),
        # Time zone dates are shown in (IANA name), with the zone named.
        "HELPDESK_TIMEZONE": os.environ.get("HELPDESK_TIMEZONE", "Asia/Tokyo"),
        "HELPDESK_BASE_URL": os.environ.get("HELPDESK_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
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
        # The longest wait an ask is admitted with (the time it spent in the worker already + asks ahead x recent
        # service time); 0: none. 150 ms: p99 <= 400 ms at 16 clients on 2 cores (answering/admission.py says why).
        "HELPDESK_ASK_WAIT_BUDGET_MS": int(os.environ.get("HELPDESK_ASK_WAIT_BUDGET_MS", "150")),
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
