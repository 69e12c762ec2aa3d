"""Reading JSON request bodies safely: the one place where a request's JSON is parsed.

Python's parser accepts what the rest of the system cannot store or would crash on: nesting deep
enough to exhaust the recursion limit (RecursionError, not a ValueError), integers too long to
convert (ValueError since Python 3.11's 4,300-digit limit) and `\\ud800`-style escapes of unpaired
surrogates, which no database encoding accepts. Each becomes a JSONInputError, answered in the API's
error shape (helpdesk.web.api.errors); the API's body parser (helpdesk.web.api.parser) and the app's
JSON provider use this parser, so `request.get_json()` anywhere gets the same checks (failing as a
400 Bad Request).
"""
from __future__ import annotations

import json
import re

from flask.json.provider import DefaultJSONProvider

from helpdesk.errors import HelpdeskError
from helpdesk.i18n import _l

MAX_DEPTH = 32  # the deepest real body (a ticket with its consent) is 2
_SURROGATE = re.compile("[\ud800-\udfff]")

TEXTS = {
    "invalid_utf8": _l("the request body is not valid UTF-8"),
    "too_deep": _l("the JSON is nested too deeply (at most {max_depth} levels)"),
    "invalid_json": _l("the request body is not valid JSON ({reason})"),
    "invalid_text": _l("the JSON holds an unpaired surrogate escape (\\ud800–\\udfff)"),
    "not_json": _l("send the body as JSON (Content-Type: application/json)"),
    "not_an_object": _l("the request body must be a JSON object like {example}"),
}


class JSONInputError(HelpdeskError):
    prefix = "request.error."
    texts = TEXTS
    statuses = {"not_json": 415}


def parse(data: str | bytes) -> object:
    """The JSON value of `data`, or JSONInputError naming what is wrong with it."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise JSONInputError("invalid_utf8") from None
    try:
        value = json.loads(data)
    except RecursionError:
        raise JSONInputError("too_deep", max_depth=MAX_DEPTH) from None
    except json.JSONDecodeError as exc:
        raise JSONInputError("invalid_json", reason=exc.msg) from None
    except ValueError as exc:  # an integer beyond the digit limit
        raise JSONInputError("invalid_json", reason=str(exc)) from None
    _check_structure(value)
    return value


def _check_structure(value: object) -> None:
    # Iterative: a walk by recursion would fail on the very nesting it is checking.
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise JSONInputError("too_deep", max_depth=MAX_DEPTH)
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise JSONInputError("invalid_text")
        elif isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)


class CheckedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with `parse` for loading (its JSONInputError is a ValueError, which
    `request.get_json()` turns into a 400)."""

    def loads(self, s: str | bytes, **kwargs) -> object:
        return parse(s)
