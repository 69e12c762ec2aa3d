"""Which asks a worker takes on: the rest are refused at once instead of queued.

Answering is CPU-bound (the query embedding), so a queue only turns overload into everyone's latency:
past a point a request waits longer than a retry would. An ask is refused when the worker already
answers `limit` asks, or when it would wait longer than `budget` seconds before its own turn: the time
it has spent in the worker already (`waited`: the hooks before the view, reading the body) plus the asks
ahead of it times the worker's recent service time s (the busy time between two answered asks, which
is what one ask costs the worker however many share it). An ask with none ahead is always taken on (the
worker would idle). So the budget bounds the wait the client sees, and a served ask takes about the
budget plus one service time at most. The one wait this cannot see is a request's wait for a free
thread of the worker: gunicorn.conf.py gives each worker more threads than asks it admits, so that the
requests beyond are refused at once rather than queued for a thread. The web layer turns a refusal
into a 503 with `Retry-After`. Other work that embeds a query on the worker's core (a ticket's triage, a
search) `occupy`s a place among the asks in flight without ever being refused, so that the asks behind it
count it.

The default budget (`HELPDESK_ASK_WAIT_BUDGET_MS`, 150) follows from the 400 ms the served asks' p99
may take at 16 clients on 2 cores. There one worker per core answers an ask every s ≈ 90–140 ms (the
query embedding, about 80 ms on a core, plus the rest of the ask and what the other worker takes of
the core). A budget B admits an ask behind at most ⌊B/s⌋ others, so it waits for them and its own
answer: at most (⌊B/s⌋ + 1)·s, and at the 99th percentile about 2.3 standard deviations of that sum
more, each service time varying by about s/4 (the question's length, the other worker): the 250 ms
budget before gave a p99 of 450 ms with s ≈ 110 ms, two asks ahead: 3·110 + 2.3·27·√3 ≈ 440 ms. With
150 ms, s > 75 ms leaves one ask ahead at most: 2s + 2.3·(s/4)·√2 ≈ 2.8·s, 250–390 ms for s in
90–140 ms. And B ≥ s keeps one ask waiting behind the one in service, so the core never idles between
two answers (a budget below one service time would refuse asks while the worker waits for the next).
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
        """`limit`: asks answered at once (0: no limit); `budget`: the longest wait in seconds an ask is
        admitted with, the time it has waited already included (0: no budget)."""
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

    def expected_wait(self, waited: float = 0.0) -> float:
        """Seconds an ask arriving now, after `waited` seconds in the worker already, will have waited when
        the asks ahead of it are answered."""
        return waited + self._in_flight * (self._service or 0.0)

    @contextmanager
    def slot(self, waited: float = 0.0):
        """Yields True with the ask admitted, or False at once when it is refused. `waited`: the seconds the
        request has spent in the worker before asking."""
        if not self._enter(waited):
            ASKS_REJECTED.inc()
            yield False
            return
        try:
            yield True
        finally:
            self._leave()

    @contextmanager
    def occupy(self):
        """Counts other work that embeds a query on this worker's core (a ticket's triage, a search) as an
        ask in flight, never refused: the asks arriving meanwhile then see it ahead of them, where
        uncounted it made their waits longer than the budget allowed."""
        self._enter(0.0, refusable=False)
        try:
            yield
        finally:
            self._leave()

    def turns_away(self, waited: float = 0.0) -> bool:
        """True, counted as a refusal, when an ask arriving now after `waited` seconds in the worker would be
        refused. Nothing is taken: a request asks this before its costlier work, and `slot` decides again."""
        with self._lock:
            refused = self._refuses(waited)
        if refused:
            ASKS_REJECTED.inc()
        return refused

    def _refuses(self, waited: float) -> bool:
        full = self.limit > 0 and self._in_flight >= self.limit
        return full or (self.budget > 0 and self._in_flight > 0 and self.expected_wait(waited) > self.budget)

    def _enter(self, waited: float, refusable: bool = True) -> bool:
        with self._lock:
            if refusable and self._refuses(waited):
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
