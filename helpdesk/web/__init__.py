"""The web layer: one blueprint per user-facing area."""
from __future__ import annotations

from flask import Flask

from . import i18n


def register_web(app: Flask) -> None:
    from .health import bp as health_bp

    i18n.init_app(app)
    for bp in (health_bp,):
        app.register_blueprint(bp)
