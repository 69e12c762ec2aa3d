"""`record()`: the one function every area calls to write to the audit log."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import sqlite3
from typing import cast

from flask import current_app, has_request_context
from flask_login import current_user
from sqlalchemy import Row, Table, select, text

from helpdesk.accounts.models import utcnow
from helpdesk.extensions import db

from .anchors import APPENDED, AnySession, audit_key
from .chain import GENESIS, KEYED_ACTION, row_hash
from .models import AuditEvent

ACTION = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
# The log is kept for years and exported: personal data stays out of it (ids and hashes only).
PERSONAL_KEYS = frozenset(
    {"email", "name", "display_name", "password", "text", "question", "answer", "body", "message", "identifier"}
)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
POSTGRES_LOCK_KEY = 0x41554449  # any constant shared by all writers of the chain
_TABLE = cast(Table, AuditEvent.__table__)
# The newest event, every column (its hash is checked when it may be a chain begun without the key), and the
# append: built once, run on the session's connection.
_TAIL = select(_TABLE).order_by(_TABLE.c.seq.desc()).limit(1)
_APPEND = _TABLE.insert()
_SQLITE_LOCK = text("UPDATE audit_event SET seq = seq WHERE 0")
_IMPLICIT = getattr(sqlite3, "LEGACY_TRANSACTION_CONTROL", -1)  # sqlite3's `autocommit` (3.12+) by default


def record(action: str, object_type: str | None = None, object_id=None, details: dict | None = None,
           actor=None) -> AuditEvent:
    """Append one event to the audit log inside the caller's transaction, and return it.

    `actor` defaults to the logged-in user of the current request (None outside requests or for
    anonymous visitors). The event is written (after the session's pending changes), not committed: it
    is kept only if the caller commits, so a rolled-back change leaves no event behind.
    """
    if not isinstance(action, str) or len(action) > 64 or not ACTION.match(action):
        raise ValueError(f"audit action must look like 'area.verb' (lowercase), got {action!r}")
    if object_type is not None and (not isinstance(object_type, str) or len(object_type) > 40):
        raise ValueError("audit object_type must be a string of at most 40 characters")
    object_id = None if object_id is None else str(object_id)
    if object_id is not None and len(object_id) > 64:
        raise ValueError("audit object_id must be at most 64 characters")
    details = _checked_details(details or {})
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()

    session = db.session
    session.flush()  # the caller's pending changes first, as their event follows them
    key = audit_key()
    _lock_chain(session)
    last: Row | AuditEvent | None = session.connection().execute(_TAIL).first()
    if last is not None and _begun_unkeyed(session, last, key):
        last = _append(session, key, last, KEYED_ACTION, "audit", None,
                       {"legacy_head": last.hash, "legacy_events": last.seq}, None)
    return _append(session, key, last, action, object_type, object_id, details, actor)


def _append(session: AnySession, key: bytes, last: Row | AuditEvent | None, action, object_type, object_id,
            details, actor) -> AuditEvent:
    """Insert the event after `last` with a plain INSERT (an append needs none of the ORM's unit of work),
    in the caller's transaction; returns it as an AuditEvent outside the session."""
    event = AuditEvent(
        seq=last.seq + 1 if last else 1,
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(actor, "role", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = row_hash(event, key)
    session.connection().execute(_APPEND, {column.key: getattr(event, column.key) for column in _TABLE.columns})
    session.info.setdefault(APPENDED, []).append((event.seq, event.hash))  # anchored after commit
    return event


def _begun_unkeyed(session: AnySession, last: Row | AuditEvent, key: bytes) -> bool:
    """Is this a chain written with plain SHA-256 (before the key), not yet sealed by an `audit.keyed` event?

    Its first keyed append is then that event, whose HMAC covers the last plain hash.
    """
    if row_hash(last, key) == last.hash or row_hash(last, None) != last.hash:
        return False  # keyed already, or tampered with (verification reports it; nothing is sealed)
    first = session.scalars(select(AuditEvent).order_by(AuditEvent.seq).limit(1)).one()
    keyed = session.scalar(select(AuditEvent.seq).where(AuditEvent.action == KEYED_ACTION).limit(1))
    return keyed is None and row_hash(first, None) == first.hash


def identifier_hash(value: str) -> str:
    """A keyed (salted) hash of an identifier such as an attempted login e-mail.

    The same identifier always gives the same hash within one deployment, so repeated attempts
    can be correlated, but the log alone does not reveal it.
    """
    key = current_app.config["SECRET_KEY"].encode()
    normalised = (value or "").strip().lower().encode()
    return hmac.new(key, b"audit-identifier:" + normalised, hashlib.sha256).hexdigest()


def _lock_chain(session: AnySession) -> None:
    """Serialise appends: hold the chain's write lock before reading its tail, until commit."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_LOCK_KEY})
    elif dialect == "sqlite" and not _wrote_already(session):
        # A write that matches no row still takes SQLite's database write lock for this transaction.
        session.execute(_SQLITE_LOCK)


def _wrote_already(session: AnySession) -> bool:
    """Does this SQLite transaction hold the database's write lock already (an ask's exchange was written
    first)? In sqlite3's implicit transactions (Python's default), a transaction is opened only by a
    write, and holds the lock from that write to its end. Outside that mode the lock is taken anyway."""
    connection = session.connection().connection.dbapi_connection
    if not isinstance(connection, sqlite3.Connection):
        return False
    implicit = getattr(connection, "autocommit", _IMPLICIT) == _IMPLICIT and connection.isolation_level is not None
    return implicit and connection.in_transaction


def _checked_details(details: dict) -> dict:
    if not isinstance(details, dict):
        raise ValueError("audit details must be a dict")
    try:
        # The JSON round trip gives exactly what the database will return, so the hash stays valid.
        details = json.loads(json.dumps(details, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"audit details must be JSON-serialisable: {exc}") from None
    _refuse_personal_data(details)
    return details


def _refuse_personal_data(value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.lower() in PERSONAL_KEYS:
                raise ValueError(f"audit details must not hold personal data (key {key!r}); store ids or hashes")
            _refuse_personal_data(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_personal_data(item)
    elif isinstance(value, str) and EMAIL.search(value):
        raise ValueError("audit details must not hold e-mail addresses; store ids or identifier_hash()")
