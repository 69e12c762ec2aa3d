"""Fixtures of the web tests: the app served over real HTTP, and headless Chromium for the browser tests."""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


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


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium through Playwright, launched once for the session. Missing: the test fails on CI
    (scripts/install-browser.sh installs it) and is skipped elsewhere."""
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI: run scripts/install-browser.sh")
        pytest.skip(f"{CHROMIUM} not installed (run scripts/install-browser.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """`new_page(**options)`: a Chromium page in a context of its own (Playwright's `new_page` options:
    `locale`, `viewport` …); every page a test opened is closed after it."""
    pages = []

    def open_page(**options):
        pages.append(chromium.new_page(**options))
        return pages[-1]

    yield open_page
    for page in pages:
        page.context.close()


@pytest.fixture(scope="session")
def console_errors():
    """`console_errors(page)`: the list that collects the page's CSP violations ("Refused to execute/apply/load
    … Content Security Policy") and script errors from now on."""
    def collect(page) -> list[str]:
        errors: list[str] = []

        def on_console(message):
            if message.type == "error" and ("Content Security Policy" in message.text or "Refused to" in message.text):
                errors.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return errors

    return collect


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder screenshots go to, kept after the run for a person to look at."""
    return Path(tempfile.gettempdir())
