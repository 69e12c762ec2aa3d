"""How many asks one worker answers at once; the rest are refused at once instead of queued.

Answering is CPU-bound (the query embedding), so a queue only turns overload into everyone's latency:
past the limit a request waits longer than a retry would. The web layer turns a refusal into a 503
with `Retry-After`.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

from ..observability.metrics import ASKS_REJECTED


class Admission:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit) if limit > 0 else None

    @contextmanager
    def slot(self):
        """Yields True with a slot held, or False at once when all `limit` are taken (0: unlimited)."""
        if self._slots is None:
            yield True
            return
        if not self._slots.acquire(blocking=False):
            ASKS_REJECTED.inc()
            yield False
            return
        try:
            yield True
        finally:
            self._slots.release()
