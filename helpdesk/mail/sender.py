"""The background sender: one daemon thread per serving process drains the outbox after each commit
that queued mail, and every POLL seconds for retries. Requests never wait for a mail server."""
from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from .outbox import ENQUEUED, deliver_due

log = logging.getLogger(__name__)
POLL_SECONDS = 30.0
EXTENSION = "helpdesk_mail_sender"


class Sender:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def notify(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="helpdesk-mail", daemon=True)
                self.thread.start()
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.clear()
            with self.app.app_context():
                try:
                    deliver_due()
                except Exception:  # noqa: BLE001 - a broken round must not end the sender; the next one retries
                    log.exception("mail sender round failed")
            self.wake.wait(POLL_SECONDS)


def init_app(app: Flask) -> None:
    """Start a sender for `app` when it commits queued mail (`HELPDESK_MAIL_SENDER`, on by default)."""
    if app.config.get("HELPDESK_MAIL_SENDER"):
        app.extensions[EXTENSION] = Sender(app)


def start(app: Flask) -> None:
    """Start the sender now (served processes, so mail left from before a restart goes out)."""
    sender = app.extensions.get(EXTENSION)
    if sender is not None:
        sender.notify()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.info.pop(ENQUEUED, False) or not has_app_context():
        return
    sender = current_app.extensions.get(EXTENSION)
    if sender is not None:
        sender.notify()
