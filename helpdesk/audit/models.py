"""The append-only `AuditEvent` table and the ORM guards that keep it append-only."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from helpdesk.extensions import db


class AuditImmutableError(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    # seq is assigned by `record()` as last seq + 1; the primary key and the unique prev_hash
    # make a concurrent writer that slipped past the lock fail instead of forking the chain.
    seq = db.Column(db.Integer, primary_key=True, autoincrement=False)
    at = db.Column(db.DateTime, nullable=False, index=True)
    actor_id = db.Column(db.Integer, index=True)  # no foreign key: the log outlives any user row
    actor_role = db.Column(db.String(20))
    action = db.Column(db.String(64), nullable=False, index=True)
    object_type = db.Column(db.String(40))
    object_id = db.Column(db.String(64))
    details = db.Column(db.JSON, nullable=False, default=dict)
    prev_hash = db.Column(db.String(64), nullable=False, unique=True)
    hash = db.Column(db.String(64), nullable=False, unique=True)

    __table_args__ = (db.Index("ix_audit_event_object", "object_type", "object_id"),)


def _refuse(*_args) -> None:
    raise AuditImmutableError("audit events are append-only: they cannot be updated or deleted")


event.listen(AuditEvent, "before_update", _refuse)
event.listen(AuditEvent, "before_delete", _refuse)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    """Also refuse `update(AuditEvent)` / `delete(AuditEvent)` statements run through a session."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_ is AuditEvent:
            _refuse()
