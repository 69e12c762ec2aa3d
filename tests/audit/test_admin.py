"""The admin pages: audit log filters, pagination, CSV export, and user management."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from helpdesk import audit
from helpdesk.accounts.models import User
from helpdesk.audit import AuditEvent
from helpdesk.audit.query import AuditFilter
from helpdesk.extensions import db

PASSWORD = "correct horse battery"


@pytest.fixture
def admin_client(make_user, login):
    def admin_client(app):
        admin_id = make_user(app, "admin@example.org", "admin")
        client = app.test_client()
        assert login(client, "admin@example.org", PASSWORD).status_code == 302
        return client, admin_id

    return admin_client


def csv_rows(response):
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_audit_page_filters_by_action_actor_object_and_date(app, admin_client):
    client, admin_id = admin_client(app)
    with app.app_context():
        audit.record("ticket.viewed", "ticket", 42, {"queue": "jst"}, actor=db.session.get(User, admin_id))
        audit.record("ticket.closed", "ticket", 43)
        db.session.commit()

    def actions(url):
        page = client.get(url).get_data(as_text=True)
        return set(re.findall(r"<td>([a-z_]+\.[a-z_]+)</td>", page))

    assert actions("/admin/audit?action=ticket.viewed") == {"ticket.viewed"}
    assert actions("/admin/audit?action=ticket.") == {"ticket.viewed", "ticket.closed"}
    assert actions("/admin/audit?actor=ADMIN@example.org&object_type=ticket") == {"ticket.viewed"}
    assert actions(f"/admin/audit?actor={admin_id}") == {"ticket.viewed", "auth.login"}
    assert actions("/admin/audit?object_id=43") == {"ticket.closed"}
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the page's days are the desk's (Japan) days
    assert "ticket.closed" in actions(f"/admin/audit?date_from={today}&date_to={today}")
    assert actions(f"/admin/audit?date_from={today + timedelta(days=1)}") == set()
    assert "ticket.closed" not in actions(f"/admin/audit?date_to={today - timedelta(days=1)}")


def test_audit_dates_are_days_in_the_readers_zone():
    """2 December in Japan begins at 15:00 UTC on 1 December: that is where the filter of a Japanese
    reader's day starts in the stored (naive UTC) times."""
    tokyo = AuditFilter(zone=ZoneInfo("Asia/Tokyo"))
    assert tokyo.day_start(date(2026, 12, 2)) == datetime(2026, 12, 1, 15, 0)
    assert AuditFilter().day_start(date(2026, 12, 2)) == datetime(2026, 12, 2, 0, 0)


def test_audit_page_rejects_bad_filters_clearly(app, admin_client):
    client, _ = admin_client(app)
    response = client.get("/admin/audit?date_from=yesterday")
    assert response.status_code == 400
    assert "Not a valid date value" in response.get_data(as_text=True)
    response = client.get("/admin/audit?actor=ghost@example.org")
    assert response.status_code == 400
    assert "該当する利用者がいません" in response.get_data(as_text=True)
    response = client.get("/admin/audit.csv?page=0")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_filter"


def test_audit_page_paginates(app, admin_client):
    client, _ = admin_client(app)
    with app.app_context():
        for i in range(60):
            audit.record("ticket.viewed", "ticket", f"t{i}")
        db.session.commit()
    first = client.get("/admin/audit?action=ticket.viewed").get_data(as_text=True)
    assert "<td>t59</td>" in first
    assert "<td>t10</td>" in first
    assert "<td>t9</td>" not in first
    assert 'rel="next"' in first
    second = client.get("/admin/audit?action=ticket.viewed&page=2").get_data(as_text=True)
    assert "<td>t9</td>" in second
    assert "<td>t0</td>" in second
    assert "<td>t10</td>" not in second
    assert 'rel="next"' not in second
    assert 'rel="prev"' in second


def test_csv_export_has_header_filtered_rows_and_is_audited(app, admin_client):
    client, admin_id = admin_client(app)
    with app.app_context():
        audit.record("ticket.rerouted", "ticket", 5, {"from": "desk", "to": "jst"})
        db.session.commit()
    response = client.get("/admin/audit.csv?action=ticket.rerouted")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == ["seq", "at", "actor_id", "actor_role", "action", "object_type", "object_id", "details",
                      "prev_hash", "hash"]
    assert len(rows) == 1
    assert rows[0][4:8] == ["ticket.rerouted", "ticket", "5", '{"from": "desk", "to": "jst"}']
    with app.app_context():
        exported = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported"))
        assert exported.actor_id == admin_id
        assert exported.details == {"filters": ["action"]}


def test_csv_export_neutralises_formulas(app, admin_client):
    client, _ = admin_client(app)
    with app.app_context():
        audit.record("ticket.viewed", "ticket", "=1+1")
        audit.record("ticket.viewed", "ticket", "+SUM(A1)")
        audit.record("ticket.viewed", "ticket", "@cmd")
        audit.record("ticket.viewed", "ticket", "－1")
        audit.record("ticket.viewed", "ticket", "safe-id")
        db.session.commit()
    _, *rows = csv_rows(client.get("/admin/audit.csv?action=ticket.viewed"))
    object_ids = sorted(row[6] for row in rows)
    assert object_ids == sorted(["'=1+1", "'+SUM(A1)", "'@cmd", "'－1", "safe-id"])


def test_admin_changes_role_and_deactivates_with_audit(app, make_user, csrf_token, admin_client):
    client, admin_id = admin_client(app)
    target = make_user(app, "agent@example.org", "researcher")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "agent@example.org" in page

    token = csrf_token(client, "/admin/users")
    response = client.post(f"/admin/users/{target}/role",
                           data={f"u{target}-role": "fa_agent", f"u{target}-queue": "nedo", f"u{target}-csrf_token": token})
    assert response.status_code == 303
    bad = client.post(f"/admin/users/{target}/role",
                      data={f"u{target}-role": "fa_agent", f"u{target}-queue": "", f"u{target}-csrf_token": token},
                      follow_redirects=True)
    assert "役割 fa_agent のキューは次のいずれかです" in bad.get_data(as_text=True)
    assert client.post(f"/admin/users/{target}/deactivate", data={"csrf_token": token}).status_code == 303
    assert client.post(f"/admin/users/{target}/deactivate").status_code == 400  # no CSRF token
    assert client.post("/admin/users/9999/deactivate", data={"csrf_token": token}).status_code == 404

    with app.app_context():
        user = db.session.get(User, target)
        assert (user.role, user.queue, user.active) == ("fa_agent", "nedo", False)
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == str(target))
                                    .where(AuditEvent.action.in_(["user.role_changed", "user.deactivated"]))
                                    .order_by(AuditEvent.seq)).all()
    assert [(e.action, e.actor_id) for e in events] == [("user.role_changed", admin_id), ("user.deactivated", admin_id)]
    assert events[0].details == {"from_role": "researcher", "from_queue": None, "role": "fa_agent", "queue": "nedo"}


def test_admin_cannot_lock_themselves_out(app, csrf_token, admin_client):
    client, admin_id = admin_client(app)
    token = csrf_token(client, "/admin/users")
    page = client.post(f"/admin/users/{admin_id}/deactivate", data={"csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert "自分自身" in page
    with app.app_context():
        assert db.session.get(User, admin_id).active
