"""Readiness: whether this process can answer questions now.

Ready means: the database answers and is at the migration head this code expects, the search index is
loaded and follows the database's index version (published desk FAQ applied), and the models are warm
(`helpdesk.warmup.warm_up_all` finished). Each check gives "ok" or the reason it is not; the check
never loads anything itself, so a probe cannot make a cold process pay for warming.
"""
from __future__ import annotations

from functools import lru_cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from .extensions import db

# The errors that mean "the database cannot be reached now" (refused or dropped connection, server
# shutting down, pool exhausted), as opposed to a bug such as a constraint violation.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)
WARMED = "helpdesk.warmed"
OK = "ok"


def mark_warmed(app: Flask) -> None:
    app.extensions[WARMED] = True


@lru_cache(maxsize=1)
def _expected_heads() -> frozenset[str]:
    from . import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _database() -> str:
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:  # the driver's error class names the cause; its text may hold the URL
        return f"database unreachable ({type(getattr(exc, 'orig', None) or exc).__name__})"
    if current != _expected_heads():
        return (f"database at migration {', '.join(sorted(current)) or 'none'}, expected "
                f"{', '.join(sorted(_expected_heads()))}: run `helpdesk init-db`")
    return OK


def _index(app: Flask, database_ok: bool) -> str:
    from .curation import index_state, search_sync
    from .search import loaded

    service = loaded(app)
    if service is None:
        return "search index not loaded"
    if not database_ok:
        return "index version unknown (database unreachable)"
    try:
        search_sync.sync(service)  # the hook that normally does this skips probes
        behind = search_sync.applied(service)[0] != index_state.current()
    except SQLAlchemyError as exc:
        db.session.rollback()
        return f"index version unknown ({type(exc).__name__})"
    return "search index behind the database's index version" if behind else OK


def checks(app: Flask) -> dict[str, str]:
    """{"database", "index", "models"} → "ok" or why not; call inside an app context."""
    database = _database()
    return {
        "database": database,
        "index": _index(app, database == OK),
        "models": OK if app.extensions.get(WARMED) else "models not warmed",
    }
