"""Authorisation matrix: every ticket URL and API endpoint × role × ticket queue.

Rules (helpdesk.accounts.access): anonymous visitors are sent to log in (401 for the API); roles a
page is not for get 403; a ticket outside the user's queues (or not their own, for researchers) is a
404, exactly like a ticket that does not exist; lists and counts hold only what the user may see.
"""
from __future__ import annotations

import re

import pytest

from helpdesk.accounts.service import find_by_email

QUEUES = ("desk", "jst", "amed", "cao", "meti", "emergency")  # the `routes` fixture's (ASPIRE programme → JST)
ACTORS = {  # name: (email, role, queue, tickets seen as staff)
    "anonymous": (None, None, None, set()),
    "owner": ("owner@example.jp", "researcher", None, set()),
    "other_researcher": ("other@example.jp", "researcher", None, set()),
    "desk_agent": ("desk@example.jp", "desk_agent", "desk", {"desk", "emergency"}),
    "fa_jst": ("jst@example.jp", "fa_agent", "jst", {"jst", "emergency"}),
    "fa_amed": ("amed@example.jp", "fa_agent", "amed", {"amed"}),
    "ministry_cao": ("cao@example.jp", "ministry_agent", "cao", {"cao", "emergency"}),
    "ministry_meti": ("meti@example.jp", "ministry_agent", "meti", {"meti"}),
    "curator": ("curator@example.jp", "curator", None, set()),
    "admin": ("admin@example.jp", "admin", None, set(QUEUES)),
}
STAFF = {"desk_agent", "fa_jst", "fa_amed", "ministry_cao", "ministry_meti", "admin"}


@pytest.fixture
def world(app, search_service, make_ticket, client_as, csrf_token, new_user):
    """Every actor logged in on its own client, and one ticket per queue owned by `owner`."""
    for email, role, queue, _ in ACTORS.values():
        if email:
            new_user(app, email, role, queue)
    with app.app_context():
        owner = find_by_email("owner@example.jp").id
    refs = {queue: make_ticket(app, owner, queue) for queue in QUEUES}
    clients = {name: client_as(app, spec[0]) for name, spec in ACTORS.items()}
    tokens = {name: csrf_token(client, "/") for name, client in clients.items()}
    return refs, clients, tokens


def staff_page(actor: str, queue: str, allowed: int) -> int:
    if actor == "anonymous":
        return 302
    if actor not in STAFF:
        return 403
    return allowed if queue in ACTORS[actor][3] else 404


def requester_page(actor: str, allowed: int) -> int:
    if actor == "anonymous":
        return 302
    if ACTORS[actor][1] != "researcher":
        return 403
    return allowed if actor == "owner" else 404


def api(actor: str, queue: str, allowed: int) -> int:
    if actor == "anonymous":
        return 401
    if actor == "curator":
        return 403
    if actor == "owner":
        return allowed
    if actor == "other_researcher":
        return 404
    return allowed if queue in ACTORS[actor][3] else 404


def test_every_ticket_url_and_endpoint_by_role_and_queue(app, world, audit_chain_ok):
    refs, clients, tokens = world
    failures = []
    for actor, client in clients.items():
        token = tokens[actor]
        json_headers = {"X-CSRFToken": token}
        for queue, ref in refs.items():
            checks = [
                ("GET staff detail", client.get(f"/staff/tickets/{ref}"), staff_page(actor, queue, 200)),
                # Each POST passes the access check, then fails on purpose (or adds harmlessly): no state moves.
                ("POST staff status", client.post(f"/staff/tickets/{ref}/status",
                                                  data={"csrf_token": token, "status": "new"}),  # never allowed
                 staff_page(actor, queue, 409)),
                ("POST staff reroute", client.post(f"/staff/tickets/{ref}/reroute",
                                                   data={"csrf_token": token, "queue": "desk", "reason": ""}),
                 staff_page(actor, queue, 400)),
                ("POST staff note", client.post(f"/staff/tickets/{ref}/note",
                                                data={"csrf_token": token, "note-body": "n"}),
                 staff_page(actor, queue, 303)),
                ("POST staff reply", client.post(f"/staff/tickets/{ref}/reply",
                                                 data={"csrf_token": token, "reply-body": "r"}),
                 staff_page(actor, queue, 303)),
                ("GET requester detail", client.get(f"/tickets/{ref}"), requester_page(actor, 200)),
                ("GET confirmation", client.get(f"/tickets/{ref}/submitted"), requester_page(actor, 200)),
                ("POST follow-up", client.post(f"/tickets/{ref}/messages", data={"csrf_token": token, "body": "f"}),
                 requester_page(actor, 303)),
                ("GET api detail", client.get(f"/api/v1/tickets/{ref}"), api(actor, queue, 200)),
                ("POST api reply", client.post(f"/api/v1/tickets/{ref}/replies", json={"body": "a"},
                                               headers=json_headers), api(actor, queue, 201)),
            ]
            for name, response, expected in checks:
                if response.status_code != expected:
                    failures.append(f"{actor} {name} {queue}: {response.status_code} != {expected}")
        missing = client.get("/staff/tickets/RS-NOSUCHTICKT")
        if missing.status_code != staff_page(actor, "none", 404):
            failures.append(f"{actor} unknown ticket: {missing.status_code}")
    assert failures == []
    assert audit_chain_ok(app)


def _expected_refs(actor: str, refs: dict) -> set[str]:
    if actor == "owner":
        return set(refs.values())
    return {refs[q] for q in ACTORS[actor][3]}


def test_lists_and_counts_hold_only_visible_tickets(app, world):
    refs, clients, _ = world
    for actor, client in clients.items():
        expected = _expected_refs(actor, refs)
        listed = client.get("/api/v1/tickets")
        if actor == "anonymous":
            assert listed.status_code == 401
        elif actor == "curator":
            assert listed.status_code == 403
        else:
            body = listed.get_json()
            assert {t["ref"] for t in body["tickets"]} == expected, actor
            assert body["count"] == len(expected)
            for queue in QUEUES:  # a queue filter narrows, never widens
                narrowed = {t["ref"] for t in client.get(f"/api/v1/tickets?queue={queue}").get_json()["tickets"]}
                assert narrowed <= expected, (actor, queue)

        dashboard = client.get("/staff/")
        assert dashboard.status_code == (200 if actor in STAFF else staff_page(actor, "desk", 200)), actor
        if actor in STAFF:
            page = dashboard.get_data(as_text=True)
            assert set(re.findall(r'data-ref="([^"]+)"', page)) == expected, actor
            counts = sum(int(n) for n in re.findall(r'data-status="\w+">(\d+)<', page))
            assert counts == len(expected), actor
            hidden = set(refs.values()) - expected
            assert not any(ref in page for ref in hidden)

        mine = client.get("/tickets")
        assert mine.status_code == (200 if ACTORS[actor][1] == "researcher" else requester_page(actor, 200)), actor
        if actor in ("owner", "other_researcher"):
            assert set(re.findall(r"RS-[0-9A-Z]{10}", mine.get_data(as_text=True))) == expected


def test_references_are_random_not_sequential(app, world):
    refs, _, _ = world
    assert all(re.fullmatch(r"RS-[2-9A-HJKMNP-TV-Z]{10}", ref) for ref in refs.values())
    assert len(set(refs.values())) == len(refs)


def test_a_reference_no_ticket_could_have_is_refused_on_every_database(app, world):
    """A NUL or another control character in a ticket URL is a 400 before any view (helpdesk.web.input_guard); a
    string too long or not ASCII names no ticket: 404, as for an unknown reference, without a query. Never a 500
    (PostgreSQL refuses a NUL in a query parameter)."""
    _, clients, tokens = world
    for ref, status in (("%00", 400), ("RS-%00", 400), ("%1f", 400), ("RS-" + "2" * 40, 404), ("RS-２３", 404)):
        assert clients["admin"].get(f"/staff/tickets/{ref}").status_code == status, ref
        assert clients["owner"].get(f"/api/v1/tickets/{ref}").status_code == status, ref
        assert clients["curator"].post(f"/curation/tickets/{ref}/draft",
                                       data={"csrf_token": tokens["curator"]}).status_code == status, ref


def test_only_researchers_submit_tickets(app, world, api_headers):
    _, clients, tokens = world
    for actor in ("desk_agent", "curator", "admin"):
        response = clients[actor].post("/handoff", data={"csrf_token": tokens[actor], "question": "q"})
        assert response.status_code == 403, actor
        assert clients[actor].get("/tickets/new").status_code == 403
    headers = api_headers(clients["fa_jst"])
    assert clients["fa_jst"].post("/api/v1/tickets", json={"question": "q"}, headers=headers).status_code == 403


CURATORS = {"curator", "admin"}


def content_page(actor: str, allowed: int) -> int:
    if actor == "anonymous":
        return 302
    return allowed if actor in CURATORS else 403


def _close_all(app, refs: dict) -> None:
    from helpdesk.extensions import db
    from helpdesk.tickets import Ticket, service

    with app.app_context():
        admin = find_by_email("admin@example.jp")
        for ref in refs.values():
            ticket = db.session.query(Ticket).filter_by(ref=ref).one()
            service.reply(ticket, admin, "answered")
            service.change_status(ticket, "answered", admin)
            service.change_status(ticket, "closed", admin)
        db.session.commit()


def test_curators_reach_closed_desk_cases_only(app, world):
    """Content work × role × queue: curators (and admins, in the curation area) see the desk's closed
    cases, masked, and nothing of FA, ministry or emergency cases: not listed, not in the gap report,
    not drafted from by reference, not prefilled from a (validly signed) source token."""
    from helpdesk.curation import sources
    from helpdesk.extensions import db
    from helpdesk.tickets import Ticket

    refs, clients, tokens = world
    _close_all(app, refs)
    with app.test_request_context():
        source_tokens = {q: sources.token_for("ticket", db.session.query(Ticket.id).filter_by(ref=ref).scalar())
                         for q, ref in refs.items()}
    failures, cases = [], 0
    for actor, client in clients.items():  # the reads first: a draft takes its ticket off the list
        listing, gaps = client.get("/curation/tickets"), client.get("/curation/gaps?days=30")
        for name, response in (("GET curation tickets", listing), ("GET gaps", gaps)):
            cases += 1
            if response.status_code != content_page(actor, 200):
                failures.append(f"{actor} {name}: {response.status_code}")
        for queue, ref in refs.items():
            if actor in CURATORS:
                cases += 2
                if (ref in listing.get_data(as_text=True)) != (queue == "desk"):
                    failures.append(f"{actor} listing shows {queue}: {queue != 'desk'}")
                if (f"Question for {queue}" in gaps.get_data(as_text=True)) != (queue == "desk"):
                    failures.append(f"{actor} gap report shows {queue}: {queue != 'desk'}")
    for actor, client in clients.items():
        for queue, ref in refs.items():
            shown = queue == "desk"
            drafted = client.post(f"/curation/tickets/{ref}/draft", data={"csrf_token": tokens[actor]})
            editor = client.get(f"/curation/new?source={source_tokens[queue]}")
            prefilled = f"Question for {queue}" in editor.get_data(as_text=True)
            cases += 3
            if drafted.status_code != content_page(actor, 303 if shown else 404):
                failures.append(f"{actor} POST draft {queue}: {drafted.status_code}")
            if editor.status_code != content_page(actor, 200):
                failures.append(f"{actor} GET new?source {queue}: {editor.status_code}")
            if prefilled != (shown and actor in CURATORS):
                failures.append(f"{actor} source prefill {queue}: {prefilled}")
    assert failures == []
    assert cases == len(clients) * (2 + 3 * len(refs)) + len(CURATORS) * 2 * len(refs)
