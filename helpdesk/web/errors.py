"""App-wide error responses: under `/api/` every error is `{"error", "code"}` JSON, never an HTML page."""
from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from .ids import DatabaseIdConverter
from .json_input import CheckedJSONProvider, JSONInputError


def _is_api() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    """Hostile-input defences for every route; call before registering blueprints (the converter
    applies to the rules added after it)."""
    checked = CheckedJSONProvider(app)
    checked.ensure_ascii = app.json.ensure_ascii
    app.json = checked
    app.url_map.converters["int"] = DatabaseIdConverter

    @app.errorhandler(JSONInputError)
    def _bad_json(error: JSONInputError):
        return jsonify(error=error.message, code=error.code), error.status

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if not _is_api():
            return error
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error=error.description, code=code), error.code
