"""Login limits shared between app instances through Redis (HELPDESK_RATELIMIT_STORAGE_URI=redis://…),
each instance a process of its own as on two workers or nodes; and what happens while Redis is away."""
from __future__ import annotations

import http.cookiejar
import secrets
import urllib.error
import urllib.parse
import urllib.request

import pytest

from helpdesk import create_app

ATTEMPTS = 11  # the login limit is 10 a minute per address and per attempted account


@pytest.fixture
def instance_env(databases, tmp_path):
    """Settings two instances share: a migrated database and the session signing key."""
    uri = databases.new("shared")
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return {"DATABASE_URL": uri, "SECRET_KEY": secrets.token_hex(32), "HELPDESK_SECURE_COOKIES": "0",
            "HELPDESK_INSTANCE_DIR": str(tmp_path / "instance")}


class Browser:
    """A visitor with cookies, speaking plain HTTP to one server (`token_in`: the fixture that reads a page's
    CSRF token)."""

    def __init__(self, base: str, token_in) -> None:
        self.base = base
        self._token_in = token_in
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def failed_login(self, attempt: int) -> int:
        page = self._opener.open(self.base + "/login", timeout=30).read().decode()
        form = {"email": "target@example.org", "password": f"wrong guess {attempt}",
                "csrf_token": self._token_in(page)}
        try:
            with self._opener.open(self.base + "/login", urllib.parse.urlencode(form).encode(), timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture
def alternating_attempts(helpdesk_server, token_in):
    """`alternating_attempts(env)`: the statuses of failed logins sent in turn to two instances run with `env`."""
    def attempts(env: dict[str, str]) -> list[int]:
        browsers = [Browser(helpdesk_server(env), token_in) for _ in range(2)]
        return [browsers[i % 2].failed_login(i) for i in range(ATTEMPTS)]

    return attempts


def test_a_login_limit_holds_across_two_instances_sharing_redis(instance_env, redis_url, alternating_attempts):
    statuses = alternating_attempts({**instance_env, "HELPDESK_RATELIMIT_STORAGE_URI": redis_url})
    assert statuses == [400] * 10 + [429]


def test_without_shared_storage_each_instance_counts_alone(instance_env, alternating_attempts):
    # The control: per-process memory counters let 11 attempts through two instances.
    statuses = alternating_attempts({**instance_env, "HELPDESK_RATELIMIT_STORAGE_URI": "memory://"})
    assert statuses == [400] * ATTEMPTS


def test_limits_fail_open_while_redis_is_unreachable(instance_env, free_port, helpdesk_server, token_in):
    down = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    browser = Browser(helpdesk_server({**instance_env, "HELPDESK_RATELIMIT_STORAGE_URI": down}), token_in)
    assert [browser.failed_login(i) for i in range(3)] == [400] * 3  # answered, never a 500
