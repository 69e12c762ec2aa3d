"""Emergencies first: guidance without login, the no-login report, its mails, claiming it, and its limits."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from helpdesk.audit.models import AuditEvent
from helpdesk.extensions import db
from helpdesk.mail import OutboxMessage, deliver_due
from helpdesk.tickets import ConsentRecord, Ticket
from helpdesk.tickets.emergency import VERSION as EMERGENCY_CONSENT
from helpdesk.triage.models import RoutingExample

EMERGENCY = "ASPIREの共同研究で扱っている重要な技術データが外部に流出したことが今朝わかりました。今すぐどうすればよいですか？"
OFF_TOPIC_PROVISION = ("研究費を受給", "応募制限")  # I 3-2 (6), beside the emergency item in the same passage
CONTACT_PROVISION = "緊急事態が発生した際の連絡・対応体制の整備"


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'class="emergency-form".*?name="{name}" value="([^"]*)"', page, re.S)
    assert found, f"no {name} in the emergency form"
    return found.group(1)


@pytest.fixture
def report(csrf_token):
    def _report(client, **fields):
        return client.post("/emergency/", data={"csrf_token": csrf_token(client, "/emergency/"), **fields})

    return _report


def test_an_emergency_question_reaches_the_fa_and_the_cabinet_office_without_login(app, search_service, smtp_server,
                                                                                   new_user, client_as, csrf_token,
                                                                                   report):
    app.config["HELPDESK_SMTP_URL"] = smtp_server.url
    new_user(app, "desk@example.jp", "desk_agent")
    new_user(app, "cao@example.jp", "ministry_agent", "cao")
    visitor = client_as(app, None)

    asked = visitor.post("/", data={"csrf_token": csrf_token(visitor, "/"), "question": EMERGENCY})
    assert asked.status_code == 303
    page = visitor.get("/").get_data(as_text=True)
    assert 'action="/emergency/"' in page
    assert CONTACT_PROVISION in page
    assert "重要技術の流出等の緊急事態発生時の連絡体制の整備" in page  # the institution's duty too
    assert not any(words in page for words in OFF_TOPIC_PROVISION)
    assert "/login" not in re.search(r'class="emergency-answer".*?</form>', page, re.S).group(0)
    conversation_id, message_id = _hidden(page, "conversation_id"), _hidden(page, "message_id")
    prefilled = re.search(r'<textarea id="what-m\d+" name="what"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert prefilled == EMERGENCY

    sent = report(visitor, contact="reporter@example.jp", what=prefilled, agree="y",
                   conversation_id=conversation_id, message_id=message_id)
    assert sent.status_code == 303
    assert sent.location.endswith("/emergency/received")
    received = visitor.get(sent.location).get_data(as_text=True)
    with app.app_context():
        ticket = Ticket.query.one()
        ref, fa = ticket.ref, ticket.programme_fa
        assert (ticket.queue, ticket.priority, ticket.owner_id, ticket.contact_email) == (
            "emergency", "urgent", None, "reporter@example.jp")
        assert (ticket.conversation_id, ticket.message_id) == (conversation_id, int(message_id))
        consent = ConsentRecord.query.one()
        assert (consent.user_id, consent.version) == (None, EMERGENCY_CONSENT)
        created = AuditEvent.query.filter_by(action="ticket.created", object_id=ref).one()
        assert created.actor_id is None
        assert created.details["account"] is False
        assert "reporter@example.jp" not in str(created.details)
    assert ref in received

    with app.app_context():
        assert deliver_due().get("sent") == 5
    expected = {"desk@example.jp", "cao@example.jp", f"emergency-{fa}@example.jp", "emergency-cao@example.jp",
                "reporter@example.jp"}
    assert {a for m in smtp_server.messages for a in m.to} == expected
    for address in expected - {"reporter@example.jp"}:
        [alert] = smtp_server.to(address)
        assert "緊急" in alert.subject
        assert ref in alert.subject
        assert alert.lang == "ja"
        assert f"/staff/tickets/{ref}" in alert.body
        assert "流出" not in alert.subject
        assert EMERGENCY not in alert.body
        assert "reporter@" not in alert.body

    again = report(visitor, contact="reporter@example.jp", what=prefilled, agree="y",
                    conversation_id=conversation_id, message_id=message_id)
    assert again.status_code == 303
    assert ref in visitor.get(again.location).get_data(as_text=True)
    with app.app_context():
        assert Ticket.query.count() == 1
        assert OutboxMessage.query.count() == 5

    # The reporter claims it later by the link mailed to the address they gave.
    [receipt] = smtp_server.to("reporter@example.jp")
    link = urlsplit(re.search(r"http\S+/emergency/claim/\S+", receipt.body).group(0)).path
    assert EMERGENCY not in receipt.body
    assert visitor.get(link).status_code == 302  # log in (or register) first
    new_user(app, "reporter.account@example.jp")
    reporter = client_as(app, "reporter.account@example.jp")
    assert ref in reporter.get(link).get_data(as_text=True)
    claimed = reporter.post(link, data={"csrf_token": csrf_token(reporter, link)})
    assert claimed.status_code == 303
    assert claimed.location.endswith(f"/tickets/{ref}")
    assert reporter.get(f"/tickets/{ref}").status_code == 200
    assert reporter.get(link).status_code == 404  # used once
    with app.app_context():
        assert AuditEvent.query.filter_by(action="ticket.claimed", object_id=ref).count() == 1


def test_the_api_answer_carries_the_message_id_and_no_unrelated_provision(app, search_service):
    response = app.test_client().post("/api/v1/ask", json={"question": EMERGENCY})
    body = response.get_json()
    assert response.status_code == 200
    assert body["route"]["kind"] == "emergency"
    assert isinstance(body["message_id"], int)
    assert body["handoff"]["reason"] == "emergency"
    quoted = body["answer_markdown"] + " ".join(s["text"] for s in body["sources"])
    assert CONTACT_PROVISION in quoted
    assert not any(words in quoted for words in OFF_TOPIC_PROVISION)


def test_a_report_without_contact_or_consent_is_refused_keeping_the_text(app, client_as, report):
    visitor = client_as(app, None)
    what = "研究データの持ち出しが判明しました。"
    cases = [({"contact": "", "what": what, "agree": "y"}, "連絡先として"),
             ({"contact": "not a contact", "what": what, "agree": "y"}, "連絡先として"),
             ({"contact": "03-1234-5678", "what": what}, "上記への同意が必要です")]
    for fields, message in cases:
        refused = report(visitor, **fields)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400
        assert message in page
        assert what in page
    with app.app_context():
        assert Ticket.query.count() == 0


def test_a_phone_contact_is_enough_and_reports_are_rate_limited(app, new_user, client_as, report):
    new_user(app, "desk@example.jp", "desk_agent")
    visitor = client_as(app, None)
    ok = report(visitor, contact="+81 3-1234-5678", what="サーバーから設計図が流出しました。", agree="y")
    assert ok.status_code == 303
    with app.app_context():
        ticket = Ticket.query.one()
        assert (ticket.contact_phone, ticket.contact_email, ticket.queue) == ("+81 3-1234-5678", None, "emergency")
        # Staff are told; a phone-only reporter gets no mail.
        assert {m.recipient for m in OutboxMessage.query} >= {"desk@example.jp", "emergency-cao@example.jp"}
    hurried = client_as(app, None)  # its own address, and no slow request in the window
    for _ in range(3):
        assert report(hurried, contact="", what="x", agree="y").status_code == 400
    limited = report(hurried, contact="", what="typed before the limit", agree="y")
    page = limited.get_data(as_text=True)
    assert limited.status_code == 429
    assert "報告が多すぎます" in page
    assert "typed before the limit" in page
    assert CONTACT_PROVISION in page  # the guidance is still there


def test_a_staff_reply_to_an_unclaimed_report_mails_the_claim_link(app, new_user, client_as, csrf_token, report):
    new_user(app, "desk@example.jp", "desk_agent")
    visitor = client_as(app, None)
    report(visitor, contact="someone@example.jp", what="重要な試料が盗まれました。", agree="y", )
    with app.app_context():
        ref = Ticket.query.one().ref
    agent = client_as(app, "desk@example.jp")
    page = agent.get(f"/staff/tickets/{ref}").get_data(as_text=True)
    assert "someone@example.jp" in page
    assert "相談者（アカウントなし）" in page
    agent.post(f"/staff/tickets/{ref}/reply", data={"csrf_token": csrf_token(agent, f"/staff/tickets/{ref}"),
                                                   "reply-body": "Please call us."})
    with app.app_context():
        [reply] = OutboxMessage.query.filter_by(kind="ticket.reply").all()
        assert reply.recipient == "someone@example.jp"
        assert "/emergency/claim/" in reply.body_text
        assert "Please call us." not in reply.body_text
        db.session.rollback()


def test_an_unclaimed_report_can_be_rerouted_and_teaches_triage_without_its_contact(app, new_user, client_as, csrf_token,
                                                                                  report):
    new_user(app, "desk@example.jp", "desk_agent")
    visitor = client_as(app, None)
    report(visitor, contact="someone@example.jp", what="重要な試料が盗まれました。someone@example.jp へ連絡ください。",
            agree="y")
    with app.app_context():
        ref = Ticket.query.one().ref
    agent = client_as(app, "desk@example.jp")
    moved = agent.post(f"/staff/tickets/{ref}/reroute", data={
        "csrf_token": csrf_token(agent, f"/staff/tickets/{ref}"), "queue": "desk", "reason": "not an emergency"})
    assert moved.status_code == 303  # the report has no account: its contact stands for the requester
    with app.app_context():
        assert Ticket.query.one().queue == "desk"
        example = RoutingExample.query.one()
        assert (example.kind, example.queue) == ("desk", "desk")
        assert "someone@example.jp" not in example.question
        assert "重要な試料が盗まれました。" in example.question
