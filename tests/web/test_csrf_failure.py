"""Issue 14 item 9: a CSRF failure on an HTML form gives the form back with what was typed."""
from __future__ import annotations

import re

from helpdesk.extensions import db

STALE = "IjA4ZDU0ZDM2YjU4ZTNmNzI5YjE0.stale.token"
MESSAGE = "入力した内容は残っています"


def _fresh_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_item9_ticket_form_keeps_the_question_on_a_stale_token(app, search_service, new_user, client_as, csrf_token):
    from helpdesk.tickets import Ticket

    new_user(app, "researcher@example.jp")
    researcher = client_as(app, "researcher@example.jp")
    question = "研究室に来る留学生の受入れで、事前に確認しておくべきことを教えてください"
    researcher.post("/handoff", data={"csrf_token": csrf_token(researcher, "/"), "question": question})
    page = researcher.get("/tickets/new").get_data(as_text=True)
    routed = re.search(r'name="routed"[^>]*value="([^"]*)"', page).group(1)
    typed = {"question": question + "（追記：来月来日予定）", "routed": routed, "agree": "y", "declare": "y"}

    refused = researcher.post("/tickets/new", data={**typed, "csrf_token": STALE})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert MESSAGE in body
    assert "（追記：来月来日予定）" in body
    with app.app_context():
        assert db.session.query(Ticket).count() == 0
    # The page carries a fresh token: sending again works (the edited text is routed first).
    routed = re.search(r'name="routed"[^>]*value="([^"]*)"', body).group(1)
    sent = researcher.post("/tickets/new", data={**typed, "routed": routed, "csrf_token": _fresh_token(body)})
    assert sent.status_code == 303
    with app.app_context():
        assert db.session.query(Ticket).one().question == typed["question"]


def test_item9_staff_reply_form_keeps_the_reply_on_a_stale_token(app, new_user, make_ticket, client_as):
    from helpdesk.tickets import TicketEntry

    owner = new_user(app, "owner@example.jp")
    new_user(app, "desk@example.jp", "desk_agent")
    ref = make_ticket(app, owner, "desk")
    desk = client_as(app, "desk@example.jp")
    reply = "ご質問の件、受入れ前に所属機関の窓口でご確認ください。"
    refused = desk.post(f"/staff/tickets/{ref}/reply", data={"reply-body": reply, "csrf_token": STALE})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert MESSAGE in body
    assert reply in body
    with app.app_context():
        assert db.session.query(TicketEntry).count() == 0
    sent = desk.post(f"/staff/tickets/{ref}/reply", data={"reply-body": reply, "csrf_token": _fresh_token(body)})
    assert sent.status_code == 303
    # Another queue's ticket stays invisible on this path too.
    new_user(app, "jst@example.jp", "fa_agent", "jst")
    jst = client_as(app, "jst@example.jp")
    assert jst.post(f"/staff/tickets/{ref}/reply", data={"reply-body": "x", "csrf_token": STALE}).status_code == 404


def test_item9_curation_editor_keeps_the_entry_on_a_stale_token(app, new_user, client_as):
    from helpdesk.curation.models import FaqEntry

    new_user(app, "curator@example.jp", "curator")
    new_user(app, "desk@example.jp", "desk_agent")
    curator = client_as(app, "curator@example.jp")
    typed = {"question": "学内の相談窓口はどこですか", "alternatives": "相談先を知りたい",
             "answer": "**研究推進部**にご相談ください。", "lang": "ja", "tags": "窓口", "related": ""}
    refused = curator.post("/curation/new", data={**typed, "csrf_token": STALE})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert MESSAGE in body
    assert all(value in body for value in ("学内の相談窓口はどこですか", "相談先を知りたい", "**研究推進部**にご相談ください。"))
    with app.app_context():
        assert db.session.query(FaqEntry).count() == 0
    assert curator.post("/curation/new", data={**typed, "csrf_token": _fresh_token(body)}).status_code == 303
    # The role check still runs first: a desk agent gets no editor.
    desk = client_as(app, "desk@example.jp")
    assert desk.post("/curation/new", data={**typed, "csrf_token": STALE}).status_code == 403


def test_item9_other_forms_explain_and_never_echo_a_password(app, new_user):
    new_user(app, "researcher@example.jp")
    visitor = app.test_client()
    refused = visitor.post("/login?lang=en", data={"email": "researcher@example.jp", "password": "s3cret-typed-pass",
                                                   "csrf_token": STALE})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "s3cret-typed-pass" not in body
    assert "open too long" in body
    api = visitor.post("/api/v1/tickets", json={"question": "x"}, headers={"X-CSRFToken": STALE})
    assert api.status_code in (400, 401)
    assert api.is_json
