"""What every API area builds on: a flask-smorest Blueprint whose body parser is the app's hardened JSON
reader and whose validation errors become domain refusals in the one error shape.

An area declares its request schemas as `RequestSchema` subclasses; `field_errors` names the refusal a
field's failure means (the code clients already know, e.g. `question_not_text`); any other field that
fails is `invalid_field`. All are answered 400, as the hand-written checks they replace were.
"""
from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import ClassVar

import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser

from helpdesk.errors import HelpdeskError

from .. import json_input
from .errors import RequestError


class RequestSchema(ma.Schema):
    # Fields a client sends that the route does not know are ignored, as before the schemas.
    class Meta:
        unknown = ma.EXCLUDE

    field_errors: ClassVar[dict[str, Callable[[], HelpdeskError]]] = {}
    shape: ClassVar[str] = "{}"  # a valid body, named when the body is no JSON object


class StrictBoolean(ma.fields.Boolean):
    """JSON true or false only: consent or a verdict is never read into "yes", 1 or "on"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictInteger(ma.fields.Integer):
    """A JSON integer only: neither "1" nor true (which Python counts as an integer) is read as one."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class HardenedParser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400

    def load_json(self, req, schema):
        if not req.is_json:
            raise json_input.JSONInputError("not_json")
        body = json_input.parse(req.get_data(cache=False))
        if not isinstance(body, dict):
            raise json_input.JSONInputError("not_an_object", example=getattr(schema, "shape", "{}"))
        return body

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        by_location = next(iter(error.normalized_messages().values()), {})
        field, reasons = next(iter(by_location.items()), ("_schema", ["Invalid value."]))
        refusal = getattr(schema, "field_errors", {}).get(field)
        if refusal is not None:
            raise refusal()
        raise RequestError("invalid_field", field=field, reason=_first(reasons))


def _first(reasons) -> str:
    while isinstance(reasons, (list, dict)) and reasons:
        reasons = reasons[0] if isinstance(reasons, list) else next(iter(reasons.values()))
    return str(reasons)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = HardenedParser()

    def refusals(self, *statuses: int):
        """Document the error statuses a route answers besides its success (each in the one error shape)."""
        def decorator(view):
            for status in statuses:
                view = self.alt_response(status, response=HTTPStatus(status).name)(view)
            return view
        return decorator

