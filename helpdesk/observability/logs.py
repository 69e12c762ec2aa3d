"""Structured logs: one JSON object a line, each record carrying the id of the request it belongs to.

The request id comes from the client's or load balancer's `X-Request-ID` when it is sane (short, plain
characters: it ends up in log lines and headers), else it is generated; the web layer echoes it back.
"""
from __future__ import annotations

import logging
import re
import sys
import uuid

from flask import g, has_request_context
from pythonjsonlogger.json import JsonFormatter

_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HANDLER_NAME = "helpdesk-json"  # marks the handler configure() added, so it is added once
_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


def request_id_from(incoming: str | None) -> str:
    """The incoming id if it is safe to log and echo, else a fresh one."""
    if incoming and _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (None outside a request) to every record passing the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(_FIELDS, rename_fields={"levelname": "level", "asctime": "time"}))
    handler.addFilter(RequestIdFilter())
    return handler


def configure(level: str = "INFO") -> None:
    """JSON lines on stderr for the `helpdesk` loggers (once per process, whatever the number of apps)."""
    logger = logging.getLogger("helpdesk")
    if any(h.name == HANDLER_NAME for h in logger.handlers):
        return
    handler = json_handler()
    handler.name = HANDLER_NAME
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
