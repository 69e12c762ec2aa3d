"""From a triage route (the `Route.to_dict()` shape) to the queue, priority and alerts of a ticket."""
from __future__ import annotations

from dataclasses import dataclass

from helpdesk.accounts.roles import ALL_QUEUES, DESK_QUEUE, EMERGENCY_QUEUE, FA_QUEUES
from helpdesk.triage.classifier import current_routing

FA_FALLBACK = "fa-triage"  # emergencies whose programme could not be told: the FA triage queue is alerted


@dataclass(frozen=True)
class Placement:
    queue: str
    priority: str
    programme_fa: str | None
    notify: tuple[str, ...]


def placement_for(route: dict) -> Placement:
    """Where a submitted question goes. Desk-answerable and out-of-scope ones go to the desk's people."""
    queue = route.get("queue")
    if route.get("kind") == "emergency" or queue == EMERGENCY_QUEUE:
        return emergency_placement(route.get("notify") or ())
    if queue not in ALL_QUEUES:  # `none` (out of scope) and anything unknown
        queue = DESK_QUEUE
    return Placement(queue, "normal", None, ())


def emergency_placement(notify) -> Placement:
    """Emergencies are urgent and alert the programme's FA (or the FA triage queue) and the Cabinet Office."""
    programme_fa = next((q for q in notify if q in FA_QUEUES), FA_FALLBACK)
    alerted = tuple(dict.fromkeys([programme_fa, *(q for q in notify if q in ALL_QUEUES), "cao"]))
    return Placement(EMERGENCY_QUEUE, "urgent", programme_fa, alerted)


def queue_kind(queue: str) -> str | None:
    entry = current_routing().data.queues.get(queue)
    return entry.kind if entry else None


def queue_name(queue: str, lang: str = "ja") -> str:
    entry = current_routing().data.queues.get(queue)
    if entry is None:
        return queue
    return entry.name_en if lang == "en" else entry.name_ja
