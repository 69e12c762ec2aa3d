"""Who may see which queue, and the view guards built on it.

Visibility rule (the tickets area applies it to every query):
- admin: every queue.
- desk_agent: `desk` and `emergency` (the desk is the first responder for urgent cases).
- ministry_agent: their own queue; `cao` also sees `emergency` (the Cabinet Office coordinates
  the government's research-security response).
- fa_agent: their own queue, plus the `emergency` tickets of their own programme only (a ticket
  whose programme FA equals the agent's queue): see `emergency_programme_fa()`.
- researcher: no queue; only tickets they own (`owner_id`).
- curator, inactive users, anonymous visitors: no tickets at all.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user

from helpdesk.extensions import login_manager

from .roles import ADMIN, ALL_QUEUES, DESK_AGENT, DESK_QUEUE, EMERGENCY_QUEUE, FA_AGENT, MINISTRY_AGENT, RESEARCHER

EMERGENCY_MINISTRY = "cao"


def _usable(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def visible_queues(user) -> frozenset[str]:
    """The queues whose tickets `user` may see in full (see the module docstring)."""
    if not _usable(user):
        return frozenset()
    if user.role == ADMIN:
        return frozenset(ALL_QUEUES)
    if user.role == DESK_AGENT:
        return frozenset({DESK_QUEUE, EMERGENCY_QUEUE})
    if user.role == MINISTRY_AGENT:
        extra = {EMERGENCY_QUEUE} if user.queue == EMERGENCY_MINISTRY else set()
        return frozenset({user.queue, *extra})
    if user.role == FA_AGENT:
        return frozenset({user.queue})
    return frozenset()


def emergency_programme_fa(user) -> str | None:
    """The FA queue whose `emergency` tickets this user also sees (FA agents only), else None."""
    return user.queue if _usable(user) and user.role == FA_AGENT else None


def can_access(user, queue: str, *, owner_id: int | None = None, programme_fa: str | None = None) -> bool:
    """May `user` see an object in `queue` (owned by `owner_id`, emergency of `programme_fa`)?"""
    if not _usable(user):
        return False
    if user.role == RESEARCHER:
        return owner_id is not None and owner_id == user.id
    if queue in visible_queues(user):
        return True
    return queue == EMERGENCY_QUEUE and programme_fa is not None and programme_fa == emergency_programme_fa(user)


def require_queue_access(user, queue: str, *, owner_id: int | None = None,
                         programme_fa: str | None = None) -> None:
    """Abort with 404 unless `can_access(...)`: 404, not 403, so nobody learns that the object exists."""
    if not can_access(user, queue, owner_id=owner_id, programme_fa=programme_fa):
        abort(404)


def wants_json() -> bool:
    """API calls (under /api/ or asking for JSON first) get JSON errors instead of pages and redirects."""
    if request.path.startswith("/api/"):
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def deny_unless_role(*roles: str):
    """None when the current user holds one of `roles`; else the response to send instead.

    Anonymous visitors go to the login page (401 JSON for API calls); others get 403.
    """
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in roles:
        abort(403)  # JSON where JSON is wanted: helpdesk.web.api.errors
    return None


def role_required(*roles: str):
    """View decorator: only logged-in users holding one of `roles` get through."""
    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            return deny_unless_role(*roles) or view(*args, **kwargs)
        return guarded
    return decorator
