"""A fresh install: every `helpdesk` command migrates the default SQLite database on first use, or
names the one command to run; never a traceback."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from helpdesk.cli import main


def _run(args: list[str], env: dict):
    result = CliRunner().invoke(main, args, env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("args", [
    ["users", "list"], ["tickets", "list"], ["audit", "verify"], ["demo-accounts"], ["faq", "export", "{tmp}/out"],
    ["faq", "import", "{tmp}/none"],
])
def test_a_command_on_a_fresh_instance_migrates_the_default_database_first(tmp_path, args):
    (tmp_path / "none").mkdir()
    env = {"HELPDESK_INSTANCE_DIR": str(tmp_path / "instance"), "DATABASE_URL": None}
    result = _run([a.format(tmp=tmp_path) for a in args], env)
    assert result.exit_code == 0, result.output
    assert "first use: created the database" in result.output
    assert (tmp_path / "instance" / "helpdesk.sqlite3").exists()
    again = _run([a.format(tmp=tmp_path) for a in args], env)  # … once
    assert again.exit_code == 0
    assert "first use" not in again.output


def test_ask_right_after_install_answers(tmp_path, search_service):
    result = _run(["ask", "相談窓口は最終判断をしてくれますか？"],
                  {"HELPDESK_INSTANCE_DIR": str(tmp_path), "DATABASE_URL": None})
    assert result.exit_code == 0, result.output
    assert "相談窓口" in result.output
    assert "no such table" not in result.output


def test_a_configured_database_behind_the_code_is_named_with_the_command_to_run(tmp_path):
    other = tmp_path / "shared.sqlite3"
    result = _run(["users", "list"], {"HELPDESK_INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{other}"})
    assert result.exit_code == 1
    assert "not at the latest migration: run `helpdesk init-db` first" in result.output
    assert not other.exists() or other.stat().st_size == 0  # nothing was created behind the operator's back


def test_help_and_schema_commands_do_not_migrate(tmp_path):
    env = {"HELPDESK_INSTANCE_DIR": str(tmp_path), "DATABASE_URL": None}
    assert _run(["users", "--help"], env).exit_code == 0
    assert _run(["ask", "--help"], env).exit_code == 0
    assert not (tmp_path / "helpdesk.sqlite3").exists()
    init = _run(["init-db"], env)
    assert init.exit_code == 0
    assert "first use" not in init.output
    assert "latest migration" in init.output
