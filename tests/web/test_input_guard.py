"""A control character no field may hold is a 400 before any view or query runs (helpdesk.web.input_guard):
PostgreSQL refuses a NUL in a text parameter, so one reaching a query was a 500 there (SQLite stores it).

Run on both databases: `bash scripts/with-postgres.sh .venv/bin/python -m pytest tests/web/test_input_guard.py`.
"""
from __future__ import annotations

import pytest

NUL = "\x00"


@pytest.fixture
def desk(app, new_user, make_ticket, client_as, csrf_token, api_headers):
    """A desk ticket of a researcher, and clients (logged in, and an anonymous visitor) with their CSRF tokens and
    API headers."""
    owner = new_user(app, "owner@example.jp")
    new_user(app, "desk@example.jp", "desk_agent")
    new_user(app, "curator@example.jp", "curator")
    new_user(app, "admin@example.jp", "admin")
    clients = {name: client_as(app, f"{name}@example.jp") for name in ("owner", "desk", "curator", "admin")}
    clients["anonymous"] = client_as(app, None)
    return {"ref": make_ticket(app, owner, "desk"), "clients": clients,
            "tokens": {name: csrf_token(client, "/") for name, client in clients.items()},
            "api": {name: api_headers(client) for name, client in clients.items()}}


def _state(app) -> tuple[int, int]:
    """How many audit events and ticket entries there are: a refused request adds neither."""
    from helpdesk.audit import AuditEvent
    from helpdesk.extensions import db
    from helpdesk.tickets.models import TicketEntry

    with app.app_context():
        return (db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)),
                db.session.scalar(db.select(db.func.count()).select_from(TicketEntry)))


def _refused_page(response) -> str:
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def _refused_json(response, code: str = "control_character") -> str:
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.is_json
    assert response.get_json()["error"]["code"] == code
    return response.get_json()["error"]["message"]


PAGES_WITH_A_NUL = [
    # (who, method, URL, form fields): path, query string and form fields of staff, requester and curation pages
    ("desk", "GET", "/staff/tickets/RS-%00", None),
    ("desk", "GET", "/staff/?status=open%00", None),
    ("desk", "POST", "/staff/tickets/{ref}/reply", {"reply-body": "答えです\x00"}),
    ("desk", "POST", "/staff/tickets/{ref}/note", {"note-body": "メモ", "note-\x00": "x"}),
    ("owner", "GET", "/tickets/%00", None),
    ("owner", "GET", "/conversations/%00/messages", None),
    ("owner", "GET", "/tickets?status=%00", None),
    ("owner", "POST", "/tickets/{ref}/messages", {"body": "追記\x00です"}),
    ("owner", "POST", "/", {"question": "研究セキュリティとは\x00"}),
    ("anonymous", "POST", "/login", {"email": "owner\x00@example.jp", "password": "x"}),
    ("anonymous", "GET", "/verify/%00", None),
    ("anonymous", "GET", "/emergency/claim/abc%00", None),
    ("curator", "GET", "/curation/?status=%00", None),
    ("curator", "GET", "/curation/new?source=chat:%00", None),
    ("curator", "POST", "/curation/tickets/RS-%00/draft", {}),
    ("curator", "POST", "/curation/new", {"question": "質問\x00", "answer": "回答", "slug": "nul-entry"}),
    ("admin", "GET", "/admin/audit?object_id=%00", None),
    ("admin", "GET", "/admin/audit.csv?action=ticket%00", None),
    ("admin", "GET", "/docs/guideline%1f", None),  # no path part holds any control character
    ("admin", "GET", "/admin/audit?object_id=1%07", None),  # nor any query parameter
]


@pytest.mark.parametrize(("who", "method", "url", "form"), PAGES_WITH_A_NUL)
def test_a_control_character_in_a_page_request_is_a_friendly_400_that_changes_nothing(app, desk, who, method, url,
                                                                                        form):
    client, token = desk["clients"][who], desk["tokens"][who]
    before = _state(app)
    url = url.format(ref=desk["ref"])
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": token, **form})
    page = _refused_page(response)
    assert "制御文字" in page
    assert "U+00" in page
    assert NUL not in page
    assert _state(app) == before


def test_the_page_speaks_the_request_language_and_names_the_field(app, desk):
    page = _refused_page(desk["clients"]["desk"].post(f"/staff/tickets/{desk['ref']}/reply?lang=en", data={
        "csrf_token": desk["tokens"]["desk"], "reply-body": "Answer\x00"}))
    assert "The form field “reply-body” contains a control character (U+0000)" in page
    assert "Back to the previous page" in page


def test_a_form_whose_csrf_token_expired_is_refused_for_its_nul_all_the_same(app, desk):
    """The CSRF failure's handler re-runs the form view (helpdesk.web.csrf_failure): the guard runs first."""
    before = _state(app)
    page = _refused_page(desk["clients"]["curator"].post("/curation/new", data={
        "csrf_token": "expired", "question": "質問\x00", "answer": "回答", "slug": "nul-entry"}))
    assert "フォームの項目「question」に制御文字（U+0000）が含まれています" in page
    assert _state(app) == before


API_WITH_A_NUL = [
    ("owner", "GET", "/api/v1/tickets/RS-%00", None),
    ("owner", "GET", "/api/v1/tickets?status=%00", None),
    ("owner", "POST", "/api/v1/tickets", '{"question": "質問\\u0000", "consent": {"agree": true, "declare": true}}'),
    ("owner", "POST", "/api/v1/tickets/{ref}/replies", '{"body": "追記\\u0000"}'),
    ("desk", "POST", "/api/v1/tickets/{ref}/replies", '{"body": "回答", "x\\u0000": 1}'),
    ("anonymous", "POST", "/api/v1/ask", '{"question": "研究セキュリティとは\\u0000"}'),
    ("anonymous", "POST", "/api/v1/ask", '{"question": "研究セキュリティとは", "conversation_id": "\\u0000"}'),
    ("anonymous", "POST", "/api/v1/feedback", '{"conversation_id": "c", "message_id": 1, "helpful": true, '
                                              '"comment": ["nested \\u0000"]}'),
]


@pytest.mark.parametrize(("who", "method", "url", "body"), API_WITH_A_NUL)
def test_a_control_character_in_an_api_request_is_a_json_400_that_changes_nothing(app, desk, who, method, url, body):
    client, headers = desk["clients"][who], desk["api"][who]
    before = _state(app)
    url = url.format(ref=desk["ref"])
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, data=body, content_type="application/json", headers=headers)
    assert "U+0000" in _refused_json(response)
    assert _state(app) == before


def test_the_api_message_names_the_json_field_in_the_request_language(app, desk):
    client = desk["clients"]["owner"]
    response = client.post(f"/api/v1/tickets/{desk['ref']}/replies?lang=en", data='{"body": "a\\u0000"}',
                           content_type="application/json", headers=desk["api"]["owner"])
    assert _refused_json(response) == ("The JSON field “body” contains a control character (U+0000), which no field "
                                       "may hold. Remove it and send again.")


def test_the_search_api_keeps_its_own_code_for_a_nul_in_its_query(app, client):
    response = client.get("/api/v1/search?lang=en&q=abc%00def")
    assert response.get_json() == {"error": {"code": "nul_character", "message": "the query contains a NUL character"}}
    assert _refused_json(client.get("/api/v1/search?q=abc&x=%00"))  # any other parameter is the guard's


def test_tabs_and_line_ends_of_a_textarea_are_kept_and_other_controls_removed(app, desk):
    from helpdesk.extensions import db
    from helpdesk.tickets.models import Ticket

    response = desk["clients"]["desk"].post(f"/staff/tickets/{desk['ref']}/reply", data={
        "csrf_token": desk["tokens"]["desk"], "reply-body": "一行目\r\n\t二行目\x07"})
    assert response.status_code == 303
    with app.app_context():
        ticket = db.session.scalar(db.select(Ticket).where(Ticket.ref == desk["ref"]))
        assert [entry.body for entry in ticket.entries if entry.kind == "reply"] == ["一行目\n\t二行目"]


def test_a_nul_in_a_cookie_is_no_error(app, desk):
    """Cookies are not checked (none reaches a query): a bad one is ignored as an unsigned or unknown value."""
    client = desk["clients"]["owner"]
    for name in ("session", "helpdesk_lang", "remember_token"):
        client.set_cookie(name, "x\x00y")
        assert client.get("/tickets").status_code in (200, 302), name
        assert client.get("/api/v1/tickets").status_code in (200, 401), name


def test_a_nul_in_the_front_matter_of_an_imported_faq_file_is_removed(app, tmp_path):
    from helpdesk.curation.models import FaqEntry
    from helpdesk.extensions import db

    (tmp_path / "nul.md").write_text('---\nid: nul-entry\nquestion: "窓口は\\0どこですか"\nalternatives: ["相談\\0先"]\n'
                                     'tags: ["受入\\0れ"]\n---\n回答です\x00。\n', encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["faq", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        revision = db.session.scalar(db.select(FaqEntry).where(FaqEntry.slug == "nul-entry")).current
        assert (revision.question, revision.alternatives, revision.tags, revision.answer) == (
            "窓口はどこですか", ["相談先"], ["受入れ"], "回答です。")
