"""Which tickets a user may see. Every ticket list, count and lookup goes through here.

Staff see their visible queues (helpdesk.accounts.access); researchers see only tickets they own.
"""
from __future__ import annotations

from flask import abort
from sqlalchemy import and_, case, false, func, or_, select

from helpdesk.accounts import can_access, emergency_programme_fa, require_queue_access, visible_queues
from helpdesk.accounts.roles import EMERGENCY_QUEUE, RESEARCHER
from helpdesk.extensions import db

from .models import STATUSES, Ticket
from .service import plausible_ref

# Urgent (emergency) tickets come first everywhere, then the most recent.
ORDER = (case((Ticket.priority == "urgent", 0), else_=1), Ticket.created_at.desc(), Ticket.id.desc())


def staff_scope(user):
    """SQL condition: the tickets in `user`'s queues (the recipe in helpdesk.accounts.access)."""
    conditions = []
    queues = visible_queues(user)
    if queues:
        conditions.append(Ticket.queue.in_(sorted(queues)))
    programme_fa = emergency_programme_fa(user)
    if programme_fa:
        conditions.append(and_(Ticket.queue == EMERGENCY_QUEUE, Ticket.programme_fa == programme_fa))
    return or_(*conditions) if conditions else false()


def scope_for(user):
    """Researchers: their own tickets; everyone else: their queues (nothing for curators and visitors)."""
    if user.is_authenticated and user.role == RESEARCHER and user.is_active:
        return Ticket.owner_id == user.id
    return staff_scope(user)


def listed(scope, *, status: str | None = None, queue: str | None = None):
    stmt = select(Ticket).where(scope)
    if status:
        stmt = stmt.where(Ticket.status == status)
    if queue:
        stmt = stmt.where(Ticket.queue == queue)
    return db.session.scalars(stmt.order_by(*ORDER)).all()


def status_counts(scope, *, queue: str | None = None) -> dict[str, int]:
    stmt = select(Ticket.status, func.count()).where(scope).group_by(Ticket.status)
    if queue:
        stmt = stmt.where(Ticket.queue == queue)
    counts = dict(db.session.execute(stmt).all())
    return {status: counts.get(status, 0) for status in STATUSES}


def may_see(user, ticket: Ticket) -> bool:
    return can_access(user, ticket.queue, owner_id=ticket.owner_id, programme_fa=ticket.programme_fa)


def get_or_404(ref: str, user) -> Ticket:
    """The ticket `ref` if `user` may see it; 404 otherwise, the same as for a ticket that does not exist."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.ref == ref)) if plausible_ref(ref) else None
    if ticket is None:
        abort(404)
    require_queue_access(user, ticket.queue, owner_id=ticket.owner_id, programme_fa=ticket.programme_fa)
    return ticket
