"""Headless Chromium for the browser tests: where it is, how it is started, and what counts as a page error."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(tempfile.gettempdir())  # kept after the run for a person to look at


def require_chromium() -> None:
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI: run scripts/install-browser.sh")
        pytest.skip(f"{CHROMIUM} not installed (run scripts/install-browser.sh)")


def console_errors(page) -> list[str]:
    """CSP violations ("Refused to execute/apply/load … Content Security Policy") and script errors."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error" and ("Content Security Policy" in message.text or "Refused to" in message.text):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
