"""Reading JSON request bodies safely: the one place where a request's JSON is parsed.

Python's parser accepts what the rest of the system cannot store or would crash on: nesting deep
enough to exhaust the recursion limit (RecursionError, not a ValueError), integers too long to
convert (ValueError since Python 3.11's 4,300-digit limit) and `\\ud800`-style escapes of unpaired
surrogates, which no database encoding accepts. Each becomes a JSONInputError, answered as a 400
`{"error", "code"}` by helpdesk.web.errors; the app's JSON provider uses the same parser, so
`request.get_json()` anywhere gets the same checks (failing as a 400 Bad Request).
"""
from __future__ import annotations

import json
import re

from flask import request
from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32  # the deepest real body (a ticket with its consent) is 2
_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONInputError(ValueError):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def parse(data: str | bytes) -> object:
    """The JSON value of `data`, or JSONInputError naming what is wrong with it."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise JSONInputError("invalid_utf8", "the request body is not valid UTF-8") from None
    try:
        value = json.loads(data)
    except RecursionError:
        raise JSONInputError("too_deep", f"the JSON is nested too deeply (at most {MAX_DEPTH} levels)") from None
    except json.JSONDecodeError as exc:
        raise JSONInputError("invalid_json", f"the request body is not valid JSON ({exc.msg})") from None
    except ValueError as exc:  # an integer beyond the digit limit
        raise JSONInputError("invalid_json", f"the request body is not valid JSON ({exc})") from None
    _check_structure(value)
    return value


def _check_structure(value: object) -> None:
    # Iterative: a walk by recursion would fail on the very nesting it is checking.
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise JSONInputError("too_deep", f"the JSON is nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise JSONInputError("invalid_text", "the JSON holds an unpaired surrogate escape (\\ud800–\\udfff)")
        elif isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)


def request_object(example: str) -> dict:
    """The request's JSON object; JSONInputError when the body is not one (`example`: a valid shape)."""
    if not request.is_json:
        raise JSONInputError("not_json", "send the body as JSON (Content-Type: application/json)", 415)
    body = parse(request.get_data(cache=False))
    if not isinstance(body, dict):
        raise JSONInputError("not_an_object", f"the request body must be a JSON object like {example}")
    return body


class CheckedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with `parse` for loading (its JSONInputError is a ValueError, which
    `request.get_json()` turns into a 400)."""

    def loads(self, s: str | bytes, **kwargs) -> object:
        return parse(s)
