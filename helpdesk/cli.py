"""The `helpdesk` command: Flask's CLI (run, routes, db …) plus the helpdesk's own commands."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema to the latest migration."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("database is at the latest migration")


def register_commands(app: Flask) -> None:
    app.cli.add_command(init_db_command)


def _create_app() -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Research Security Helpdesk (研究セキュリティ相談窓口)."""
