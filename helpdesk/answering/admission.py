"""Which asks a worker takes on: the rest are refused at once instead of queued.

Answering is CPU-bound (the query embedding), so a queue only turns overload into everyone's latency:
past a point a request waits longer than a retry would. An ask is refused when the worker already
answers `limit` asks, or when the asks ahead of it would make it wait longer than `budget` seconds:
their number times the worker's recent service time (the busy time between two answered asks, which
is what one ask costs the worker however many share it). The web layer turns a refusal into a 503
with `Retry-After`.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

from ..observability.metrics import ASKS_REJECTED

# Weight of the newest sample in the recent service time (about the last 10 asks count).
SMOOTHING = 0.1


class Admission:
    def __init__(self, limit: int, budget: float = 0.0, clock=time.monotonic) -> None:
        """`limit`: asks answered at once (0: no limit); `budget`: the longest expected wait in seconds
        an ask is admitted with (0: no budget)."""
        self.limit = limit
        self.budget = budget
        self._clock = clock
        self._lock = threading.Lock()
        self._in_flight = 0
        self._busy_since = 0.0  # start of the busy time the next answered ask is charged
        self._service: float | None = None  # recent service time, seconds; None before the first ask

    @property
    def service_time(self) -> float | None:
        return self._service

    def expected_wait(self) -> float:
        """Seconds an ask arriving now would wait for the ones ahead of it."""
        return self._in_flight * (self._service or 0.0)

    @contextmanager
    def slot(self):
        """Yields True with the ask admitted, or False at once when it is refused."""
        if not self._enter():
            ASKS_REJECTED.inc()
            yield False
            return
        try:
            yield True
        finally:
            self._leave()

    def _enter(self) -> bool:
        with self._lock:
            if self.limit > 0 and self._in_flight >= self.limit:
                return False
            if self.budget > 0 and self.expected_wait() > self.budget:
                return False
            if self._in_flight == 0:
                self._busy_since = self._clock()  # idle time is no one's service time
            self._in_flight += 1
            return True

    def _leave(self) -> None:
        with self._lock:
            now = self._clock()
            sample, self._busy_since = now - self._busy_since, now
            self._service = sample if self._service is None else self._service + SMOOTHING * (sample - self._service)
            self._in_flight -= 1
