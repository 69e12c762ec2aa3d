"""Issue 14 item 6: security headers on every page (Flask-Talisman): a strict CSP with no inline script,
no framing, nosniff, a Referrer-Policy, HSTS with secure cookies, and no-store on anything personal."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpdesk import paths

PASSWORD = "correct horse battery"


def csp_of(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/docs/", "/api/v1/consent", "/no-such-page"])
def test_item6_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = csp_of(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # this test app serves plain http


def test_item6_hsts_with_secure_cookies_over_https(databases):
    from helpdesk import create_app

    app = create_app({"TESTING": True, "SESSION_COOKIE_SECURE": True, "SQLALCHEMY_DATABASE_URI": databases.new()})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    client = app.test_client()
    assert client.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"] == \
        "max-age=31556926"  # a year
    assert client.get("/login", headers={"X-Forwarded-Proto": "https"}).headers["Strict-Transport-Security"]


def test_item6_talisman_keeps_the_configured_cookie_flags(app):
    assert app.config["SESSION_COOKIE_SECURE"] is False  # the test app's choice survives Talisman
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(("role", "queue", "path"), [
    ("desk_agent", "desk", "/staff/"),
    ("researcher", None, "/tickets"),
    ("researcher", None, "/tickets/new"),
    ("researcher", None, "/api/v1/tickets"),
    ("curator", None, "/curation/"),
    ("admin", None, "/admin/audit"),
    ("admin", None, "/admin/users"),
    ("researcher", None, "/account/password"),
    ("researcher", None, "/"),
])
def test_item6_personal_pages_are_not_stored(app, client, role, queue, path, make_user, login):
    make_user(app, "u@example.org", role, queue)
    assert login(client, "u@example.org", PASSWORD).status_code == 302
    response = client.get(path, headers={"Accept": "application/json"} if path.startswith("/api/") else {})
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == "no-store"


def test_item6_static_files_and_public_documents_stay_cacheable(client):
    with client.get("/static/helpdesk.css") as static:  # closed: an open file response is a ResourceWarning
        assert static.headers.get("Cache-Control") != "no-store"
    assert "no-store" not in client.get("/docs/").headers.get("Cache-Control", "")


TEMPLATES = sorted(Path(paths.TEMPLATES_DIR).rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(paths.TEMPLATES_DIR)))
def test_item6_templates_hold_nothing_the_csp_blocks(template):
    text = template.read_text()
    inline_scripts = [m for m in re.findall(r"<script\b[^>]*>", text) if "src=" not in m]
    assert inline_scripts == []
    assert not re.search(r"<style\b", text)
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"\son[a-z]+\s*=", text)  # onclick=, onload=, …
    assert "javascript:" not in text
