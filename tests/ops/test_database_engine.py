"""The run's database engine and the engine options each kind of database gets."""
from sqlalchemy import text

from helpdesk import create_app
from helpdesk.config import engine_options
from helpdesk.extensions import db


def test_the_suite_runs_on_the_engine_test_database_url_names(app, databases):
    with app.app_context():
        dialect = db.engine.dialect.name
        if databases.on_postgres:
            assert dialect == "postgresql"
            schema = db.session.execute(text("SELECT current_schema()")).scalar()
            assert schema == databases.schema_of(app.config["SQLALCHEMY_DATABASE_URI"]) != "public"
        else:
            assert not databases.server_url
            assert dialect == "sqlite"


def test_server_databases_get_a_checked_recycled_pool_from_configuration(monkeypatch):
    monkeypatch.setenv("HELPDESK_DB_POOL_SIZE", "12")
    monkeypatch.setenv("HELPDESK_DB_POOL_RECYCLE", "600")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True
    assert options["pool_recycle"] == 600
    assert options["pool_size"] == 12
    assert options["connect_args"] == {"connect_timeout": 5}
    with app.app_context():
        assert db.engine.pool.size() == 12  # reached the engine, not just the config
    assert engine_options("sqlite:///x.sqlite3", app.config) == {}


def test_sqlite_writes_ahead_and_commits_without_waiting_for_the_disk(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite3'}"})
    with app.app_context():
        with db.engine.begin() as connection:  # a database that exists (an empty file is left as it is)
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        db.engine.dispose()
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_only_the_apps_own_sqlite_engine_is_switched(tmp_path):
    """The hook is attached to the app's engine, not to every Engine: another SQLite database (a backup being
    checked, a tool's own) keeps its journal mode."""
    from sqlalchemy import create_engine

    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite3'}"})
    other = create_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    other.dispose()
    with other.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "delete"
    other.dispose()
