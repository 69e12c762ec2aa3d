"""The process's Prometheus metrics.

Under gunicorn, `PROMETHEUS_MULTIPROC_DIR` (set up by gunicorn.conf.py before the workers fork) makes
prometheus_client keep every worker's values in memory-mapped files there, and `/metrics` adds them up,
whichever worker answers the scrape. Without it (tests, `flask run`) the values live in this process.
Counts that the database holds (tickets by queue, the index version) are read at scrape time instead.
"""
from __future__ import annotations

import os
import time

from flask import has_request_context, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import REGISTRY

# prometheus_client chooses its storage when it is imported (just above), so the mode is fixed here too.
_MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
# Latency buckets around the ~25 ms of a query embedding up to the 503 of an overloaded worker.
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.4, 0.6, 1.0, 2.5, 5.0, 10.0)
_STAGE_SECONDS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 1.0)

REQUESTS = Counter("helpdesk_http_requests", "HTTP requests answered", ["endpoint", "method", "status"])
REQUEST_SECONDS = Histogram("helpdesk_http_request_duration_seconds", "Time to answer an HTTP request",
                            ["endpoint"], buckets=_SECONDS)
ASK_STAGE_SECONDS = Histogram("helpdesk_ask_stage_duration_seconds",
                              "Time of one stage of answering a question (embedding, search, triage, composition)",
                              ["stage"], buckets=_STAGE_SECONDS)
ASK_CACHE = Counter("helpdesk_ask_cache_lookups", "Answer-cache lookups", ["result"])
ASKS_REJECTED = Counter("helpdesk_asks_rejected", "Asks refused with 503: the worker was full or over its wait budget")
_STARTED = "helpdesk.request_started"  # key in the WSGI environ


class StageClock:
    """Times consecutive stages of answering a question: `lap(stage)` records the time since the last lap."""

    def __init__(self) -> None:
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        ASK_STAGE_SECONDS.labels(stage).observe(now - self._last)
        self._last = now


def start_request() -> None:
    """Note when the current request reached the app (the web layer's first hook), in the request's own
    environ: an app context, and `g`, may outlive several requests."""
    request.environ[_STARTED] = time.perf_counter()


def request_age() -> float | None:
    """Seconds since the current request reached the app; None outside a request."""
    started = request.environ.get(_STARTED) if has_request_context() else None
    return None if started is None else time.perf_counter() - started


def exposition(extra_collectors=()) -> bytes:
    """The text format of every worker's metrics plus `extra_collectors` (read now, in this process)."""
    if _MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Forward(REGISTRY))
    for collector in extra_collectors:
        registry.register(collector)
    return generate_latest(registry)


class _Forward:
    """The process's own registry inside a scrape-local one (so extra collectors never join it)."""

    def __init__(self, registry) -> None:
        self._registry = registry

    def collect(self):
        return self._registry.collect()
