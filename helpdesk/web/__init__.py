"""The web layer: one blueprint per user-facing area."""
from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    # Imported here, not at the top: domain modules import helpdesk.web.i18n, which must not pull in
    # the whole web layer (and the domain errors it handles) while they are being imported.
    from . import api, csrf_failure, dates, errors, i18n, input_guard, observability, outage, security
    from .admin import bp as admin_bp
    from .api.ask import refuse_busy_asks_early
    from .auth import bp as auth_bp
    from .chat import bp as chat_bp
    from .curation import bp as curation_bp
    from .dashboards import bp as dashboards_bp
    from .docs import bp as docs_bp
    from .emergency import bp as emergency_bp
    from .health import bp as health_bp
    from .outbox import bp as outbox_bp
    from .staff import bp as staff_bp
    from .tickets import bp as tickets_bp

    # First: the request id must exist before any other hook can log.
    observability.init_app(app)
    input_guard.init_app(app)
    errors.init_app(app)
    csrf_failure.init_app(app)
    i18n.init_app(app)
    # Once the request's language is chosen: an ask the worker would refuse is refused before the rest.
    refuse_busy_asks_early(app)
    outage.init_app(app)
    security.init_app(app)
    dates.init_app(app)
    for bp in (health_bp, auth_bp, admin_bp, chat_bp, docs_bp, tickets_bp, staff_bp, curation_bp, emergency_bp,
               outbox_bp, dashboards_bp):
        app.register_blueprint(bp)
    api.init_app(app)
