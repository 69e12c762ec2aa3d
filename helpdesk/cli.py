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
    from .backup.cli import backup_command, restore_command
    from .catalogues import translate_group
    from .corpus.cli import corpus_group
    from .curation.cli import faq_group
    from .evaluation.cli import eval_command
    from .mail.cli import mail_group
    from .retention.cli import purge_command
    from .search.benchmark import bench_command
    from .search.cli import index_group, search_command
    from .tickets.cli import tickets_group
    from .triage.cli import triage_group

    app.cli.add_command(init_db_command)
    for command in (users_group, demo_accounts_command, audit_group, index_group, search_command,
                    eval_command, bench_command, triage_group, corpus_group, tickets_group, ask_command,
                    faq_group, purge_command, backup_command, restore_command, mail_group, translate_group):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from . import create_app

    return create_app()


# Commands that never touch the database (or manage its schema themselves): no schema check first.
WITHOUT_DATABASE = frozenset({"db", "init-db", "routes", "corpus", "search", "bench", "translate"})


class HelpdeskGroup(FlaskGroup):
    """Flask's CLI group; before a command that uses the database runs, the database is checked:
    the default SQLite file is migrated on first use, any other database behind the code is named
    with the command to run (helpdesk.schema)."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        wants_help = any(arg in ctx.help_option_names for arg in rest)
        if command is not None and name not in WITHOUT_DATABASE and not wants_help and not ctx.resilient_parsing:
            _check_schema(ctx)
        return name, command, rest


def _check_schema(ctx: click.Context) -> None:
    from flask.cli import ScriptInfo

    from .schema import SchemaNotCurrent, ensure_current

    app = ctx.ensure_object(ScriptInfo).load_app()
    with app.app_context():
        try:
            migrated = ensure_current(app)
        except SchemaNotCurrent as exc:
            raise click.ClickException(str(exc)) from None
    if migrated:
        click.echo(f"first use: created the database {app.config['SQLALCHEMY_DATABASE_URI'].removeprefix('sqlite:///')} "
                   "(later schema changes: `helpdesk init-db`)", err=True)


@click.group(cls=HelpdeskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Research Security Helpdesk (研究セキュリティ相談窓口)."""
