"""`/api/v1/docs`: Swagger UI over /api/v1/openapi.json, its assets served from the swagger-ui-bundle
package (no CDN), started by a static script so that the CSP needs no inline script."""
from __future__ import annotations

from flask import Blueprint, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css")


@bp.get("/docs")
def page():
    return render_template("api/docs.html")


@bp.get("/docs/assets/<any(" + ", ".join(f'"{name}"' for name in ASSETS) + "):name>")
def asset(name: str):
    return send_from_directory(swagger_ui_path, name, max_age=24 * 3600)
