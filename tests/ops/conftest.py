"""Fixtures of the deployment and start-up tests: real servers in processes of their own (redis-server, the
helpdesk as a second worker or node would run it) and a TCP relay that can cut a database off."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from helpdesk.paths import ROOT

START_SECONDS = 60


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


@pytest.fixture(scope="session")
def redis_url(free_port):
    """The URL of a private, non-persistent redis-server, one for the session. Missing binary: the test fails
    on CI (scripts/install-servers.sh installs it) and is skipped elsewhere."""
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


@pytest.fixture
def helpdesk_server(free_port):
    """`helpdesk_server(env)`: `python -m helpdesk run` from this checkout with `env` added, in a process of
    its own; its base URL once it answers /healthz. Every server a test started stops after it."""
    processes: list[subprocess.Popen] = []

    def start(env: dict[str, str]) -> str:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "helpdesk", "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload"],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        base = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as response:  # noqa: S310 our http:// server
                    return response.status == 200
            except OSError:
                return False

        _wait(ready, process, "helpdesk server")
        return base

    yield start
    for process in processes:
        _stop(process)


class Relay:
    """A TCP relay on 127.0.0.1 that can be cut and restored: a database outage as the app sees one
    (connections dropped, new ones refused) without stopping the server other tests use. A class, as the
    `tcp_relay` fixture hands it out: its test moves it down and up."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.port = 0
        self.up()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Refuse new connections and cut every open one."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        for sock in [listener, *sockets]:
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by down()
            try:
                server = socket.create_connection(self._upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.close()
                except OSError:
                    pass


@pytest.fixture
def tcp_relay():
    """`tcp_relay((host, port))`: a `Relay` to that server, listening on `.port`, `.down()` and `.up()` as the
    test needs; every relay is cut after the test."""
    relays: list[Relay] = []

    def open_relay(upstream: tuple[str, int]) -> Relay:
        relays.append(Relay(upstream))
        return relays[-1]

    yield open_relay
    for relay in relays:
        relay.down()
