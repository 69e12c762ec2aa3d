"""Health probes, and what the service does while its database is unreachable: the API answers a JSON
503 with Retry-After, pages a friendly 503, nothing is half-written, and it recovers by itself."""
from __future__ import annotations

import pytest
from sqlalchemy import func, make_url, select

from helpdesk import create_app
from helpdesk.extensions import db


@pytest.fixture
def unreachable_app(free_port):
    """An app whose database server is not there (nothing listens on the port)."""
    return create_app({"TESTING": True, "SESSION_COOKIE_SECURE": False, "HELPDESK_DB_CONNECT_TIMEOUT": 2,
                       "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"})


def test_liveness_touches_neither_database_nor_models(unreachable_app):
    response = unreachable_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readiness_names_what_is_missing_until_ready(unreachable_app, app, search_service):
    response = unreachable_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.get_json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"] == "database unreachable (OperationalError)"
    assert body["checks"]["models"] == "models not warmed"

    cold = app.test_client().get("/readyz")  # migrated and the index loaded, but this app never warmed up
    assert cold.status_code == 503
    assert cold.get_json()["checks"] == {
        "database": "ok", "index": "ok", "models": "models not warmed"}
    from helpdesk.warmup import warm_up_all

    warm_up_all(app)
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["status"] == "ready"


def test_readiness_refuses_an_unmigrated_database(databases):
    bare = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": databases.new("bare")})
    checks = bare.test_client().get("/readyz").get_json()["checks"]
    assert checks["database"].startswith("database at migration none, expected ")
    assert "helpdesk init-db" in checks["database"]


def test_an_unreachable_database_gives_json_503_to_the_api_and_a_page_to_people(unreachable_app, search_service):
    client = unreachable_app.test_client()
    asked = client.post("/api/v1/ask", json={"question": "相談窓口は最終判断をしてくれますか？"})
    assert asked.status_code == 503
    assert asked.headers["Retry-After"] == "5"
    assert asked.get_json()["error"]["code"] == "database_unavailable"
    page = client.get("/docs/faq-desk", headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert "一時的にご利用いただけません" in page.get_data(as_text=True)
    english = client.get("/docs/faq-desk?lang=en").get_data(as_text=True)
    assert "cannot reach its database" in english
    assert "Traceback" not in english
    # Searching needs no database: the desk-FAQ sync hook lets it through with what this process holds.
    assert client.get("/api/v1/search?q=研究セキュリティ").status_code == 200


def _counts(app) -> tuple[int, int]:
    from helpdesk.answering.models import Message
    from helpdesk.audit import AuditEvent

    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Message)),
                db.session.scalar(select(func.count()).select_from(AuditEvent)))


@pytest.mark.postgres  # a database server to cut off
def test_a_database_outage_loses_nothing_and_recovers_by_itself(app, search_service, tcp_relay):
    from flask_migrate import upgrade

    from helpdesk.audit import AuditEvent, verify

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    relay = tcp_relay((url.host, url.port))
    proxied = create_app({"TESTING": True, "SESSION_COOKIE_SECURE": False, "HELPDESK_DB_CONNECT_TIMEOUT": 2,
                          "SQLALCHEMY_DATABASE_URI": url.set(port=relay.port).render_as_string(False)})
    with proxied.app_context():
        upgrade()
    client = proxied.test_client()
    question = {"question": "相談窓口は最終判断をしてくれますか？"}
    assert client.post("/api/v1/ask", json=question).status_code == 200
    before = _counts(app)

    relay.down()
    for _ in range(3):  # the pooled connection is dead, then new ones are refused: 503 every time
        asked = client.post("/api/v1/ask", json=question)
        assert asked.status_code == 503
        assert asked.get_json()["error"]["code"] == "database_unavailable"
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503

    relay.up()
    assert client.post("/api/v1/ask", json=question).status_code == 200  # no restart needed
    assert _counts(app) == (before[0] + 2, before[1] + 1)  # the exchange and its audit event, once
    with app.app_context():
        assert verify(AuditEvent.query.order_by(AuditEvent.seq).all()).ok
    relay.down()
    with proxied.app_context():
        db.engine.dispose()
