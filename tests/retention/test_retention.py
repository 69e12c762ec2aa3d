"""`helpdesk purge`: conversations and closed tickets past their period go; the audit log stays verifiable."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from helpdesk.answering.models import Conversation, Message
from helpdesk.audit import AuditEvent
from helpdesk.extensions import db
from helpdesk.tickets.models import ConsentRecord, PendingHandoff, Ticket, TicketEntry

NOW = datetime.now(UTC)


def _conversation(days_ago: int, *, messages: int = 2) -> str:
    at = NOW - timedelta(days=days_ago)
    conversation = Conversation(lang="ja", created_at=at)
    db.session.add(conversation)
    db.session.flush()
    for i in range(messages):
        db.session.add(Message(conversation_id=conversation.id, role="user" if i % 2 == 0 else "assistant",
                               text=f"message {i}", created_at=at))
    return conversation.id


def _close(ref: str, days_ago: int, conversation_id: str | None = None) -> None:
    closed = NOW.replace(tzinfo=None) - timedelta(days=days_ago)
    db.session.execute(update(Ticket).where(Ticket.ref == ref).values(
        status="closed", closed_at=closed, conversation_id=conversation_id))


@pytest.fixture
def make_cases(new_user, make_ticket):
    def _cases(app) -> dict:
        """Old and recent conversations and tickets, one of each kind the purge must tell apart."""
        owner = new_user(app, "owner@example.jp")
        refs = {name: make_ticket(app, owner, "desk") for name in ("old_closed", "recent_closed", "old_open")}
        with app.app_context():
            ids = {"old": _conversation(400), "recent": _conversation(10), "of_open_ticket": _conversation(400),
                   "of_old_ticket": _conversation(400)}
            _close(refs["old_closed"], 400, ids["of_old_ticket"])
            _close(refs["recent_closed"], 10)
            db.session.execute(update(Ticket).where(Ticket.ref == refs["old_open"]).values(
                conversation_id=ids["of_open_ticket"], created_at=NOW.replace(tzinfo=None) - timedelta(days=500)))
            db.session.add(PendingHandoff(token="t" * 43, question="待機中の質問",
                                          created_at=NOW.replace(tzinfo=None) - timedelta(days=2)))
            db.session.commit()
        return {"refs": refs, "conversations": ids}

    return _cases


def test_purge_deletes_what_is_past_its_period_and_keeps_the_audit_chain(app, audit_chain_ok, make_cases):
    cases = make_cases(app)
    result = app.test_cli_runner().invoke(args=["purge", "--older-than", "365"])
    assert result.exit_code == 0, result.output
    assert "deleted: 1 tickets, 2 conversations, 4 messages, 1 pending handoffs" in result.output
    with app.app_context():
        left = set(db.session.scalars(select(Ticket.ref)))
        assert left == {cases["refs"]["recent_closed"], cases["refs"]["old_open"]}
        kept = set(db.session.scalars(select(Conversation.id)))
        assert kept == {cases["conversations"]["recent"], cases["conversations"]["of_open_ticket"]}
        assert db.session.scalar(select(PendingHandoff.token)) is None
        tickets_left = set(db.session.scalars(select(Ticket.id)))
        for child in (TicketEntry, ConsentRecord):
            assert set(db.session.scalars(select(child.ticket_id))) <= tickets_left  # no orphans
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert event.action == "retention.purged"
        assert event.actor_id is None
        assert event.details == {"tickets": 1, "conversations": 2, "messages": 4, "pending_handoffs": 1,
                                 "conversations_days": 365, "closed_tickets_days": 365}
    assert audit_chain_ok(app)
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_a_dry_run_counts_and_deletes_nothing(app, make_cases):
    make_cases(app)
    result = app.test_cli_runner().invoke(args=["purge", "--older-than", "365", "--dry-run"])
    assert "would delete: 1 tickets, 2 conversations, 4 messages, 1 pending handoffs" in result.output
    with app.app_context():
        assert len(db.session.scalars(select(Ticket.id)).all()) == 3
        assert db.session.scalars(select(AuditEvent.action)).all()[-1] != "retention.purged"


def test_without_a_period_the_configured_ones_apply(app, make_cases):
    cases = make_cases(app)
    app.config.update(HELPDESK_RETENTION_CONVERSATIONS_DAYS=5, HELPDESK_RETENTION_CLOSED_TICKETS_DAYS=0)
    result = app.test_cli_runner().invoke(args=["purge"])
    assert "deleted: 2 conversations, 4 messages, 1 pending handoffs" in result.output  # closed tickets kept
    with app.app_context():
        assert len(db.session.scalars(select(Ticket.id)).all()) == 3
        # ... and with them the conversations they link to.
        assert set(db.session.scalars(select(Conversation.id))) == {
            cases["conversations"]["of_open_ticket"], cases["conversations"]["of_old_ticket"]}
    assert app.test_cli_runner().invoke(args=["purge", "--older-than", "0"]).exit_code == 2  # 0 is no period
