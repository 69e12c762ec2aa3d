"""A backup folder: the database copy, the instance files that cannot be rebuilt, and a manifest that lets a restore check
itself (migration revision, ticket count, audit head)."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import func, make_url, select

from helpdesk.audit import AuditEvent, verify
from helpdesk.config import instance_secrets
from helpdesk.extensions import db
from helpdesk.tickets.models import Ticket

from . import engines

MANIFEST = "manifest.json"
INSTANCE = "instance"  # the instance folder's files that cannot be rebuilt (keys, logs kept outside the database)
FORMAT = 1
# Instance files every node rebuilds by itself: never worth a backup.
REBUILT = frozenset({"index", "embeddings.sqlite3", "routing_embeddings.sqlite3"})


class BackupError(RuntimeError):
    """A backup or restore cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    engine: str
    revision: str
    tickets: int
    audit_events: int
    audit_head: str
    audit_ok: bool
    secret_key: str  # "file" (in the backup) or "environment" (SECRET_KEY is set: keep it elsewhere)


def _summary(app: Flask) -> Summary:
    with app.app_context():
        with db.engine.connect() as conn:
            revision = ",".join(sorted(MigrationContext.configure(conn).get_current_heads()))
        report = verify(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)
                                           .execution_options(yield_per=1000)))
        tickets = db.session.scalar(select(func.count()).select_from(Ticket)) or 0
        engine = db.engine.dialect.name
        db.session.remove()
    return Summary(engine, revision, tickets, report.count, report.head, report.ok,
                   "environment" if os.environ.get("SECRET_KEY") else "file")


def _instance_files(app: Flask, url) -> list[Path]:
    """Every file in the instance folder but the rebuildable ones and the database (copied on its own)."""
    database = Path(url.database).resolve() if url.get_backend_name() == "sqlite" and url.database else None
    skipped = set(REBUILT)
    if database is not None:
        skipped |= {database.name + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    folder = Path(app.instance_path)
    return [p for p in sorted(folder.iterdir()) if p.is_file() and p.name not in skipped] if folder.is_dir() else []


def _copy_private(source: Path, target: Path) -> None:
    """Copy a file readable by its owner only (keys)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(source.read_bytes())
    target.chmod(0o600)


def _url(app: Flask):
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"])


def backup(app: Flask, folder: Path) -> Summary:
    """Write a backup of `app`'s database and secret key into `folder` (new or empty)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # it holds the signing key and every stored case
    summary = _summary(app)
    url = _url(app)
    try:
        name = engines.file_name(url)
        engines.dump(url, folder / name)
    except engines.EngineError as exc:
        raise BackupError(str(exc)) from None
    kept = _instance_files(app, url)
    (folder / INSTANCE).mkdir(mode=0o700)
    for source in kept:
        _copy_private(source, folder / INSTANCE / source.name)
    manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database_file": name, "instance_files": sorted(p.name for p in kept), **asdict(summary)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return summary


def restore(app: Flask, folder: Path) -> Summary:
    """Load the backup in `folder` into `app`'s database (replacing its tables) and instance folder, then
    check it: the audit chain must verify and the ticket count and audit head must match the manifest."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} holds no readable {MANIFEST}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    url = _url(app)
    if engines.file_name(url) != manifest["database_file"]:
        raise BackupError(f"this backup is of a {manifest['engine']} database; DATABASE_URL names "
                          f"{url.get_backend_name()}")
    with app.app_context():
        db.engine.dispose()  # no pooled connection may hold the old tables open
    try:
        engines.load(url, folder / manifest["database_file"])
    except engines.EngineError as exc:
        raise BackupError(str(exc)) from None
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    for name in manifest.get("instance_files", []):
        _copy_private(folder / INSTANCE / name, Path(app.instance_path) / name)
    # The running app read its keys before the backup's replaced them: verify with the restored ones.
    app.config.update(instance_secrets(Path(app.instance_path)))
    summary = _summary(app)
    expected = (manifest["tickets"], manifest["audit_events"], manifest["audit_head"])
    if not summary.audit_ok or (summary.tickets, summary.audit_events, summary.audit_head) != expected:
        raise BackupError(f"restored database does not match the backup: tickets {summary.tickets} "
                          f"(expected {expected[0]}), audit events {summary.audit_events} (expected {expected[1]}), "
                          f"chain {'intact' if summary.audit_ok else 'BROKEN'}")
    return summary
