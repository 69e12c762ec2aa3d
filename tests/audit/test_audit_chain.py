"""The audit log: recording, append-only guards, concurrent writers and tamper detection."""
from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import delete, func, select, text, update

from helpdesk import audit
from helpdesk.audit import AuditEvent, AuditImmutableError
from helpdesk.audit.anchors import audit_key
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
    with app.app_context():
        key = audit_key()
    assert rows[1].hash == event_hash(key, seq=2, at=rows[1].at, actor_id=None, actor_role=None, action="ticket.viewed",
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
    ("kwargs", "message"),
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


def _write_concurrently(app, names, append, count=20) -> list:
    """`append(name, i)` `count` times in each of one thread per name, a transaction each; the errors."""
    errors = []

    def writer(name):
        try:
            for i in range(count):
                with app.app_context():
                    append(name, i)
                    db.session.commit()
        except Exception as exc:  # reported by the caller: a lost append is the failure being tested
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_writers_keep_one_chain(app):
    """Two threads appending at once must serialise: no duplicate seq, no fork, chain intact."""
    assert _write_concurrently(app, ("a", "b"), lambda name, i: audit.record("ticket.viewed", "ticket", f"{name}-{i}")) == []
    result = run_verify(app)
    assert result.exit_code == 0, result.output
    assert "OK: 40 events" in result.output


def test_concurrent_writers_that_wrote_before_their_event_keep_one_chain(app):
    """As an ask does: the transaction writes its own rows first, then appends its event (on SQLite the write
    already holds the database's lock, which the append then relies on)."""
    from helpdesk.answering.models import Conversation

    def ask_like(name, i):
        db.session.add(Conversation(id=f"{name}-{i}", lang="ja"))
        audit.record("question.asked", "conversation", f"{name}-{i}")

    assert _write_concurrently(app, ("a", "b", "c"), ask_like) == []
    result = run_verify(app)
    assert result.exit_code == 0, result.output
    assert "OK: 60 events" in result.output
    with app.app_context():
        assert db.session.query(Conversation).count() == 60


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
        key = audit_key()  # an insider holding the key: the links still give the insertion away
        head = db.session.get(AuditEvent, 3)
        at = head.at
        forged = event_hash(key, seq=4, at=at, actor_id=None, actor_role=None, action="user.role_changed",
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
        key = audit_key()
        at = db.session.get(AuditEvent, 2).at
    # prev_hash is unique, so the forgery cannot reuse seq 2's hash as the genuine seq 3 does.
    forged = event_hash(key, seq=3, at=at, actor_id=None, actor_role=None, action="user.role_changed",
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


# Issue 14 item 5: the four tamperings that used to pass `helpdesk audit verify`, and what catches each.

def rows_of(app):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


def recompute_from(app, seq, key, until=None):
    """Rewrite the hashes of the rows from `seq` (to `until`) under `key` (None: plain SHA-256), as a forger would."""
    prev, statements = None, []
    rewritten = [r.seq for r in rows_of(app) if r.seq >= seq and (until is None or r.seq <= until)]
    for row in rows_of(app):
        if row.seq in rewritten:
            row.prev_hash = prev
            new = event_hash(key, seq=row.seq, at=row.at, actor_id=row.actor_id, actor_role=row.actor_role,
                             action=row.action, object_type=row.object_type, object_id=row.object_id,
                             details=row.details, prev_hash=prev)
            statements.append(f"UPDATE audit_event SET prev_hash = '{prev}', hash = '{new}' WHERE seq = {row.seq}")
            prev = new
        else:
            prev = row.hash
    # prev_hash is unique: move every rewritten row out of the way first.
    raw_sql(app, *(f"UPDATE audit_event SET prev_hash = 'x{n}', hash = 'y{n}' WHERE seq = {n}" for n in rewritten),
            *statements)


def anchor(app):
    result = app.test_cli_runner().invoke(args=["audit", "anchor"])
    assert result.exit_code == 0, result.output
    return result


def test_item5_deleting_the_newest_rows_is_detected(app):
    record_some(app, 5)
    anchor(app)
    raw_sql(app, "DELETE FROM audit_event WHERE seq >= 4")
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 4..5: deleted (the chain ends at seq 3; its head at seq 5 was anchored at" in result.output


def test_item5_anchors_are_written_every_n_events_after_commit(app):
    app.config["HELPDESK_AUDIT_ANCHOR_EVERY"] = 2
    with app.app_context():
        audit.record("ticket.viewed", "ticket", 1)
        audit.record("ticket.viewed", "ticket", 2)
        db.session.rollback()  # seq 2 never existed: nothing may be anchored
    for _ in range(5):
        record_some(app, 1)  # one commit each
    lines = app.config["HELPDESK_AUDIT_ANCHOR_FILE"].read_text().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2", "4"]
    assert app.config["HELPDESK_AUDIT_ANCHOR_FILE"].stat().st_mode & 0o777 == 0o600
    result = run_verify(app)
    assert result.exit_code == 0, result.output
    assert "2 anchored head(s) checked, the last at seq 4" in result.output
    raw_sql(app, "DELETE FROM audit_event WHERE seq >= 4")
    assert "seq 4..4: deleted" in run_verify(app).output


@pytest.mark.parametrize("forger_key", [None, b"a guessed key"])
def test_item5_editing_a_row_and_recomputing_the_chain_is_detected(app, forger_key):
    record_some(app, 5)
    raw_sql(app, "UPDATE audit_event SET details = '{\"queue\": \"cao\"}' WHERE seq = 3")
    recompute_from(app, 3, forger_key)
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 3: edited or forged" in result.output


def test_item5_recomputing_with_the_key_is_caught_by_the_anchor(app):
    """Even someone holding the key cannot rewrite what was anchored before."""
    record_some(app, 5)
    anchor(app)
    raw_sql(app, "UPDATE audit_event SET details = '{\"queue\": \"cao\"}' WHERE seq = 3")
    with app.app_context():
        recompute_from(app, 3, audit_key())
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 5: rewritten (not the head anchored at" in result.output


def test_item5_appending_a_forged_event_is_detected(app):
    record_some(app, 5)
    head = rows_of(app)[-1]
    at = head.at.replace(second=(head.at.second + 1) % 60)
    forged = event_hash(None, seq=6, at=at, actor_id=1, actor_role="admin", action="user.role_changed",
                        object_type="user", object_id="7", details={}, prev_hash=head.hash)
    raw_sql(app, "INSERT INTO audit_event (seq, at, actor_id, actor_role, action, object_type, object_id, details, "
                 f"prev_hash, hash) VALUES (6, '{at.isoformat(sep=' ')}', 1, 'admin', 'user.role_changed', 'user', "
                 f"'7', '{{}}', '{head.hash}', '{forged}')")
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 6: edited or forged" in result.output
    # The next genuine event links to the forgery but does not vouch for it.
    record_some(app, 1)
    assert "seq 6: edited or forged" in run_verify(app).output


def test_item5_editing_without_recomputing_is_detected(app):
    record_some(app, 5)
    raw_sql(app, "UPDATE audit_event SET actor_role = 'admin' WHERE seq = 5")
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 5: edited or forged" in result.output


def test_item5_a_forged_anchor_line_is_reported(app):
    record_some(app, 3)
    anchor(app)
    with app.config["HELPDESK_AUDIT_ANCHOR_FILE"].open("a") as fh:
        fh.write(f"9\t2026-01-01T00:00:00+00:00\t{'a' * 64}\t{'b' * 64}\n")
    result = run_verify(app)
    assert result.exit_code == 1
    assert "anchor file line 2: not signed with the audit key" in result.output
    assert "seq 9" not in result.output  # an unsigned line proves nothing about the chain


def test_item5_a_chain_begun_unkeyed_is_sealed_by_its_first_keyed_event(app):
    """Existing deployments: the plain SHA-256 rows stay; the first append after the upgrade seals them."""
    prev = GENESIS
    for seq in (1, 2, 3):
        at = f"2026-11-0{seq} 09:00:00.000000"
        digest = event_hash(None, seq=seq, at=datetime.fromisoformat(at), actor_id=None, actor_role=None,
                            action="ticket.viewed", object_type="ticket", object_id=str(seq), details={},
                            prev_hash=prev)
        raw_sql(app, "INSERT INTO audit_event (seq, at, action, object_type, object_id, details, prev_hash, hash) "
                     f"VALUES ({seq}, '{at}', 'ticket.viewed', 'ticket', '{seq}', '{{}}', '{prev}', '{digest}')")
        prev = digest
    record_some(app, 2)
    rows = rows_of(app)
    assert [r.action for r in rows[3:]] == ["audit.keyed", "ticket.viewed", "ticket.viewed"]
    assert rows[3].details == {"legacy_head": prev, "legacy_events": 3}
    result = run_verify(app)
    assert result.exit_code == 0, result.output
    assert "3 event(s) written before the chain was keyed" in result.output
    assert "at seq 4" in result.output

    # The plain rows, edited and recomputed up to the seal, no longer link to it.
    raw_sql(app, "UPDATE audit_event SET object_id = '99' WHERE seq = 2")
    recompute_from(app, 2, None, until=3)
    result = run_verify(app)
    assert result.exit_code == 1
    assert "seq 4: inserted, or seq 3 rewritten with a new hash" in result.output


def test_item5_witness_command_gets_the_anchor_and_its_failure_never_breaks_a_request(app, tmp_path, csrf_token):
    import json
    import shlex
    import sys

    received = tmp_path / "witnessed.json"
    app.config["HELPDESK_AUDIT_WITNESS_CMD"] = (
        f"{shlex.quote(sys.executable)} -c 'import sys; open(sys.argv[1], \"w\").write(sys.stdin.read())' "
        f"{shlex.quote(str(received))}")
    record_some(app, 2)
    anchor(app)
    head = rows_of(app)[-1]
    assert {k: v for k, v in json.loads(received.read_text()).items() if k != "at"} == {
        "seq": 2, "head": head.hash, "mac": app.config["HELPDESK_AUDIT_ANCHOR_FILE"].read_text().split("\t")[3].strip()}

    app.config["HELPDESK_AUDIT_WITNESS_CMD"] = "false"
    result = app.test_cli_runner().invoke(args=["audit", "anchor"])
    assert result.exit_code == 1
    assert "witness command failed" in result.output
    assert len(app.config["HELPDESK_AUDIT_ANCHOR_FILE"].read_text().splitlines()) == 2  # anchored all the same

    app.config["HELPDESK_AUDIT_ANCHOR_EVERY"] = 1
    app.config["HELPDESK_AUDIT_WITNESS_URL"] = "http://127.0.0.1:9/unreachable"
    client = app.test_client()
    assert client.post("/login", data={"email": "x@example.org", "password": "wrong password here",
                                       "csrf_token": csrf_token(client)}).status_code == 400  # audited, anchored


def test_item5_witness_url_gets_the_anchor_posted(app):
    import json
    from http.server import BaseHTTPRequestHandler, HTTPServer

    posted = []

    class Witness(BaseHTTPRequestHandler):
        def do_POST(self):
            posted.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Witness)
    thread = threading.Thread(target=server.handle_request, daemon=True)  # exactly one request
    thread.start()
    app.config["HELPDESK_AUDIT_WITNESS_URL"] = f"http://127.0.0.1:{server.server_port}/anchors"
    record_some(app, 3)
    anchor(app)
    thread.join(timeout=30)
    server.server_close()
    assert [(p["seq"], p["head"]) for p in posted] == [(3, rows_of(app)[-1].hash)]


def test_item5_audit_key_is_generated_outside_the_database_mode_600(app):
    import os
    from pathlib import Path

    if os.environ.get("HELPDESK_AUDIT_KEY"):
        pytest.skip("the key comes from the environment here")
    key_file = Path(app.instance_path) / "audit_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert app.config["HELPDESK_AUDIT_KEY"] == key_file.read_text().strip() != app.config["SECRET_KEY"]
