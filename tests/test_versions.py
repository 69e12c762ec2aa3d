"""The shared versions (desk-FAQ index version, routing-examples marker): read once a request, again after a change."""
from __future__ import annotations

from sqlalchemy import event

from helpdesk import versions
from helpdesk.extensions import db


def _version_reads(app, action) -> int:
    """How many statements `action` runs that read the index version (search_index_state)."""
    reads = []

    def count(_conn, _cursor, statement, *_args):
        if "search_index_state" in statement and statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(reads)


def test_an_ask_reads_the_versions_once(app, search_service):
    client = app.test_client()
    client.post("/api/v1/ask", json={"question": "デュー・ディリジェンスとは何ですか"})  # the first request sets things up
    assert _version_reads(app, lambda: client.post("/api/v1/ask", json={"question": "研究セキュリティとは何ですか"})) == 1
    assert _version_reads(app, lambda: client.get("/healthz")) == 0  # probes touch no database


def test_a_change_in_the_request_is_read_again_and_outside_requests_every_call_reads(app):
    from helpdesk.curation import index_state

    with app.test_request_context("/"):
        before = versions.current()
        assert versions.current() is before  # kept for the request
        index_state.bump()  # uncommitted: this transaction's own change
        after = versions.current()
        assert after.desk_faq[1] == before.desk_faq[1] + 1
        assert after.examples == before.examples
        db.session.rollback()
    with app.app_context():
        assert versions.current() is not versions.current()
        assert versions.current().desk_faq == before.desk_faq
