"""Shared fixtures: a real app on a real database migrated by Alembic: a temporary SQLite file, or a fresh
schema in the PostgreSQL database TEST_DATABASE_URL names (scripts/with-postgres.sh sets it). The fixtures
every area shares beyond these (accounts, logging in, tickets, curated entries, servers) are in the
modules of tests/fixtures/, registered below as plugins."""
from __future__ import annotations

import os
import tempfile

import pytest

# Tests never touch the developer's instance/ (database, secret key, index).
os.environ.setdefault("HELPDESK_INSTANCE_DIR", tempfile.mkdtemp(prefix="helpdesk-test-"))
# The search index is built once per session in its own temp dir. Its embedding cache lives there too
# unless HELPDESK_EMBED_CACHE points at a persistent file, which makes local reruns fast.
os.environ["HELPDESK_INDEX_DIR"] = tempfile.mkdtemp(prefix="helpdesk-test-index-")

from helpdesk import create_app  # noqa: E402
from helpdesk.extensions import db  # noqa: E402

pytest_plugins = ["tests.fixtures.databases", "tests.fixtures.web", "tests.fixtures.people",
                  "tests.fixtures.curation", "tests.fixtures.corpus", "tests.fixtures.servers"]


def dispose(app) -> None:
    """Close an app's pooled connections (a PostgreSQL run would otherwise pile them up per test)."""
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def app(databases, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": databases.new(),
            "SESSION_COOKIE_SECURE": False,
            # Anchors of this test's audit chain, beside its database (the instance dir is shared).
            "HELPDESK_AUDIT_ANCHOR_FILE": tmp_path / "audit-anchors.log",
            # Tests send the outbox themselves (deliver_due, `helpdesk mail …`): no thread races them.
            "HELPDESK_MAIL_SENDER": False,
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    dispose(app)


@pytest.fixture(scope="session")
def search_service():
    """The real search service over the real corpus, built (or loaded) and warmed once per session
    like a served process (answerer and routing examples too).

    Every app the tests create shares it (same corpus, index dir and embedder): request it in any
    test whose requests search, so no request pays for loading the model or building the index.
    """
    from flask_migrate import upgrade

    from helpdesk.warmup import warm_up_all
    from tests.fixtures.databases import Databases

    overrides = {"TESTING": True}
    if Databases.on_postgres:  # a schema of its own, dropped with the run's cluster
        overrides["SQLALCHEMY_DATABASE_URI"] = Databases.with_schema(Databases.create_schema())
    app = create_app(overrides)
    with app.app_context():
        upgrade()  # start-up reads the (empty) desk FAQ and staff routing examples from the database
    return warm_up_all(app)


@pytest.fixture
def client(app):
    return app.test_client()

