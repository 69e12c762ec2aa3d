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


def _emergency_contacts() -> dict[str, str]:
    """HELPDESK_EMERGENCY_CONTACT_<QUEUE>=address (queue id upper-cased, `-` as `_`): overrides routing/queues.yaml."""
    prefix = "HELPDESK_EMERGENCY_CONTACT_"
    return {name[len(prefix):].lower().replace("_", "-"): value.strip()
            for name, value in os.environ.items() if name.startswith(prefix) and value.strip()}


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
        "RATELIMIT_STORAGE_URI": os.environ.get("HELPDESK_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("HELPDESK_RATELIMIT_ENABLED", True),
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
        "JSON_AS_ASCII": False,
    }
