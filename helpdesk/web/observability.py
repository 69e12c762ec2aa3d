"""Request ids and metrics for every request, and `GET /metrics` (Prometheus text format).

The id is put on `g` before anything else runs (so every log record of the request carries it) and
echoed in the `X-Request-ID` response header. Requests are counted and timed by endpoint (the route's
name, never the raw path: ticket refs and conversation ids would make unbounded label sets).
"""
from __future__ import annotations

from flask import Flask, Response, g, request

from ..observability import logs, metrics
from ..observability.database_gauges import DatabaseGauges

HEADER = "X-Request-ID"


def init_app(app: Flask) -> None:
    if app.config["HELPDESK_JSON_LOGS"]:
        logs.configure(app.config["HELPDESK_LOG_LEVEL"])

    @app.before_request
    def _start() -> None:
        g.request_id = logs.request_id_from(request.headers.get(HEADER))
        metrics.start_request()

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers[HEADER] = g.get("request_id") or logs.request_id_from(None)
        endpoint = request.endpoint or "unmatched"
        metrics.REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        age = metrics.request_age()
        if age is not None:
            metrics.REQUEST_SECONDS.labels(endpoint).observe(age)
        return response

    @app.get("/metrics")
    def prometheus_metrics():
        return Response(metrics.exposition([DatabaseGauges()]), mimetype="text/plain; version=0.0.4")
