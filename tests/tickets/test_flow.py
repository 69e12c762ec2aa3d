"""The researcher's path through HTTP: chat → handoff → consent → ticket → staff reply → requester reads it."""
from __future__ import annotations

import re

import pytest

from helpdesk.audit.models import AuditEvent
from helpdesk.extensions import db
from helpdesk.tickets import ConsentRecord, Ticket
from helpdesk.tickets.consent import TEXT_HASH, VERSION

JST_QUESTION = "採択済みのASPIRE課題で研究体制を変更したいので、JSTの担当者に手続きを相談したいです"


@pytest.fixture
def ask(api_headers):
    def _ask(client, question: str) -> tuple[str, int]:
        """Ask through the JSON API; returns (conversation id, id of the answer offering the handoff)."""
        response = client.post("/api/v1/ask", json={"question": question}, headers=api_headers(client))
        assert response.status_code == 200, response.get_json()
        conversation_id = response.get_json()["conversation_id"]
        fragment = client.get(f"/conversations/{conversation_id}/messages").get_data(as_text=True)
        message_id = re.search(r'name="message_id" value="(\d+)"', fragment)
        assert message_id, "the answer offers no handoff form"
        return conversation_id, int(message_id.group(1))

    return _ask


def _tickets(app) -> list[Ticket]:
    with app.app_context():
        return Ticket.query.all()


def test_chat_handoff_consent_jst_reply_seen_by_requester(app, search_service, new_user, client_as, audit_chain_ok,
                                                          csrf_token, ask, consent_form):
    new_user(app, "researcher@example.jp")
    new_user(app, "jst@example.jp", "fa_agent", "jst")
    researcher = client_as(app, "researcher@example.jp")

    conversation_id, message_id = ask(researcher, JST_QUESTION)
    handed = researcher.post("/handoff", data={"csrf_token": csrf_token(researcher, "/"),
                                               "conversation_id": conversation_id, "message_id": message_id})
    assert handed.status_code == 303
    assert handed.location.endswith("/tickets/new")

    page = researcher.get("/tickets/new").get_data(as_text=True)
    assert JST_QUESTION in page
    assert "科学技術振興機構（JST）" in page
    form = consent_form(researcher)

    refused = researcher.post("/tickets/new", data=form)  # no consent ticked
    assert refused.status_code == 400
    assert "同意" in refused.get_data(as_text=True)
    assert JST_QUESTION in refused.get_data(as_text=True)
    assert _tickets(app) == []

    sent = researcher.post("/tickets/new", data={**form, "agree": "y", "declare": "y"})
    assert sent.status_code == 303
    confirmation = researcher.get(sent.location).get_data(as_text=True)
    [ticket] = _tickets(app)
    assert ticket.ref in confirmation
    assert (ticket.queue, ticket.status, ticket.priority) == ("jst", "new", "normal")
    assert (ticket.conversation_id, ticket.message_id) == (conversation_id, message_id)
    with app.app_context():
        consent = ConsentRecord.query.one()
        assert (consent.ticket_id, consent.version, consent.text_hash) == (ticket.id, VERSION, TEXT_HASH)
        assert AuditEvent.query.filter_by(action="consent.given").count() == 1

    agent = client_as(app, "jst@example.jp")
    dashboard = agent.get("/staff/").get_data(as_text=True)
    assert ticket.ref in dashboard
    detail = agent.get(f"/staff/tickets/{ticket.ref}").get_data(as_text=True)
    assert JST_QUESTION in detail
    assert "ASPIRE" in detail
    reply = agent.post(f"/staff/tickets/{ticket.ref}/reply",
                       data={"csrf_token": csrf_token(agent, f"/staff/tickets/{ticket.ref}"),
                             "reply-body": "体制変更は所定の様式でご申請ください。"})
    assert reply.status_code == 303

    seen = researcher.get(f"/tickets/{ticket.ref}").get_data(as_text=True)
    assert "体制変更は所定の様式でご申請ください。" in seen
    api = researcher.get(f"/api/v1/tickets/{ticket.ref}").get_json()
    assert api["status"] == "waiting"
    assert api["messages"][0]["from"] == "staff"
    with app.app_context():
        assert Ticket.query.one().first_response_at is not None
    assert audit_chain_ok(app)


def test_anonymous_handoff_keeps_the_question_through_login(app, search_service, new_user, client_as, csrf_token,
                                                            consent_form, password):
    new_user(app, "later@example.jp")
    visitor = client_as(app, None)
    question = "Where can I find the checklist for research institutions?"
    response = visitor.post("/handoff", data={"csrf_token": csrf_token(visitor, "/"), "question": question})
    assert response.status_code == 303
    assert "/login?next=/tickets/new" in response.location

    logged_in = visitor.post("/login", data={"csrf_token": csrf_token(visitor, "/login"), "email": "later@example.jp",
                                             "password": password, "next": "/tickets/new"})
    assert logged_in.location.endswith("/tickets/new")
    page = visitor.get("/tickets/new").get_data(as_text=True)
    assert question in page
    form = consent_form(visitor)
    assert form["question"] == question
    assert form["routed"]
    sent = visitor.post("/tickets/new", data={**form, "agree": "y", "declare": "y"})
    assert sent.status_code == 303
    [ticket] = _tickets(app)
    assert ticket.question == question
    assert ticket.queue == "desk"
    my_tickets = visitor.get("/tickets").get_data(as_text=True)
    assert set(re.findall(r"RS-\w+", my_tickets)) == {ticket.ref}
    assert "送信前の質問があります" not in my_tickets


def test_a_2000_character_question_survives_login_without_a_large_cookie(app, search_service, new_user, client_as,
                                                                         csrf_token, consent_form, password):
    from helpdesk.tickets.models import PendingHandoff

    new_user(app, "long@example.jp")
    visitor = client_as(app, None)
    question = ("研究データの管理と共同研究先への共有について相談します。" * 80)[:2000]  # ~6 KB of UTF-8
    response = visitor.post("/handoff", data={"csrf_token": csrf_token(visitor, "/"), "question": question})
    assert response.status_code == 303
    assert "/login?next=/tickets/new" in response.location
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies
    assert all(len(c.encode()) < 1024 for c in cookies)

    visitor.post("/login", data={"csrf_token": csrf_token(visitor, "/login"), "email": "long@example.jp",
                                 "password": password, "next": "/tickets/new"})
    form = consent_form(visitor)
    assert form["question"] == question
    assert visitor.post("/tickets/new", data={**form, "agree": "y", "declare": "y"}).status_code == 303
    [ticket] = _tickets(app)
    assert ticket.question == question
    with app.app_context():
        assert PendingHandoff.query.count() == 0  # used up with the ticket


def test_a_pending_question_expires_after_a_day_and_an_oversized_one_is_refused(app, search_service, new_user,
                                                                                client_as, csrf_token):
    from datetime import timedelta

    from helpdesk.tickets.models import PendingHandoff

    new_user(app, "slow@example.jp")
    client = client_as(app, "slow@example.jp")
    too_long = client.post("/handoff", data={"csrf_token": csrf_token(client, "/"), "question": "あ" * 2001})
    assert too_long.status_code == 400
    assert "2000" in too_long.get_data(as_text=True)
    client.post("/handoff", data={"csrf_token": csrf_token(client, "/"), "question": "昨日の質問です"})
    assert "昨日の質問です" in client.get("/tickets/new").get_data(as_text=True)
    with app.app_context():
        pending = PendingHandoff.query.one()
        pending.created_at -= timedelta(days=1, minutes=1)
        db.session.commit()
    assert "昨日の質問です" not in client.get("/tickets/new").get_data(as_text=True)


def test_an_edited_question_shows_its_new_destination_before_sending(app, search_service, new_user, client_as,
                                                                     csrf_token, consent_form):
    new_user(app, "editor@example.jp")
    client = client_as(app, "editor@example.jp")
    client.post("/handoff", data={"csrf_token": csrf_token(client, "/"), "question": "研究セキュリティとは何ですか"})
    form = consent_form(client)
    edited = {**form, "question": "研究室のサーバーから未公開の研究データが持ち出されました。至急対応したい。",
              "agree": "y", "declare": "y"}
    shown = client.post("/tickets/new", data=edited)
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert _tickets(app) == []
    assert "緊急" in page
    assert edited["question"] in page
    assert 'checked' in page
    routed = re.search(r'name="routed"[^>]*value="([^"]*)"', page).group(1)
    sent = client.post("/tickets/new", data={**edited, "routed": routed})
    assert sent.status_code == 303
    [ticket] = _tickets(app)
    assert (ticket.queue, ticket.priority, ticket.programme_fa) == ("emergency", "urgent", "fa-triage")


def test_api_refuses_a_ticket_without_consent(app, search_service, new_user, client_as, api_headers):
    new_user(app, "api@example.jp")
    client = client_as(app, "api@example.jp")
    headers = api_headers(client)
    question = {"question": "How do I declare foreign funding?"}
    for consent in (None, {}, {"version": VERSION, "agree": True}, {"version": VERSION, "agree": True, "declare": False},
                    {"version": VERSION, "agree": "yes", "declare": True}):
        body = question if consent is None else {**question, "consent": consent}
        response = client.post("/api/v1/tickets", json=body, headers=headers)
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "consent_required"
    stale = client.post("/api/v1/tickets", json={**question, "consent": {"version": "1999", "agree": True,
                                                                         "declare": True}}, headers=headers)
    assert stale.status_code == 400
    assert stale.get_json()["error"]["code"] == "consent_version"
    no_csrf = client.post("/api/v1/tickets", json={**question, "consent": {"version": VERSION, "agree": True,
                                                                           "declare": True}})
    assert no_csrf.status_code == 400
    assert no_csrf.get_json()["error"]["code"] == "csrf_failed"
    assert _tickets(app) == []

    created = client.post("/api/v1/tickets", json={**question, "consent": {"version": VERSION, "agree": True,
                                                                           "declare": True}}, headers=headers)
    assert created.status_code == 201
    assert created.get_json()["ref"] == _tickets(app)[0].ref


def test_requester_follow_up_reopens_an_answered_ticket(app, new_user, make_ticket, csrf_token, client_as):
    owner = new_user(app, "owner@example.jp")
    new_user(app, "desk@example.jp", "desk_agent")
    ref = make_ticket(app, owner, "desk")
    agent, researcher = client_as(app, "desk@example.jp"), client_as(app, "owner@example.jp")
    token = csrf_token(agent, f"/staff/tickets/{ref}")
    agent.post(f"/staff/tickets/{ref}/reply", data={"csrf_token": token, "reply-body": "Here is the answer."})
    agent.post(f"/staff/tickets/{ref}/status", data={"csrf_token": token, "status": "answered"})

    empty = researcher.post(f"/tickets/{ref}/messages", data={"csrf_token": csrf_token(researcher, f"/tickets/{ref}"),
                                                              "body": "  "})
    assert empty.status_code == 400
    followed = researcher.post(f"/tickets/{ref}/messages",
                               data={"csrf_token": csrf_token(researcher, f"/tickets/{ref}"), "body": "One more thing"})
    assert followed.status_code == 303
    with app.app_context():
        ticket = Ticket.query.one()
        assert ticket.status == "in_progress"
        assert [e.kind for e in ticket.entries] == ["reply", "followup"]
        assert db.session.query(AuditEvent).filter_by(action="ticket.replied").count() == 2


def test_a_closed_ticket_takes_no_follow_up_but_keeps_the_text(app, new_user, make_ticket, client_as, csrf_token,
                                                               api_headers):
    owner = new_user(app, "closed@example.jp")
    new_user(app, "desk2@example.jp", "desk_agent")
    ref = make_ticket(app, owner, "desk")
    agent = client_as(app, "desk2@example.jp")
    token = csrf_token(agent, f"/staff/tickets/{ref}")
    agent.post(f"/staff/tickets/{ref}/reply", data={"csrf_token": token, "reply-body": "Answer"})
    for status in ("answered", "closed"):
        assert agent.post(f"/staff/tickets/{ref}/status", data={"csrf_token": token, "status": status}).status_code == 303
    researcher = client_as(app, "closed@example.jp")
    refused = researcher.post(f"/tickets/{ref}/messages",
                              data={"csrf_token": csrf_token(researcher, f"/tickets/{ref}"), "body": "Still there?"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "完了しています" in page
    assert "Still there?" in page
    refused_api = researcher.post(f"/api/v1/tickets/{ref}/replies", json={"body": "Hello?"},
                                  headers=api_headers(researcher))
    assert refused_api.status_code == 409
    assert refused_api.get_json()["error"]["code"] == "closed"


def test_one_ticket_per_chat_message_through_the_api_and_the_handoff_form(app, search_service, new_user, client_as,
                                                                          api_headers, csrf_token):
    new_user(app, "twice@example.jp")
    researcher = client_as(app, "twice@example.jp")
    asked = researcher.post("/api/v1/ask", json={"question": JST_QUESTION}, headers=api_headers(researcher))
    conversation_id, message_id = asked.get_json()["conversation_id"], asked.get_json()["message_id"]
    consent = {"version": VERSION, "agree": True, "declare": True}
    body = {"conversation_id": conversation_id, "message_id": message_id, "consent": consent}

    first = researcher.post("/api/v1/tickets", json=body, headers=api_headers(researcher))
    second = researcher.post("/api/v1/tickets", json=body, headers=api_headers(researcher))
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["ref"] == second.get_json()["ref"]

    handed = researcher.post("/handoff", data={"csrf_token": csrf_token(researcher, "/"),
                                               "conversation_id": conversation_id, "message_id": message_id})
    assert handed.status_code == 303
    assert handed.location.endswith(f"/tickets/{first.get_json()['ref']}")
    assert "既に担当者に引き継がれています" in researcher.get(handed.location).get_data(as_text=True)
    assert len(_tickets(app)) == 1


def test_the_database_refuses_a_second_ticket_for_one_message(app, new_user, routes):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from helpdesk.accounts.models import User
    from helpdesk.tickets import service

    owner = new_user(app, "unique@example.jp")
    with app.app_context():
        user = db.session.get(User, owner)
        service.create_ticket(user, "Q", routes["desk"], lang="en", consent_lang="en",
                              conversation_id="c1", message_id=7)
        db.session.commit()

        def the_same_ticket_again():
            service.create_ticket(user, "Q", routes["desk"], lang="en", consent_lang="en",
                                  conversation_id="c1", message_id=7)
            db.session.commit()

        with pytest.raises(IntegrityError):  # a constraint, not only the check in the views
            the_same_ticket_again()
        db.session.rollback()
        assert service.for_message("c1", 7) is not None
        assert Ticket.query.count() == 1
