"""Test databases: a SQLite file per app, or, when TEST_DATABASE_URL names a PostgreSQL database, a fresh
schema in it per app (the URL pins the schema through search_path), dropped after the test.

One database serves the whole run; a schema is created and migrated in a fraction of a second, so every
test starts from an empty, freshly migrated database on either engine.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def on_postgres() -> bool:
    return TEST_DATABASE_URL.startswith("postgresql")


def _admin():
    return create_engine(TEST_DATABASE_URL, poolclass=NullPool)


def schema_of(uri: str) -> str | None:
    """The schema a test URL pins (None for SQLite)."""
    options = make_url(uri).query.get("options", "")
    return options.removeprefix("-csearch_path=") or None


def with_schema(schema: str) -> str:
    url = make_url(TEST_DATABASE_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def create_schema(schema: str | None = None) -> str:
    schema = schema or f"test_{secrets.token_hex(6)}"
    with _admin().begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return schema


def drop_schema(schema: str) -> None:
    with _admin().begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


class Databases:
    """Hands out empty databases for one test and removes them afterwards."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._schemas: list[str] = []

    def new(self, name: str = "test") -> str:
        if not on_postgres():
            return f"sqlite:///{self._folder / (name + '.sqlite3')}"
        schema = create_schema()
        self._schemas.append(schema)
        return with_schema(schema)

    def drop_all(self) -> None:
        for schema in self._schemas:
            drop_schema(schema)
