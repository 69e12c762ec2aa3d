"""Accounts: users, roles, queue visibility and the guards the other areas use."""
from .access import can_access, emergency_programme_fa, require_queue_access, role_required, visible_queues
from .errors import AccountError
from .models import User
from .roles import ROLES

__all__ = [
    "AccountError", "ROLES", "User", "can_access", "emergency_programme_fa", "require_queue_access",
    "role_required", "visible_queues",
]
