"""App-wide hostile-input defences: the hardened JSON parser for `request.get_json()` and the id converter.

The API's error responses are helpdesk.web.api.errors'.
"""
from __future__ import annotations

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from .ids import DatabaseIdConverter
from .json_input import CheckedJSONProvider


def init_app(app: Flask) -> None:
    """Call before registering blueprints (the converter applies to the rules added after it)."""
    checked = CheckedJSONProvider(app)
    if isinstance(app.json, DefaultJSONProvider):  # keep the factory's choice
        checked.ensure_ascii = app.json.ensure_ascii
    app.json = checked
    app.url_map.converters["int"] = DatabaseIdConverter
