"""Shared fixtures: a real app on a real (temporary) SQLite database migrated by Alembic."""
from __future__ import annotations

import os
import tempfile

import pytest

# Tests never touch the developer's instance/ (database, secret key, index).
os.environ.setdefault("HELPDESK_INSTANCE_DIR", tempfile.mkdtemp(prefix="helpdesk-test-"))

from helpdesk import create_app  # noqa: E402


@pytest.fixture()
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app


@pytest.fixture()
def client(app):
    return app.test_client()
