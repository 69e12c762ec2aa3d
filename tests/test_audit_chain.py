"""The audit log: recording, append-only guards, concurrent writers and tamper detection."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select, text, update

from helpdesk import audit
from helpdesk.audit import AuditEvent, AuditImmutableError
from helpdesk.audit.chain import GENESIS, event_hash
from helpdesk.extensions import db


def record_some(app, count=5):
    with app.app_context():
        for i in range(count):
            audit.record("ticket.viewed", "ticket", i + 1, {"queue": "desk"})
        db.session.commit()


def run_verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def raw_sql(app, *statements):
    """Tampering as an intruder would: straight SQL, past the ORM."""
    with app.app_context(), db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_events_are_chained(app):
    record_some(app, 3)
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert rows[1].hash == event_hash(seq=2, at=rows[1].at, actor_id=None, actor_role=None, action="ticket.viewed",
                                      object_type="ticket", object_id="2", details={"queue": "desk"},
                                      prev_hash=rows[0].hash)
    result = run_verify(app)
    assert result.exit_code == 0, result.output
    assert f"OK: 3 events, head {rows[2].hash}" in result.output


def test_rolled_back_change_leaves_no_event(app):
    with app.app_context():
        audit.record("ticket.closed", "ticket", 1)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"action": "Login"}, "area.verb"),
        ({"action": "ticket.viewed", "details": {"email": "x"}}, "personal data"),
        ({"action": "ticket.viewed", "details": {"note": ["a", {"who": "a.b@example.org"}]}}, "e-mail"),
        ({"action": "ticket.viewed", "details": {"when": object()}}, "JSON-serialisable"),
        ({"action": "ticket.viewed", "details": "text"}, "must be a dict"),
        ({"action": "ticket.viewed", "object_id": "x" * 65}, "at most 64"),
    ],
)
def test_record_refuses_bad_events(app, kwargs, message):
    with app.app_context():
        with pytest.raises(ValueError, match=message):
            audit.record(**kwargs)


def test_orm_cannot_update_or_delete_events(app):
    record_some(app, 2)
    with app.app_context():
        event = db.session.get(AuditEvent, 1)
        event.action = "ticket.closed"
        with pytest.raises(AuditImmutableError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, 1))
        with pytest.raises(AuditImmutableError):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(AuditImmutableError):
            db.session.execute(update(AuditEvent).values(action="x.y"))
        with pytest.raises(AuditImmutableError):
            db.session.execute(delete(AuditEvent))
        db.session.rollback()
    assert run_verify(app).exit_code == 0


def test_concurrent_writers_keep_one_chain(app):
    """Two threads appending at once must serialise: no duplicate seq, no fork, chain intact."""
    errors = []

    def writer(name):
        try:
            for i in range(20):
                with app.app_context():
                    audit.record("ticket.viewed", "ticket", f"{name}-{i}")
                    db.session.commit()
        except Exception as exc:  # reported below: a lost append is the failure being tested
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = run_verify(app)
    assert result.exit_code == 0, result.output
    assert "OK: 40 events" in result.output


def test_edited_row_is_named(app):
    record_some(app)
    raw_sql(app, "UPDATE audit_event SET details = '{\"queue\": \"cao\"}' WHERE seq = 3")
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 3: edited or forged" in result.output
    assert "seq 4" not in result.output


def test_deleted_row_is_named(app):
    record_some(app)
    raw_sql(app, "DELETE FROM audit_event WHERE seq = 2")
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 2..2: deleted" in result.output


def test_forged_row_appended_is_detected(app):
    record_some(app, 3)
    raw_sql(app, "INSERT INTO audit_event (seq, at, action, details, prev_hash, hash) VALUES "
                 f"(4, '2026-01-01 00:00:00.000000', 'user.role_changed', '{{}}', '{'1' * 64}', '{'2' * 64}')")
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 4: edited or forged" in result.output


def test_row_inserted_with_valid_hash_is_named(app):
    """A forger who links a new row correctly still breaks the next link."""
    record_some(app, 3)
    with app.app_context():
        head = db.session.get(AuditEvent, 3)
        at = head.at
        forged = event_hash(seq=4, at=at, actor_id=None, actor_role=None, action="user.role_changed",
                            object_type=None, object_id=None, details={}, prev_hash="f" * 64)
    raw_sql(app, "INSERT INTO audit_event (seq, at, action, details, prev_hash, hash) VALUES "
                 f"(4, '{at.isoformat(sep=' ')}', 'user.role_changed', '{{}}', '{'f' * 64}', '{forged}')")
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 4: inserted" in result.output


def test_row_inserted_in_the_middle_with_renumbering_is_named(app):
    """Rows after the forgery are renumbered; they still verify at their old seq, so the insertion is named."""
    record_some(app, 5)
    with app.app_context():
        at = db.session.get(AuditEvent, 2).at
    # prev_hash is unique, so the forgery cannot reuse seq 2's hash as the genuine seq 3 does.
    forged = event_hash(seq=3, at=at, actor_id=None, actor_role=None, action="user.role_changed",
                        object_type=None, object_id=None, details={}, prev_hash="f" * 64)
    raw_sql(
        app,
        "UPDATE audit_event SET seq = -(seq + 1) WHERE seq >= 3",
        "UPDATE audit_event SET seq = -seq WHERE seq < 0",
        "INSERT INTO audit_event (seq, at, action, details, prev_hash, hash) VALUES "
        f"(3, '{at.isoformat(sep=' ')}', 'user.role_changed', '{{}}', '{'f' * 64}', '{forged}')",
    )
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 3..3: inserted (later rows renumbered)" in result.output
    assert "edited" not in result.output
