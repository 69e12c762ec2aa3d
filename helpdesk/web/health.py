"""Probes for load balancers and orchestrators.

`/healthz` (liveness) says only that this process answers HTTP: it touches neither the database nor the
models, so a database blip never gets healthy app servers restarted. `/readyz` (readiness) says whether
this process should get traffic: database reachable and migrated, index loaded and current, models warm;
503 with the reasons until then. Both are exempt from the per-request desk-FAQ sync hook.
"""
from flask import Blueprint, current_app, jsonify

from helpdesk import readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    checks = readiness.checks(current_app)
    failing = [reason for reason in checks.values() if reason != readiness.OK]
    if not failing:
        return {"status": "ready", "checks": checks}
    response = jsonify(status="not_ready", reason="; ".join(failing), checks=checks)
    response.status_code = 503
    response.headers["Retry-After"] = str(current_app.config["HELPDESK_RETRY_AFTER"])
    return response
