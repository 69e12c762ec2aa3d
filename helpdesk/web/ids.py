"""Database ids in URLs and forms: positive and small enough for an INTEGER column.

A larger number overflows SQLite's 64-bit and PostgreSQL's 32-bit integers inside the driver (a 500);
as a URL part it is an unknown id (404), as a form value a validation error.
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER


def parse_id(text: str) -> int | None:
    """`text` as an id, or None when it is not ASCII digits within 1..MAX_ID."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in every route: ids above MAX_ID do not match, so they are a 404 like any unknown id."""

    regex = r"\d{1,10}"  # a longer run of digits is no id (and int() refuses beyond 4,300 digits)

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
