"""Real servers for tests, on 127.0.0.1 and free ports, stopped afterwards: redis-server, and the
helpdesk itself in a process of its own (an app instance as a second worker or node would run it)."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from helpdesk.paths import ROOT

START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(ready, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if ready():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start within {START_SECONDS} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def redis_server():
    """A private, non-persistent redis-server; yields its URL. Missing binary: the test fails (CI
    installs it through scripts/install-servers.sh), except outside CI where it is skipped."""
    import pytest

    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (bash scripts/install-servers.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--protected-mode", "yes"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    try:
        _wait(ready, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


@contextlib.contextmanager
def helpdesk_server(env: dict[str, str]):
    """`python -m helpdesk run` from this checkout with `env` added; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "helpdesk", "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:  # noqa: S310 our http:// server
                return response.status == 200
        except OSError:
            return False

    try:
        _wait(ready, process, "helpdesk server")
        yield base
    finally:
        _stop(process)
