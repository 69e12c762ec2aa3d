"""Login, logout, registration, rate limits and redirects, through real HTTP with CSRF on."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from helpdesk.accounts.models import User
from helpdesk.audit import AuditEvent, identifier_hash
from helpdesk.extensions import db

PASSWORD = "correct horse battery"


def events(app, action=None):
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.seq)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        return db.session.scalars(stmt).all()


def test_login_and_logout_are_audited(app, client, make_user, login, logout):
    user_id = make_user(app, "Researcher@Example.org")
    response = login(client, "  RESEARCHER@example.org ", PASSWORD)
    assert response.status_code == 302
    assert response.location == "/"
    assert 'action="/logout"' in client.get("/login").get_data(as_text=True)

    [login_event] = events(app, "auth.login")
    assert (login_event.actor_id, login_event.actor_role, login_event.object_id) == (user_id, "researcher", str(user_id))
    with app.app_context():
        assert db.session.get(User, user_id).last_login_at is not None

    response = logout(client)
    assert response.status_code == 302
    [logout_event] = events(app, "auth.logout")
    assert logout_event.actor_id == user_id
    assert 'action="/logout"' not in client.get("/login").get_data(as_text=True)


def test_failed_login_stores_only_a_hash_of_the_identifier(app, client, make_user, login):
    make_user(app, "someone@example.org")
    response = login(client, "someone@example.org", "not the password")
    assert response.status_code == 400
    assert "正しくありません" in response.get_data(as_text=True)
    response = login(client, "nobody@example.org", "whatever it is")
    assert response.status_code == 400

    failed = events(app, "auth.login_failed")
    assert [e.details["reason"] for e in failed] == ["bad_password", "unknown_account"]
    with app.app_context():
        assert failed[1].details["identifier_hash"] == identifier_hash("NOBODY@example.org")
    for event in failed:
        assert "@" not in str(event.details)
        assert event.actor_id is None


def test_deactivated_user_cannot_log_in_and_loses_session(app, client, make_user, login):
    user_id = make_user(app, "leaver@example.org")
    assert login(client, "leaver@example.org", PASSWORD).status_code == 302
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert 'action="/logout"' not in client.get("/login").get_data(as_text=True)
    assert login(client, "leaver@example.org", PASSWORD).status_code == 400
    assert events(app, "auth.login_failed")[-1].details["reason"] == "inactive"


def test_login_without_csrf_token_is_refused(app, client, make_user):
    make_user(app, "r@example.org")
    response = client.post("/login", data={"email": "r@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert events(app, "auth.login") == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/admin/users?x=1", "/admin/users?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/\t/evil.example", "/"),
    ],
)
def test_next_redirect_stays_on_site(app, client, target, expected, make_user, login):
    make_user(app, "admin@example.org", "admin")
    response = login(client, "admin@example.org", PASSWORD, next_url=target)
    assert response.status_code == 302
    assert response.location == expected


def test_anonymous_is_sent_to_login_and_back(app, client, make_user, login):
    make_user(app, "admin@example.org", "admin")
    response = client.get("/admin/audit?action=auth.login")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    page = client.get(response.location).get_data(as_text=True)
    assert 'value="/admin/audit?action=auth.login"' in page
    response = login(client, "admin@example.org", PASSWORD, next_url="/admin/audit?action=auth.login")
    assert response.location == "/admin/audit?action=auth.login"


def test_login_rate_limit_per_ip(app, client, make_user, csrf_token):
    make_user(app, "r@example.org")
    token = csrf_token(client)
    statuses = [
        client.post("/login", data={"email": f"u{i}@example.org", "password": "wrong wrong", "csrf_token": token}).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    response = client.post("/login", data={"email": "r@example.org", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 429
    assert "試行回数が多すぎます" in response.get_data(as_text=True)


def test_login_rate_limit_per_account_across_ips(app, make_user, login):
    make_user(app, "target@example.org")
    statuses = []
    for i in range(11):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{i + 1}"
        statuses.append(login(client, "Target@example.org", f"guess number {i}").status_code)
    assert statuses == [400] * 10 + [429]


def test_rate_limit_can_be_switched_off(databases, csrf_token):
    from helpdesk import create_app

    app = create_app({"TESTING": True, "SESSION_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": databases.new("off")})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    client = app.test_client()
    token = csrf_token(client)
    statuses = {client.post("/login", data={"email": "x@example.org", "password": "wrong wrong",
                                            "csrf_token": token}).status_code for _ in range(12)}
    assert statuses == {400}


def test_register_creates_an_unverified_researcher_who_verifies_by_link(app, client, caplog, csrf_token,
                                                                        verification_link):
    caplog.set_level("INFO", logger="helpdesk.accounts.verification")
    data = {"email": "New@Example.org", "display_name": "新しい研究者", "password": "long enough pw",
            "password_confirm": "long enough pw", "csrf_token": csrf_token(client, "/register")}
    response = client.post("/register", data=data)
    assert response.status_code == 302
    assert response.location == "/register/sent"
    assert "確認用のリンクを送りました" in client.get("/register/sent").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@example.org"))
        assert (user.role, user.queue, user.display_name) == ("researcher", None, "新しい研究者")
        assert user.password_hash != "long enough pw"
        assert user.check_password("long enough pw")
        assert not user.is_verified
    [created] = events(app, "user.created")
    assert created.actor_id == user.id
    assert created.details == {"role": "researcher", "queue": None, "verified": False}

    followed = client.get(verification_link(caplog))
    assert followed.status_code == 302
    assert followed.location.startswith("/login?next=")
    with app.app_context():
        assert db.session.get(User, user.id).is_verified
    assert [e.actor_id for e in events(app, "user.email_verified")] == [user.id]


@pytest.mark.parametrize(("target", "expected"), [("/tickets/new", "/tickets/new"), ("https://evil.example/", "/")])
def test_register_returns_to_a_local_next_only(client, caplog, target, expected, csrf_token, verification_link):
    caplog.set_level("INFO", logger="helpdesk.accounts.verification")
    page = client.get(f"/register?next={target}").get_data(as_text=True)
    assert 'name="next"' in page
    data = {"email": "back@example.org", "display_name": "戻る研究者", "password": "long enough pw",
            "password_confirm": "long enough pw", "next": target,
            "csrf_token": csrf_token(client, "/register")}
    assert client.post("/register", data=data).status_code == 302
    followed = client.get(verification_link(caplog))
    assert followed.location.startswith("/login?")
    assert parse_qs(urlsplit(followed.location).query)["next"] == [expected]


def test_login_page_passes_next_on_to_register(client):
    page = client.get("/login?next=/tickets/new").get_data(as_text=True)
    assert "/register?next=/tickets/new" in page or "/register?next=%2Ftickets%2Fnew" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "That is not a valid e-mail address"),
        ({"password": "short", "password_confirm": "short"}, "The password must be 10 to 128 characters"),
        ({"password_confirm": "something else"}, "The passwords do not match"),
        ({"display_name": ""}, "This field is required"),
    ],
)
def test_register_rejects_bad_input_with_a_message(app, client, changes, message, csrf_token):
    data = {"email": "ok@example.org", "display_name": "OK", "password": "long enough pw",
            "password_confirm": "long enough pw", "csrf_token": csrf_token(client, "/register?lang=en"), **changes}
    response = client.post("/register", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert events(app, "user.created") == []
