"""A real SMTP server for the mail tests (aiosmtpd on 127.0.0.1), and helpers to read what it received."""
from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from .servers import free_port


@dataclass
class Received:
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()

    @property
    def lang(self) -> str:
        return str(self.message["Content-Language"])


@dataclass
class Inbox:
    url: str
    messages: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        received = Received(list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        with self.arrived:
            self.messages.append(received)
            self.arrived.notify_all()
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.to]

    def wait_for(self, count: int, timeout: float = 60.0) -> bool:
        """True once `count` messages have arrived (the background sender test)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)


@contextlib.contextmanager
def running_smtp_server():
    port = free_port()
    inbox = Inbox(url=f"smtp://127.0.0.1:{port}")
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
