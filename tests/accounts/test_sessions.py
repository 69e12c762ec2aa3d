"""Issue 14 item 4: sessions that can be ended (logout, password change, deactivation, idle and absolute
timeouts) and a CSRF token rotated at login. Through real HTTP with CSRF on; cookies copied as an
attacker who saw one would copy them."""
from __future__ import annotations

import time

import pytest

from helpdesk.accounts.session import LOGIN_AT, SEEN_AT
from helpdesk.audit import AuditEvent
from helpdesk.extensions import db

PASSWORD = "correct horse battery"
NEW_PASSWORD = "another horse staple"


@pytest.fixture
def logged_in(login):
    def logged_in(app, email):
        client = app.test_client()
        assert login(client, email, PASSWORD).status_code == 302
        return client

    return logged_in


def copy_of(app, client):
    """A second browser holding a copy of `client`'s session cookie (same address and user agent)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def opens_staff_pages(client) -> bool:
    page = client.get("/staff/")
    api = client.get("/api/v1/tickets", headers={"Accept": "application/json"})
    assert (page.status_code == 200) == (api.status_code == 200), (page.status_code, api.status_code)
    return page.status_code == 200


def test_item4_cookie_copied_before_logout_no_longer_opens_staff_or_api(app, make_user, logout, logged_in):
    make_user(app, "desk@example.org", "desk_agent", "desk")
    agent = logged_in(app, "desk@example.org")
    thief = copy_of(app, agent)
    assert opens_staff_pages(thief)  # the copy works while the session lives

    logout(agent)
    assert not opens_staff_pages(thief)
    assert thief.get("/staff/").location.startswith("/login")
    assert thief.get("/api/v1/tickets", headers={"Accept": "application/json"}).status_code == 401
    with app.app_context():
        assert AuditEvent.query.filter_by(action="auth.logout").count() == 1


def test_item4_logout_ends_the_users_other_sessions_too(app, make_user, logout, logged_in):
    make_user(app, "jst@example.org", "fa_agent", "jst")
    office, laptop = logged_in(app, "jst@example.org"), logged_in(app, "jst@example.org")
    logout(laptop)
    assert not opens_staff_pages(office)


def test_item4_password_change_ends_every_other_session(app, make_user, csrf_token, login, logged_in):
    make_user(app, "amed@example.org", "fa_agent", "amed")
    agent = logged_in(app, "amed@example.org")
    thief = copy_of(app, agent)
    data = {"current": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(agent, "/account/password")}
    response = agent.post("/account/password", data=data)
    assert response.status_code == 302
    assert not opens_staff_pages(thief)
    assert opens_staff_pages(agent)  # the browser that changed it carries on
    assert login(app.test_client(), "amed@example.org", PASSWORD).status_code == 400
    assert login(app.test_client(), "amed@example.org", NEW_PASSWORD).status_code == 302
    with app.app_context():
        [event] = AuditEvent.query.filter_by(action="user.password_changed").all()
        assert event.actor_role == "fa_agent"


def test_item4_password_change_needs_the_current_password_and_a_strong_new_one(app, make_user, csrf_token, logged_in):
    make_user(app, "cao@example.org", "ministry_agent", "cao")
    agent = logged_in(app, "cao@example.org")
    thief = copy_of(app, agent)
    for current, new, message in ((("wrong password here"), NEW_PASSWORD, "現在のパスワードが正しくありません"),
                                  (PASSWORD, "password12", "推測されやすい")):
        data = {"current": current, "password": new, "password_confirm": new,
                "csrf_token": csrf_token(agent, "/account/password")}
        response = agent.post("/account/password", data=data)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert opens_staff_pages(thief)  # nothing changed, so nothing ended


@pytest.mark.parametrize("how", ["admin page", "cli"])
def test_item4_deactivation_ends_the_session(app, how, make_user, csrf_token, logged_in):
    target = make_user(app, "leaver@example.org", "desk_agent", "desk")
    make_user(app, "admin@example.org", "admin")
    agent = logged_in(app, "leaver@example.org")
    thief = copy_of(app, agent)
    if how == "cli":
        result = app.test_cli_runner().invoke(args=["users", "deactivate", "leaver@example.org"])
        assert result.exit_code == 0, result.output
    else:
        admin = logged_in(app, "admin@example.org")
        response = admin.post(f"/admin/users/{target}/deactivate",
                              data={"csrf_token": csrf_token(admin, "/admin/users")})
        assert response.status_code in (302, 303)
    assert not opens_staff_pages(thief)
    assert not opens_staff_pages(agent)


def _age_session(client, *, idle: int = 0, since_login: int = 0) -> None:
    """Set the clock in the session: the last request `idle` seconds ago, the login `since_login` ago."""
    now = int(time.time())
    with client.session_transaction() as session:
        session[SEEN_AT] = now - idle
        session[LOGIN_AT] = now - max(since_login, idle)


def test_item4_staff_session_ends_after_30_idle_minutes(app, make_user, logged_in):
    make_user(app, "desk@example.org", "desk_agent", "desk")
    agent = logged_in(app, "desk@example.org")
    _age_session(agent, idle=29 * 60)
    assert opens_staff_pages(agent)  # and this request counts as activity
    with agent.session_transaction() as session:
        assert int(time.time()) - session[SEEN_AT] < 60
    _age_session(agent, idle=31 * 60)
    response = agent.get("/staff/")
    assert response.status_code == 302
    assert response.location.startswith("/login")
    assert "有効期限が切れました" in agent.get(response.location).get_data(as_text=True)
    assert not opens_staff_pages(agent)


def test_item4_researchers_idle_limit_is_longer_and_configurable(app, make_user, logged_in):
    make_user(app, "r@example.org")
    researcher = logged_in(app, "r@example.org")
    _age_session(researcher, idle=60 * 60)
    assert researcher.get("/tickets").status_code == 200
    _age_session(researcher, idle=121 * 60)
    assert researcher.get("/tickets").status_code == 302

    app.config["HELPDESK_RESEARCHER_IDLE_MINUTES"] = 10
    researcher = logged_in(app, "r@example.org")
    _age_session(researcher, idle=11 * 60)
    assert researcher.get("/tickets").status_code == 302


def test_item4_session_ends_12_hours_after_login_however_active(app, make_user, logged_in):
    make_user(app, "desk@example.org", "desk_agent", "desk")
    agent = logged_in(app, "desk@example.org")
    _age_session(agent, since_login=11 * 3600 + 59 * 60)
    assert opens_staff_pages(agent)
    _age_session(agent, since_login=12 * 3600 + 60)
    assert not opens_staff_pages(agent)


def test_item4_session_cookie_ends_with_the_browser_and_is_dropped_in_another_one(app, make_user, login):
    make_user(app, "desk@example.org", "desk_agent", "desk")
    client = app.test_client()
    response = login(client, "desk@example.org", PASSWORD)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Expires=" not in cookie
    assert "HttpOnly" in cookie
    # A permanent session would weaken Flask-Login's "strong" protection to marking the copy non-fresh.
    elsewhere = copy_of(app, client)
    elsewhere.environ_base["HTTP_USER_AGENT"] = "another browser"
    assert not opens_staff_pages(elsewhere)
    assert opens_staff_pages(client)


def test_item4_a_session_without_login_times_or_token_names_nobody(app, make_user, logged_in):
    user_id = make_user(app, "desk@example.org", "desk_agent", "desk")
    agent = logged_in(app, "desk@example.org")
    with agent.session_transaction() as session:
        del session[LOGIN_AT]
    assert not opens_staff_pages(agent)

    agent = logged_in(app, "desk@example.org")
    with agent.session_transaction() as session:
        session["_user_id"] = str(user_id)  # the form sessions had before tokens
    assert not opens_staff_pages(agent)


def test_item4_csrf_token_is_rotated_at_login(app, make_user, csrf_token, login):
    make_user(app, "r@example.org")
    client = app.test_client()
    before = csrf_token(client, "/login")
    assert login(client, "r@example.org", PASSWORD).status_code == 302
    after = csrf_token(client, "/")
    assert after != before
    # A token seen before login (e.g. over someone's shoulder) no longer passes.
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="auth.logout").count() == 0
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


MATRIX_ROLES = (("researcher", None), ("desk_agent", "desk"), ("fa_agent", "jst"), ("ministry_agent", "cao"),
                ("curator", None), ("admin", None))
MATRIX_URLS = ("/staff/", "/staff/tickets/RS-NOSUCHTICKT", "/tickets", "/tickets/new", "/curation/", "/admin/audit",
               "/account/password", "/api/v1/tickets", "/api/v1/tickets/RS-NOSUCHTICKT")


@pytest.fixture
def end_session(logout, csrf_token):
    def _end(how, app, client, copy, email, role):
        if how == "logout":
            logout(client)
        elif how == "password change":
            client.post("/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                    "password_confirm": NEW_PASSWORD,
                                                    "csrf_token": csrf_token(client, "/account/password")})
        elif how == "deactivation":
            assert app.test_cli_runner().invoke(args=["users", "deactivate", email]).exit_code == 0
        elif how == "idle timeout":
            _age_session(copy, idle=(120 if role == "researcher" else 30) * 60 + 60)
        else:
            _age_session(copy, since_login=12 * 3600 + 60)

    return _end


@pytest.mark.parametrize("how", ["logout", "password change", "deactivation", "idle timeout", "absolute timeout"])
def test_item4_authorisation_matrix_of_ended_sessions(app, how, make_user, logged_in, end_session):
    """Every role × every way a session ends × every page and endpoint behind a login: the cookie copied
    before the end is anonymous afterwards (login page, or 401 for the API), never a page or a 403/404."""
    failures, cases = [], 0
    for role, queue in MATRIX_ROLES:
        email = f"{role}@example.org"
        make_user(app, email, role, queue)
        client = logged_in(app, email)
        copy = copy_of(app, client)
        assert copy.get("/account/password").status_code == 200  # the copy works until the session ends
        end_session(how, app, client, copy, email, role)
        for url in MATRIX_URLS:
            cases += 1
            response = copy.get(url, headers={"Accept": "application/json"} if url.startswith("/api/") else {})
            expected = 401 if url.startswith("/api/") else 302
            if response.status_code != expected or (expected == 302 and not response.location.startswith("/login")):
                failures.append(f"{role} after {how}: GET {url} -> {response.status_code}")
    assert failures == []
    assert cases == len(MATRIX_ROLES) * len(MATRIX_URLS)
