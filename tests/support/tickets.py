"""Shared set-up for the tickets, staff and authorisation tests: users, tickets, logged-in clients."""
from __future__ import annotations

import itertools

from helpdesk.extensions import db

from .web import csrf_token, login, make_user

PASSWORD = "correct horse battery"
# Triage routes (the `Route.to_dict()` shape) that place a ticket in each queue.
ROUTES = {
    "desk": {"kind": "desk", "queue": "desk", "reason": "general", "cites": [], "notify": [], "program": None},
    "jst": {"kind": "fa", "queue": "jst", "reason": "ASPIRE", "cites": [], "notify": [], "program": "aspire"},
    "amed": {"kind": "fa", "queue": "amed", "reason": "AMED", "cites": [], "notify": [], "program": None},
    "cao": {"kind": "ministry", "queue": "cao", "reason": "policy", "cites": [], "notify": [], "program": None},
    "meti": {"kind": "ministry", "queue": "meti", "reason": "export", "cites": [], "notify": [], "program": None},
    "emergency": {"kind": "emergency", "queue": "emergency", "reason": "leak", "cites": [],
                  "notify": ["jst", "cao"], "program": "aspire"},
}
# Login is rate-limited per IP address: every test client gets its own.
_addresses = (f"10.0.{n // 250}.{n % 250 + 1}" for n in itertools.count())


def make_ticket(app, owner_id: int, queue: str, question: str | None = None) -> str:
    """A ticket created through the service (consent recorded); returns its reference."""
    from helpdesk.accounts.models import User
    from helpdesk.tickets import service

    with app.app_context():
        owner = db.session.get(User, owner_id)
        ticket = service.create_ticket(owner, question or f"Question for {queue}", ROUTES[queue], lang="en",
                                       consent_lang="en")
        db.session.commit()
        return ticket.ref


def client_as(app, email: str | None):
    """A test client logged in as `email` (None: an anonymous visitor)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = next(_addresses)
    if email is not None:
        response = login(client, email, PASSWORD)
        assert response.status_code == 302, f"login failed for {email}"
    return client


def api_headers(client) -> dict:
    return {"X-CSRFToken": csrf_token(client, "/"), "Accept": "application/json"}


def new_user(app, email: str, role: str = "researcher", queue: str | None = None) -> int:
    return make_user(app, email, role, queue, name=email.split("@")[0])


def audit_chain_ok(app) -> bool:
    """`helpdesk.audit.verify()` over the whole log, oldest first."""
    from helpdesk.audit import AuditEvent, verify

    with app.app_context():
        return verify(AuditEvent.query.order_by(AuditEvent.seq).all()).ok
