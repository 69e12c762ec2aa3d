"""Append-only, hash-chained audit log. Every area writes to it with `record()`."""
from .chain import verify
from .models import AuditEvent, AuditImmutableError
from .recorder import identifier_hash, record

__all__ = ["AuditEvent", "AuditImmutableError", "identifier_hash", "record", "verify"]
