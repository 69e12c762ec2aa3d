"""Roles, queues and which queue each role may hold."""
from __future__ import annotations

from .errors import AccountError

RESEARCHER = "researcher"
DESK_AGENT = "desk_agent"
FA_AGENT = "fa_agent"
MINISTRY_AGENT = "ministry_agent"
CURATOR = "curator"
ADMIN = "admin"
ROLES = (RESEARCHER, DESK_AGENT, FA_AGENT, MINISTRY_AGENT, CURATOR, ADMIN)
STAFF_ROLES = (DESK_AGENT, FA_AGENT, MINISTRY_AGENT)

DESK_QUEUE = "desk"
EMERGENCY_QUEUE = "emergency"
FA_QUEUES = ("jst", "amed", "nedo", "jsps", "fa-triage")
MINISTRY_QUEUES = ("cao", "mext", "meti")
ASSIGNABLE_QUEUES = (DESK_QUEUE, *FA_QUEUES, *MINISTRY_QUEUES)  # `emergency` is nobody's own queue
ALL_QUEUES = (*ASSIGNABLE_QUEUES, EMERGENCY_QUEUE)

# Queues a role may be assigned to; roles absent here hold no queue.
QUEUES_FOR_ROLE: dict[str, tuple[str, ...]] = {
    DESK_AGENT: (DESK_QUEUE,),
    FA_AGENT: FA_QUEUES,
    MINISTRY_AGENT: MINISTRY_QUEUES,
}


def checked_role_and_queue(role: str, queue: str | None) -> tuple[str, str | None]:
    """The (role, queue) pair to store, or AccountError saying what is wrong.

    A desk agent's queue is always `desk`, so it may be left out.
    """
    role = (role or "").strip()
    queue = (queue or "").strip() or None
    if role not in ROLES:
        raise AccountError("account.error.role", roles=", ".join(ROLES))
    allowed = QUEUES_FOR_ROLE.get(role)
    if allowed is None:
        if queue is not None:
            raise AccountError("account.error.queue_not_allowed", role=role)
        return role, None
    if queue is None and role == DESK_AGENT:
        queue = DESK_QUEUE
    if queue not in allowed:
        raise AccountError("account.error.queue", role=role, queues=", ".join(allowed))
    return role, queue
