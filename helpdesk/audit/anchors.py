"""Anchors: the chain's head, signed and kept outside the database, so that deleting or recomputing
the newest events shows.

Every HELPDESK_AUDIT_ANCHOR_EVERY events (and on `helpdesk audit anchor`) one line is appended to
HELPDESK_AUDIT_ANCHOR_FILE: `seq <TAB> time <TAB> head hash <TAB> HMAC of the three`. The same anchor
goes to the external witnesses configured (HELPDESK_AUDIT_WITNESS_CMD gets it as JSON on stdin,
HELPDESK_AUDIT_WITNESS_URL as a JSON POST); a witness that fails is logged and never fails the request
that crossed the mark.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import shlex
import subprocess
import threading
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, scoped_session

from .chain import KEYED_ACTION, Expected
from .models import AuditEvent

log = logging.getLogger(__name__)
WITNESS_TIMEOUT = 10  # seconds
# A session, or the app's scoped session (db.session) that stands for the current one.
AnySession = Session | scoped_session
APPENDED = "audit_appended"  # Session.info key: (seq, hash) of the events this transaction appended


@dataclass(frozen=True)
class Anchor:
    seq: int
    at: str
    head: str
    mac: str

    def line(self) -> str:
        return f"{self.seq}\t{self.at}\t{self.head}\t{self.mac}\n"


def audit_key() -> bytes:
    return current_app.config["HELPDESK_AUDIT_KEY"].encode()


def _mac(key: bytes, seq: int, at: str, head: str) -> str:
    return hmac.new(key, f"audit-anchor:{seq}:{at}:{head}".encode(), hashlib.sha256).hexdigest()


def _anchor_file() -> Path:
    return Path(current_app.config["HELPDESK_AUDIT_ANCHOR_FILE"])


def signed(seq: int, head: str) -> Anchor:
    at = datetime.now(UTC).isoformat(timespec="seconds")
    return Anchor(seq, at, head, _mac(audit_key(), seq, at, head))


def append(anchor: Anchor) -> None:
    """Add one line to the anchor file (created mode 600). One write of a short line with O_APPEND:
    lines from concurrent workers never interleave."""
    path = _anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, anchor.line().encode())
    finally:
        os.close(fd)


def expected(session: AnySession | None = None) -> Expected:
    """The key, the keying event and every anchored head, for `chain.verify`."""
    from helpdesk.extensions import db

    session = session or db.session
    key = audit_key()
    keyed_from = session.scalar(select(func.min(AuditEvent.seq)).where(AuditEvent.action == KEYED_ACTION))
    heads, bad = {}, []
    path = _anchor_file()
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []
    for number, line in enumerate(lines, start=1):
        parts = line.split("\t")
        if len(parts) == 4 and parts[0].isdigit() and hmac.compare_digest(_mac(key, int(parts[0]), parts[1],
                                                                                parts[2]), parts[3]):
            heads[int(parts[0])] = (parts[2], parts[1])
        else:
            bad.append(number)
    return Expected(key=key, keyed_from=keyed_from, heads=heads, bad_anchors=tuple(bad))


def anchor_head(session: AnySession) -> Anchor | None:
    """Anchor the committed head now (None for an empty log); the caller runs the witnesses."""
    head = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    if head is None:
        return None
    anchor = signed(head.seq, head.hash)
    append(anchor)
    return anchor


def witness(anchor: Anchor, command: str, url: str) -> list[str]:
    """Hand `anchor` to the configured witnesses; the failures, described (also logged)."""
    payload = json.dumps(asdict(anchor)).encode()
    failures = []
    if command:
        try:
            # The operator's configured witness command, split without a shell.
            subprocess.run(shlex.split(command), input=payload, timeout=WITNESS_TIMEOUT, check=True,  # noqa: S603
                           capture_output=True)
        except (OSError, subprocess.SubprocessError) as exc:
            failures.append(f"witness command failed: {exc}")
    if url:
        request = urllib.request.Request(url, data=payload, method="POST",  # noqa: S310 the configured URL
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=WITNESS_TIMEOUT) as response:  # noqa: S310 configured URL
                response.read()
        except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
            failures.append(f"witness URL failed: {exc}")
    for failure in failures:
        log.warning("audit anchor at seq %s: %s", anchor.seq, failure)
    return failures


def _witness_in_background(anchor: Anchor) -> None:
    config = current_app.config
    command, url = config["HELPDESK_AUDIT_WITNESS_CMD"], config["HELPDESK_AUDIT_WITNESS_URL"]
    if command or url:
        threading.Thread(target=witness, args=(anchor, command, url), name="audit-witness", daemon=True).start()


@event.listens_for(Session, "after_commit")
def _anchor_after_commit(session: Session) -> None:
    """Anchor the head when a committed transaction appended an event whose seq is a multiple of N.

    After the commit, not at append time: a rolled-back event must never be anchored.
    """
    appended = session.info.pop(APPENDED, None)
    if not appended or not has_app_context():
        return
    every = current_app.config["HELPDESK_AUDIT_ANCHOR_EVERY"]
    if every <= 0 or not any(seq % every == 0 for seq, _ in appended):
        return
    seq, head = appended[-1]
    try:
        anchor = signed(seq, head)
        append(anchor)
    except OSError:
        log.exception("audit anchor at seq %s could not be written", seq)
        return
    _witness_in_background(anchor)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(APPENDED, None)
