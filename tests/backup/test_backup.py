"""`helpdesk backup DIR` / `helpdesk restore DIR`: a backup restored into a fresh instance has the same
tickets, a verifiable audit chain with the same head, and the secret key."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from helpdesk import create_app
from helpdesk.extensions import db
from helpdesk.tickets.models import Ticket


def _instance(monkeypatch, tmp_path, name: str, uri: str):
    """An app with its own instance folder (and so its own generated secret key)."""
    monkeypatch.setenv("HELPDESK_INSTANCE_DIR", str(tmp_path / name))
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri})


def _tickets(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Ticket))


def test_a_backup_restores_into_a_fresh_instance(monkeypatch, tmp_path, databases, new_user, make_ticket):
    from flask_migrate import upgrade

    source_uri = databases.new("source")
    source = _instance(monkeypatch, tmp_path, "source", source_uri)
    with source.app_context():
        upgrade()
    (tmp_path / "source" / "state.key").write_text("kept outside the database")
    (tmp_path / "source" / "routing_embeddings.sqlite3").write_text("rebuilt by every node")
    owner = new_user(source, "owner@example.jp")
    for queue in ("desk", "jst", "cao"):
        make_ticket(source, owner, queue)

    folder = tmp_path / "backup"
    result = source.test_cli_runner().invoke(args=["backup", str(folder)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tickets"] == 3
    assert manifest["audit_ok"] is True
    assert manifest["secret_key"] == "file"
    saved = folder / "instance"
    assert (saved / "secret_key").read_text() == (tmp_path / "source" / "secret_key").read_text()
    assert (saved / "secret_key").stat().st_mode & 0o077 == 0
    assert "state.key" in manifest["instance_files"]  # any instance file that cannot be rebuilt
    assert not {"index", "embeddings.sqlite3", "routing_embeddings.sqlite3"} & set(manifest["instance_files"])
    assert source.test_cli_runner().invoke(args=["backup", str(folder)]).exit_code == 1  # never overwrites

    if databases.on_postgres:  # the dump names its schema: the fresh instance gets that schema back, empty
        databases.drop_schema(databases.schema_of(source_uri))
        databases.create_schema(databases.schema_of(source_uri))
        target_uri = source_uri
    else:
        target_uri = databases.new("fresh")
    fresh = _instance(monkeypatch, tmp_path, "fresh", target_uri)
    assert fresh.config["SECRET_KEY"] != source.config["SECRET_KEY"]
    result = fresh.test_cli_runner().invoke(args=["restore", "--yes", str(folder)])
    assert result.exit_code == 0, result.output
    assert "3 tickets" in result.output
    assert "audit chain verified" in result.output
    assert _tickets(fresh) == 3
    verified = fresh.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0
    assert manifest["audit_head"] in verified.output
    restarted = _instance(monkeypatch, tmp_path, "fresh", target_uri)
    assert restarted.config["SECRET_KEY"] == source.config["SECRET_KEY"]  # old sessions stay valid
    assert (tmp_path / "fresh" / "state.key").read_text() == "kept outside the database"


def test_restore_refuses_a_folder_that_is_no_backup(monkeypatch, tmp_path, databases):
    app = _instance(monkeypatch, tmp_path, "x", databases.new("x"))
    (tmp_path / "empty").mkdir()
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert "no readable manifest.json" in result.output
    assert "Traceback" not in result.output
