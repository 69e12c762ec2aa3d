"""The append-only `AuditEvent` table and the ORM guards that keep it append-only."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from helpdesk.extensions import Model


class AuditImmutableError(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


class AuditEvent(Model):
    __tablename__ = "audit_event"

    # seq is assigned by `record()` as last seq + 1; the primary key and the unique prev_hash
    # make a concurrent writer that slipped past the lock fail instead of forking the chain.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no foreign key: the log outlives any user row
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)


def _refuse(*_args: object) -> None:
    raise AuditImmutableError("audit events are append-only: they cannot be updated or deleted")


event.listen(AuditEvent, "before_update", _refuse)
event.listen(AuditEvent, "before_delete", _refuse)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    """Also refuse `update(AuditEvent)` / `delete(AuditEvent)` statements run through a session."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_ is AuditEvent:
            _refuse()
