"""Whether the database is at the latest migration, and bringing the default one there on first use.

Every `helpdesk` command that reads or writes the database asks first (helpdesk.cli), so that a
command run right after installing works, or says the one command to run, instead of failing on a
missing table.
"""
from __future__ import annotations

import logging
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade

from . import config
from .extensions import db


class SchemaNotCurrent(RuntimeError):
    """The configured (non-default) database is behind the code's migrations."""


def is_current(app: Flask) -> bool:
    """True when the database has every migration applied (one primary-key-sized query)."""
    migrate = app.extensions["migrate"].migrate
    heads = set(ScriptDirectory.from_config(migrate.get_config()).get_heads())
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads


def _is_default_sqlite(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"] == config.default_database_url(Path(app.instance_path))


def ensure_current(app: Flask) -> bool:
    """Migrate the default SQLite database if it is behind (True if it was); for any other database
    raise SchemaNotCurrent: migrating a shared or production database is a step someone takes on purpose."""
    if is_current(app):
        return False
    if not _is_default_sqlite(app):
        raise SchemaNotCurrent(
            f"the database ({db.engine.url.render_as_string(hide_password=True)}) is not at the latest "
            "migration: run `helpdesk init-db` first"
        )
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)  # Alembic's per-migration lines; the caller says it in one
    try:
        upgrade()
    finally:
        logging.disable(previous)
    return True
