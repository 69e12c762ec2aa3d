"""Copying one database to a file and back: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import URL


class EngineError(RuntimeError):
    """The database cannot be copied (unsupported engine, missing tool, tool failed)."""


def file_name(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return "database.sqlite3"
    if url.get_backend_name() == "postgresql":
        return "database.pgdump"
    raise EngineError(f"backups support SQLite and PostgreSQL, not {url.get_backend_name()}")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise EngineError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page-by-page copy that is consistent even while the service writes (sqlite3 online backup)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise EngineError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL tools; the password goes by environment, not argv."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    args = ["--dbname", plain.render_as_string(hide_password=False)]
    # A URL that pins a schema (options=-csearch_path=…) backs up and restores that schema alone.
    options = url.query.get("options", "")
    if isinstance(options, str) and options.startswith("-csearch_path="):
        args += ["--schema", options.removeprefix("-csearch_path=")]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 pg_dump/psql argv, no shell
    if done.returncode != 0:
        raise EngineError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-500:]}")


def dump(url: URL, target: Path) -> None:
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), target)
        return
    file_name(url)
    args, env = _libpq(url)
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args],
         env)


def load(url: URL, source: Path) -> None:
    """Replace the database's contents with the copy (tables of the copy are dropped first if present)."""
    if url.get_backend_name() == "sqlite":
        _sqlite_path(url).parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, _sqlite_path(url))
        return
    file_name(url)
    args, env = _libpq(url)
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", *args, str(source)], env)
