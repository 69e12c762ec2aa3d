"""Metrics, request ids and JSON logs: /metrics after real asks and tickets, the id echoed and logged,
and the multi-process mode gunicorn uses adding up several processes' values."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys

from helpdesk.observability import logs

ASKED = "研究インテグリティと研究セキュリティの違いは何ですか"


def _metrics(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def _value(text: str, series: str) -> float:
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.M)
    assert match, f"{series} not in /metrics"
    return float(match.group(1))


def test_metrics_show_requests_ask_stages_tickets_and_the_index_version(app, search_service, new_user, client_as):
    client = app.test_client()
    before = _metrics(client)
    stages = ("embedding", "search", "triage", "composition")
    counts = {s: _value(before, f'helpdesk_ask_stage_duration_seconds_count{{stage="{s}"}}')
              if f'stage="{s}"' in before else 0.0 for s in stages}
    assert client.post("/api/v1/ask", json={"question": f"{ASKED}（計測）"}).status_code == 200
    new_user(app, "metrics@example.org", "researcher")
    researcher = client_as(app, "metrics@example.org")
    consent = researcher.get("/api/v1/consent").get_json()
    token = re.search(r'csrf-token" content="([^"]+)"', researcher.get("/tickets").get_data(as_text=True)).group(1)
    created = researcher.post("/api/v1/tickets", headers={"X-CSRFToken": token}, json={
        "question": "JSTの研究課題で外国の研究者を受け入れる手続きを相談したい",
        "consent": {"agree": True, "declare": True, "version": consent["version"]}})
    assert created.status_code == 201, created.get_data(as_text=True)

    text = _metrics(client)
    assert _value(text, 'helpdesk_http_requests_total{endpoint="chat_api.ask",method="POST",status="200"}') >= 1
    assert 'helpdesk_http_request_duration_seconds_bucket{endpoint="chat_api.ask",le="0.4"}' in text
    for stage in stages:
        assert _value(text, f'helpdesk_ask_stage_duration_seconds_count{{stage="{stage}"}}') == counts[stage] + 1
    queue = created.get_json()["queue"]
    assert _value(text, f'helpdesk_tickets{{queue="{queue}",status="new"}}') == 1
    assert _value(text, "helpdesk_index_version") == 0
    assert "helpdesk_asks_rejected_total" in text
    assert "# TYPE helpdesk_mail_outbox gauge" in text


def test_the_request_id_is_echoed_kept_when_sane_and_replaced_when_not(client):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc:9"}).headers["X-Request-ID"] == "lb-1234.abc:9"
    for hostile in ("two words", "x" * 129, "<script>alert(1)</script>", "ｉｄ"):
        echoed = client.get("/healthz", headers={"X-Request-ID": hostile}).headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", echoed), hostile
    first, second = (client.get("/healthz").headers["X-Request-ID"] for _ in range(2))
    assert first != second


def test_log_records_of_a_request_carry_its_id_as_json(app, caplog):
    @app.get("/_test/log")
    def _logs_something():
        logging.getLogger("helpdesk.test").warning("something happened")
        return "ok"

    handler = logs.json_handler()
    with caplog.at_level(logging.WARNING, logger="helpdesk.test"):
        caplog.handler.addFilter(logs.RequestIdFilter())
        response = app.test_client().get("/_test/log", headers={"X-Request-ID": "trace-42"})
    assert response.headers["X-Request-ID"] == "trace-42"
    record = next(r for r in caplog.records if r.getMessage() == "something happened")
    assert record.request_id == "trace-42"
    line = json.loads(handler.format(record))
    assert line["request_id"] == "trace-42"
    assert line["level"] == "WARNING"
    assert line["message"] == "something happened"


_WORKER = """
from helpdesk.observability import metrics
metrics.REQUESTS.labels("chat_api.ask", "POST", "200").inc({n})
metrics.ASK_STAGE_SECONDS.labels("embedding").observe(0.02)
"""


def test_multiprocess_mode_adds_up_every_process(tmp_path):
    """What gunicorn.conf.py sets up: each worker writes its own files, any worker's /metrics sums them."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for n in (2, 3):
        subprocess.run([sys.executable, "-c", _WORKER.format(n=n)], env=env, check=True, timeout=60)
    scrape = subprocess.run(
        [sys.executable, "-c", "from helpdesk.observability import metrics; print(metrics.exposition().decode())"],
        env=env, check=True, timeout=60, capture_output=True, text=True).stdout
    assert _value(scrape, 'helpdesk_http_requests_total{endpoint="chat_api.ask",method="POST",status="200"}') == 5
    assert _value(scrape, 'helpdesk_ask_stage_duration_seconds_count{stage="embedding"}') == 2
