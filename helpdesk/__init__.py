"""Research Security Helpdesk (研究セキュリティ相談窓口)."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from . import config, paths
from .extensions import csrf, db, limiter, login_manager, migrate, write_ahead_on_sqlite
from .mail import sender as mail_sender

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(overrides: dict | None = None) -> Flask:
    """Application factory: configuration from the environment, then `overrides` (tests)."""
    app = Flask(
        __name__,
        instance_path=str(config.instance_dir()),
        template_folder=str(paths.TEMPLATES_DIR),
        static_folder="web/static",
    )
    app.config.from_mapping(config.from_environment())
    if overrides:
        app.config.from_mapping(overrides)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", config.engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config)
    )
    app.config.setdefault(
        "RATELIMIT_STORAGE_OPTIONS", config.ratelimit_storage_options(app.config["RATELIMIT_STORAGE_URI"])
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    json_provider = DefaultJSONProvider(app)  # Flask's own, spelt out: `app.json` is typed as the base class
    json_provider.ensure_ascii = False
    app.json = json_provider

    db.init_app(app)
    with app.app_context():  # Flask-SQLAlchemy made the engine in init_app; no connection exists yet
        write_ahead_on_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    mail_sender.init_app(app)

    from . import models  # noqa: F401  (registers every table with SQLAlchemy's metadata)
    from .cli import register_commands
    from .web import register_web

    register_web(app)
    register_commands(app)
    return app
