"""Issue 14 item 8: registration tells nobody which addresses exist, weak passwords and look-alike
addresses are refused, and a ticket needs a verified address. Real HTTP with CSRF on."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from helpdesk.accounts import service
from helpdesk.accounts.errors import AccountError
from helpdesk.accounts.models import User
from helpdesk.audit import AuditEvent
from helpdesk.extensions import db
from helpdesk.mail import OutboxMessage

PASSWORD = "correct horse battery"


@pytest.fixture
def register(password, csrf_token):
    def register(client, email, password="long enough pw", lang="ja", name="研究者"):
        data = {"email": email, "display_name": name, "password": password, "password_confirm": password,
                "csrf_token": csrf_token(client, f"/register?lang={lang}")}
        return client.post("/register", data=data)

    return register


def accounts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_item8_registration_does_not_reveal_whether_an_address_exists(app, caplog, make_user, register):
    caplog.set_level("INFO", logger="helpdesk.accounts.verification")
    owner = make_user(app, "taken@example.org")
    fresh = register(app.test_client(), "someone-new@example.org")
    again = register(app.test_client(), "Taken@example.org")
    assert (fresh.status_code, fresh.location) == (again.status_code, again.location) == (302, "/register/sent")
    assert fresh.get_data() == again.get_data()
    assert accounts(app) == 2
    # The owner of the existing account is told instead (by mail, logged until mail is sent).
    notices = [r.getMessage() for r in caplog.records if "registration attempted" in r.getMessage()]
    assert notices == [f"registration attempted for the existing account of user {owner}; "
                       "log in at http://127.0.0.1:5000/login?next=/"]  # HELPDESK_BASE_URL, never the Host header
    with app.app_context():
        # Both owners get their mail through the outbox: a verification link, and the notice to the owner.
        mails = {(m.recipient, m.kind) for m in OutboxMessage.query.all()}
        assert mails == {("someone-new@example.org", "account.verify"), ("taken@example.org", "account.exists")}
        [attempt] = AuditEvent.query.filter_by(action="auth.register_existing").all()
        assert attempt.object_id == str(owner)
        assert attempt.actor_id is None
        assert db.session.get(User, owner).check_password(PASSWORD)  # nothing about the account changed


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "password12", "qwertyuiop", "1234567890", "iloveyou123"])
def test_item8_common_and_guessable_passwords_are_refused(app, client, password, register):
    response = register(client, "r@example.org", password)
    assert response.status_code == 400
    assert "推測されやすい" in response.get_data(as_text=True)
    assert accounts(app) == 0


def test_item8_weak_password_message_in_english_and_names_count_against(app, client, register):
    response = register(client, "yamada.taro@example.org", "yamadataro1", lang="en", name="Yamada Taro")
    assert response.status_code == 400
    assert "This password is too easy to guess" in response.get_data(as_text=True)
    assert register(client, "yamada.taro@example.org", "plum kettle orbit", lang="en").status_code == 302


@pytest.mark.parametrize(
    "look_alike",
    [
        "ta\u200bro@example.org",  # zero-width space
        "taro\u2010yamada@example.org",  # U+2010 hyphen instead of "-"
        "t\u0430ro@example.org",  # Cyrillic a
        "taro@exa\u202emple.org",  # right-to-left override
        "taro@example\u3002org",  # ideographic full stop (NFKC keeps it)
        "taro@例え.jp",  # an international domain in Unicode form (its xn-- form is accepted)
    ],
)
def test_item8_look_alike_addresses_are_refused(app, client, look_alike, make_user, register):
    make_user(app, "taro@example.org")
    response = register(client, look_alike, lang="en")
    assert response.status_code == 400
    assert "plain ASCII" in response.get_data(as_text=True)
    assert accounts(app) == 1


def test_item8_full_width_address_is_the_same_account_not_a_new_one(app, client, caplog, make_user, login, register):
    caplog.set_level("INFO", logger="helpdesk.accounts.verification")
    owner = make_user(app, "taro-yamada@example.org")
    response = register(client, "ｔａｒｏ－ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｏｒｇ")  # NFKC: taro-yamada@example.org
    assert response.status_code == 302
    assert accounts(app) == 1
    assert any(f"existing account of user {owner}" in r.getMessage() for r in caplog.records)
    assert login(app.test_client(), "ＴＡＲＯ－ｙａｍａｄａ＠example.org", PASSWORD).status_code == 302


def test_item8_address_rules_apply_to_admin_created_accounts_too(app):
    with app.app_context():
        with pytest.raises(AccountError, match="plain ASCII"):
            service.create_user("ad\u200dmin@example.org", "x", PASSWORD, "admin", verified=True)
        assert service.checked_email("  Ｍｉｘｅｄ@Example.ORG ") == "mixed@example.org"


def test_item8_cli_and_demo_accounts_count_as_verified(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "jst2@example.org", "--name", "JST",
                                 "--role", "fa_agent", "--queue", "jst", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["demo-accounts"]).exit_code == 0
    with app.app_context():
        assert all(user.is_verified for user in User.query.all())


@pytest.fixture
def pending_question(csrf_token):
    def _pending_question(client, question):
        client.post("/handoff", data={"csrf_token": csrf_token(client, "/"), "question": question})
        page = client.get("/tickets/new").get_data(as_text=True)
        routed = re.search(r'name="routed"[^>]*value="([^"]*)"', page).group(1)
        return page, {"csrf_token": csrf_token(client, "/tickets/new"), "question": question, "routed": routed,
                      "agree": "y", "declare": "y"}

    return _pending_question


def test_item8_ticket_needs_a_verified_address(app, search_service, caplog, verification_link, login, csrf_token,
                                               register, pending_question):
    caplog.set_level("INFO", logger="helpdesk.accounts.verification")
    client = app.test_client()
    assert register(client, "new@example.org", "plum kettle orbit").status_code == 302
    caplog.clear()  # the link sent at registration is not followed: the researcher asks for a new one
    assert login(client, "new@example.org", "plum kettle orbit").status_code == 302
    question = "研究インテグリティに関するチェックリストはどこで入手できますか？"

    page, form = pending_question(client, question)
    assert "メールアドレスの確認が必要です" in page
    assert "確認用メールを再送する" in page
    refused = client.post("/tickets/new", data=form)
    assert refused.status_code == 403
    assert question in refused.get_data(as_text=True)  # nothing typed is lost
    api = client.post("/api/v1/tickets", json={"question": question, "consent": {"agree": True, "declare": True}},
                      headers={"X-CSRFToken": csrf_token(client, "/")})
    assert api.status_code == 403
    assert api.get_json()["error"]["code"] == "email_not_verified"

    resent = client.post("/verify/resend", data={"csrf_token": csrf_token(client, "/"), "next": "/tickets/new"})
    assert resent.status_code == 303
    assert resent.location == "/tickets/new"
    followed = client.get(verification_link(caplog))
    assert followed.status_code == 302
    assert followed.location == "/tickets/new"
    page = client.get("/tickets/new").get_data(as_text=True)
    assert "メールアドレスの確認が必要です" not in page
    assert client.post("/tickets/new", data={**form, "csrf_token": csrf_token(client, "/tickets/new")}).status_code == 303


def test_item8_verification_links_expire_and_cannot_be_forged(app, client, monkeypatch, make_user):
    from helpdesk.accounts import verification

    user_id = make_user(app, "late@example.org", verified=False)
    with app.test_request_context():
        user = db.session.get(User, user_id)
        with monkeypatch.context() as clock:
            clock.setattr(time, "time", lambda: 1_000_000_000.0)  # itsdangerous stamps the token with this
            old = verification.token_for(user)
        fresh = verification.token_for(user)
    assert client.get(f"/verify/{old}").status_code == 400
    assert client.get(f"/verify/{fresh[:-2]}xx").status_code == 400
    assert client.get("/verify/not-a-token").status_code == 400
    with app.app_context():
        assert not db.session.get(User, user_id).is_verified
    assert client.get(f"/verify/{fresh}").status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).is_verified
