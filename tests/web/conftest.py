"""Fixtures of the web tests."""
from __future__ import annotations

import threading

import pytest


@pytest.fixture
def live_server(app, search_service):
    """The app served over real HTTP on 127.0.0.1 (a free port), for the browser tests."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
