"""`make serve`'s gunicorn hooks (gunicorn.conf.py): say when the server really answers.

Gunicorn prints "Listening at" when it has bound the port, but each worker then loads and warms
the model, the index and the answerer (wsgi.py) before it takes a request: about 40 s on a small
machine. The master polls /readyz, which answers 200 only once a worker is warm and its database
reachable, and prints the URL when the first such answer comes back.
"""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

POLL_SECONDS = 1.0
GIVE_UP_SECONDS = 15 * 60


def url_of(bind: str) -> str:
    """The address to open for a gunicorn bind address (`0.0.0.0` listens on every interface)."""
    host, _, port = bind.rpartition(":")
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/"  # noqa: S104 compared, not bound


def wait_until_answering(url: str, say, *, poll: float = POLL_SECONDS, give_up: float = GIVE_UP_SECONDS) -> bool:
    """Poll `url`readyz until it answers 200; then `say` the URL once. False (and said why) on giving up."""
    deadline = time.monotonic() + give_up
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}readyz", timeout=max(poll, 5.0)) as response:  # noqa: S310 http:// from url_of
                if response.status == 200:
                    say(f"ready: open {url} (search index, model and answerer loaded)")
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(poll)
    say(f"no answer from {url}readyz after {give_up:.0f} s: see the worker log above")
    return False


def announce_when_ready(server) -> None:
    """gunicorn `when_ready` hook (runs in the master once the socket is bound).

    The polling runs in a process of its own, never in a thread of the master: the master forks workers
    while it polls, and a worker forked while that thread held an import lock (urllib imports the idna
    codec on first use) would hang on its first request."""
    subprocess.Popen([sys.executable, "-m", "helpdesk.serving", url_of(server.cfg.bind[0])])  # noqa: S603


if __name__ == "__main__":
    wait_until_answering(sys.argv[1], lambda message: print(message, flush=True))
