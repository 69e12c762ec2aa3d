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
    from .accounts.cli import demo_accounts_command, users_group
    from .answering.cli import ask_command
    from .audit.cli import audit_group
    from .corpus.cli import corpus_group
    from .curation.cli import faq_group
    from .evaluation.cli import eval_command
    from .mail.cli import mail_group
    from .search.benchmark import bench_command
    from .search.cli import index_group, search_command
    from .tickets.cli import tickets_group
    from .triage.cli import triage_group

    app.cli.add_command(init_db_command)
    for command in (users_group, demo_accounts_command, audit_group, index_group, search_command,
                    eval_command, bench_command, triage_group, corpus_group, tickets_group, ask_command,
                    faq_group, mail_group):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Research Security Helpdesk (研究セキュリティ相談窓口)."""
