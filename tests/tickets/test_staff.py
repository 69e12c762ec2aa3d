"""Staff actions on tickets: lifecycle rules, reroute (learning + visibility), emergencies, notes, audit."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from helpdesk.audit.models import AuditEvent
from helpdesk.extensions import db
from helpdesk.tickets import Ticket, TicketError, TicketNotification
from helpdesk.tickets.lifecycle import TRANSITIONS, check_transition, status_label
from helpdesk.triage.models import RoutingExample


@pytest.fixture
def people(app, new_user):
    return {
        "owner": new_user(app, "owner@example.jp"),
        "desk": new_user(app, "desk@example.jp", "desk_agent"),
        "amed": new_user(app, "amed@example.jp", "fa_agent", "amed"),
        "jst": new_user(app, "jst@example.jp", "fa_agent", "jst"),
        "cao": new_user(app, "cao@example.jp", "ministry_agent", "cao"),
    }


@pytest.fixture
def staff_post(csrf_token):
    def _post(client, ref: str, action: str, **data):
        token = csrf_token(client, f"/staff/tickets/{ref}")
        return client.post(f"/staff/tickets/{ref}/{action}", data={"csrf_token": token, **data})

    return _post


def _ticket(app, ref: str) -> Ticket:
    with app.app_context():
        ticket = db.session.query(Ticket).filter_by(ref=ref).one()
        db.session.expunge(ticket)
        return ticket


@pytest.mark.parametrize(("current", "target"), [
    ("new", "answered"), ("new", "closed"), ("in_progress", "closed"), ("in_progress", "new"),
    ("waiting", "new"), ("closed", "in_progress"), ("closed", "waiting"), ("closed", "answered"),
    ("answered", "new"),
])
def test_invalid_transitions_are_refused_naming_the_allowed_ones(current, target):
    with pytest.raises(TicketError) as caught:
        check_transition(current, target)
    message = str(caught.value)  # in words, not codes
    assert f"cannot become {status_label(target, 'en')}" in message
    assert "_" not in message
    for allowed in TRANSITIONS[current]:
        assert status_label(allowed, "en") in message


def test_lifecycle_through_the_staff_pages(app, people, search_service, make_ticket, client_as, audit_chain_ok,
                                           staff_post):
    ref = make_ticket(app, people["owner"], "desk")
    agent = client_as(app, "desk@example.jp")

    skipped = staff_post(agent, ref, "status", status="answered")
    assert skipped.status_code == 409
    assert "「回答済み」には変更できません" in skipped.get_data(as_text=True)
    assert staff_post(agent, ref, "status", status="in_progress").status_code == 303
    taken = _ticket(app, ref)
    assert (taken.status, taken.assignee_id) == ("in_progress", people["desk"])

    no_reply = staff_post(agent, ref, "status", status="answered")
    assert no_reply.status_code == 409
    assert "相談者への回答を送ってください" in no_reply.get_data(as_text=True)

    typed = "x" * 5001
    too_long = staff_post(agent, ref, "reply", **{"reply-body": typed})
    assert too_long.status_code == 400
    assert typed in too_long.get_data(as_text=True)
    assert staff_post(agent, ref, "reply", **{"reply-body": "The answer."}).status_code == 303
    assert staff_post(agent, ref, "status", status="answered").status_code == 303
    assert staff_post(agent, ref, "status", status="closed").status_code == 303
    closed = _ticket(app, ref)
    assert closed.status == "closed"
    assert closed.answered_at
    assert closed.closed_at
    assert closed.first_response_at
    assert closed.first_response_at <= closed.answered_at <= closed.closed_at

    again = staff_post(agent, ref, "reply", **{"reply-body": "Late addition"})
    assert again.status_code == 409
    assert "Late addition" in again.get_data(as_text=True)
    assert staff_post(agent, ref, "status", status="in_progress").status_code == 409

    with app.app_context():
        actions = [e.action for e in AuditEvent.query.filter_by(object_type="ticket", object_id=ref)]
        assert {"ticket.created", "ticket.status_changed", "ticket.replied", "ticket.closed"} <= set(actions)
        for event in AuditEvent.query.filter(AuditEvent.action.like("ticket.%")):
            assert "The answer." not in str(event.details)
            assert "Question for desk" not in str(event.details)
    assert audit_chain_ok(app)


def test_notes_are_internal(app, people, search_service, make_ticket, client_as, staff_post):
    ref = make_ticket(app, people["owner"], "desk")
    agent, owner = client_as(app, "desk@example.jp"), client_as(app, "owner@example.jp")
    assert staff_post(agent, ref, "note", **{"note-body": "Called the institution, waiting."}).status_code == 303
    assert "Called the institution" in agent.get(f"/staff/tickets/{ref}").get_data(as_text=True)
    assert "Called the institution" not in owner.get(f"/tickets/{ref}").get_data(as_text=True)
    api = owner.get(f"/api/v1/tickets/{ref}").get_json()
    assert "notes" not in api
    assert api["messages"] == []
    assert agent.get(f"/api/v1/tickets/{ref}").get_json()["notes"][0]["body"] == "Called the institution, waiting."
    with app.app_context():
        assert AuditEvent.query.filter_by(action="ticket.noted", object_id=ref).count() == 1


def test_reroute_teaches_triage_and_moves_visibility(app, people, search_service, make_ticket, audit_chain_ok,
                                                     client_as, staff_post):
    ref = make_ticket(app, people["owner"], "desk", question="Our AMED project wants to add a partner abroad.")
    desk, amed = client_as(app, "desk@example.jp"), client_as(app, "amed@example.jp")
    assert amed.get(f"/staff/tickets/{ref}").status_code == 404

    no_reason = staff_post(desk, ref, "reroute", queue="amed", reason=" ")
    assert no_reason.status_code == 400
    same = staff_post(desk, ref, "reroute", queue="desk", reason="stay")
    assert same.status_code == 409
    moved = staff_post(desk, ref, "reroute", queue="amed", reason="AMED programme")
    assert moved.status_code == 303
    assert moved.location.endswith("/staff/")

    assert desk.get(f"/staff/tickets/{ref}").status_code == 404
    assert ref not in desk.get("/staff/").get_data(as_text=True)
    page = amed.get(f"/staff/tickets/{ref}").get_data(as_text=True)
    assert "AMED programme" in page  # the reason is in the history
    with app.app_context():
        example = RoutingExample.query.one()
        assert (example.question, example.kind, example.queue, example.created_by) == (
            "Our AMED project wants to add a partner abroad.", "fa", "amed", people["desk"])
        event = AuditEvent.query.filter_by(action="ticket.rerouted").one()
        assert event.details["from_queue"] == "desk"
        assert event.details["to_queue"] == "amed"
        assert event.details["routing_example_id"] == example.id
        assert "reason" not in event.details
    assert audit_chain_ok(app)


def test_emergencies_sort_first_and_alert_cao_and_the_programme_fa(app, people, search_service, make_ticket, client_as):
    older = make_ticket(app, people["owner"], "jst")
    urgent = make_ticket(app, people["owner"], "emergency")
    newer = make_ticket(app, people["owner"], "jst")
    with app.app_context():
        ticket = Ticket.query.filter_by(ref=urgent).one()
        assert (ticket.priority, ticket.programme_fa) == ("urgent", "jst")
        assert {n.queue for n in TicketNotification.query.filter_by(ticket_id=ticket.id)} == {"jst", "cao"}

    jst = client_as(app, "jst@example.jp")
    listed = re.findall(r'data-ref="([^"]+)"', jst.get("/staff/").get_data(as_text=True))
    assert listed == [urgent, newer, older]
    api = [t["ref"] for t in jst.get("/api/v1/tickets").get_json()["tickets"]]
    assert api == [urgent, newer, older]
    owner_list = client_as(app, "owner@example.jp").get("/api/v1/tickets").get_json()["tickets"]
    assert owner_list[0]["ref"] == urgent
    for email in ("cao@example.jp", "desk@example.jp"):
        assert client_as(app, email).get(f"/staff/tickets/{urgent}").status_code == 200
    assert client_as(app, "amed@example.jp").get(f"/staff/tickets/{urgent}").status_code == 404


def test_rerouting_into_emergency_makes_it_urgent_and_alerts(app, people, search_service, make_ticket, client_as,
                                                             staff_post):
    ref = make_ticket(app, people["owner"], "desk")
    desk = client_as(app, "desk@example.jp")
    assert staff_post(desk, ref, "reroute", queue="emergency", reason="data leaking now").status_code == 303
    with app.app_context():
        ticket = Ticket.query.filter_by(ref=ref).one()
        assert (ticket.queue, ticket.priority, ticket.programme_fa) == ("emergency", "urgent", "fa-triage")
        assert {n.queue for n in ticket.notifications} == {"fa-triage", "cao"}


def test_dashboard_counts_and_filters_cover_visible_queues_only(app, people, search_service, client_as, make_ticket):
    for queue in ("jst", "jst", "amed", "desk", "emergency"):
        make_ticket(app, people["owner"], queue)
    jst = client_as(app, "jst@example.jp")
    page = jst.get("/staff/").get_data(as_text=True)
    assert re.search(r'data-status="new">(\d+)<', page).group(1) == "3"  # 2 jst + the ASPIRE emergency
    filtered = jst.get("/staff/?queue=jst").get_data(as_text=True)
    assert re.search(r'data-status="new">(\d+)<', filtered).group(1) == "2"
    assert jst.get("/staff/?queue=amed").status_code == 404
    assert jst.get("/staff/?status=bogus").status_code == 400
    assert len(jst.get("/api/v1/tickets?queue=amed").get_json()["tickets"]) == 0


def test_every_transition_is_enforced_in_one_place_and_audited(app, people, make_ticket):
    """new → waiting (staff reply) → in_progress (requester reply) → waiting → answered → in_progress
    (requester reply) → answered → closed; and take: new → in_progress."""
    from helpdesk.accounts.models import User
    from helpdesk.tickets import service

    ref, taken_ref = make_ticket(app, people["owner"], "desk"), make_ticket(app, people["owner"], "desk")
    with app.app_context():
        agent, owner = db.session.get(User, people["desk"]), db.session.get(User, people["owner"])
        ticket = Ticket.query.filter_by(ref=ref).one()
        steps = [
            (lambda: service.reply(ticket, agent, "First answer"), "waiting"),
            (lambda: service.follow_up(ticket, owner, "But what about…"), "in_progress"),
            (lambda: service.reply(ticket, agent, "Then this."), "waiting"),
            (lambda: service.change_status(ticket, "answered", agent), "answered"),
            (lambda: service.follow_up(ticket, owner, "One more"), "in_progress"),
            (lambda: service.change_status(ticket, "answered", agent), "answered"),
            (lambda: service.change_status(ticket, "closed", agent), "closed"),
        ]
        for step, expected in steps:
            step()
            db.session.commit()
            assert ticket.status == expected
        with pytest.raises(TicketError):
            service.follow_up(ticket, owner, "After closing")
        taken = Ticket.query.filter_by(ref=taken_ref).one()
        service.change_status(taken, "in_progress", agent)
        db.session.commit()
        assert (taken.status, taken.assignee_id) == ("in_progress", agent.id)
        moves = [(e.details["from"], e.details["to"], e.details["by"])
                 for e in AuditEvent.query.filter(AuditEvent.action.in_(("ticket.status_changed", "ticket.closed")),
                                                  AuditEvent.object_id == ref).order_by(AuditEvent.seq)]
        assert moves == [("new", "waiting", "replied"), ("waiting", "in_progress", "followup"),
                         ("in_progress", "waiting", "replied"), ("waiting", "answered", "status"),
                         ("answered", "in_progress", "followup"), ("in_progress", "answered", "status"),
                         ("answered", "closed", "status")]


def test_history_reads_as_sentences_with_local_dates_in_the_readers_language(app, people, make_ticket, client_as,
                                                                             staff_post):
    from datetime import datetime

    ref = make_ticket(app, people["owner"], "desk")
    agent = client_as(app, "desk@example.jp")
    staff_post(agent, ref, "status", status="in_progress")
    staff_post(agent, ref, "reply", **{"reply-body": "Answer"})
    staff_post(agent, ref, "reroute", queue="jst", reason="JST runs the programme")
    with app.app_context():
        ticket = Ticket.query.filter_by(ref=ref).one()
        ticket.created_at = datetime(2026, 1, 1, 15, 30)  # UTC: 00:30 on 2 January in Tokyo
        db.session.commit()
    jst = client_as(app, "jst@example.jp")
    ja = jst.get(f"/staff/tickets/{ref}").get_data(as_text=True)
    history = re.search(r'<ol class="ticket-history">(.*?)</ol>', ja, re.S).group(1)
    assert "deskが状態を「新規」から「対応中」に変更しました。" in history
    assert "deskが相談者に回答を送り、状態が「対応中」から「相談者の返信待ち」になりました。" in history
    assert "「研究セキュリティ相談窓口」から「科学技術振興機構（JST）」へ転送しました。理由: JST runs the programme" in history
    assert "in_progress" not in history
    assert "→" not in history
    assert " jst" not in history
    assert "2026/01/02 0:30 (日本時間)" in ja
    en = jst.get(f"/staff/tickets/{ref}?lang=en").get_data(as_text=True)
    assert "changed the status from “New” to “In progress”." in en
    assert "Jan 2, 2026, 12:30\u202fAM (Japan Time)" in en


@pytest.mark.parametrize(("role", "queue", "landing"), [
    ("desk_agent", None, "/staff/"), ("fa_agent", "jst", "/staff/"), ("ministry_agent", "cao", "/staff/"),
    ("curator", None, "/curation/"), ("admin", None, "/admin/"), ("researcher", None, "/"),
])
def test_each_role_lands_on_its_own_area_after_login(app, role, queue, landing, new_user, client_as, login):

    new_user(app, f"{role}@example.jp", role, queue)
    client = client_as(app, None)
    response = login(client, f"{role}@example.jp", "correct horse battery")
    assert response.status_code == 302
    assert urlsplit(response.location).path == landing
    assert client.get(landing, follow_redirects=True).status_code == 200
    asked = login(client_as(app, None), f"{role}@example.jp", "correct horse battery", next_url="/docs/")
    assert asked.location.endswith("/docs/")  # an explicit next= still wins
