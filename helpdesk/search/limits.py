"""Input checks shared by every search entry point (API, CLI), so all reject bad input alike."""
from __future__ import annotations

from helpdesk.errors import HelpdeskError
from helpdesk.i18n import _l

K_MIN, K_MAX = 1, 50

TEXTS = {
    "empty_query": _l("the query is empty"),
    "query_too_long": _l("the query is too long (at most {max_chars} characters)"),
    "query_not_utf8": _l("the query string is not valid UTF-8"),
    "nul_character": _l("the query contains a NUL character"),
    "bad_k": _l("k must be a whole number from {min} to {max}"),
}


class QueryError(HelpdeskError):
    """A query or parameter that cannot be searched; the message is meant for the user."""

    prefix = "search.error."
    texts = TEXTS


def check_query(query: str | None, max_chars: int) -> str:
    query = (query or "").strip()
    if not query:
        raise QueryError("empty_query")
    if len(query) > max_chars:
        raise QueryError("query_too_long", max_chars=max_chars)
    if "\x00" in query:
        raise QueryError("nul_character")
    return query


def check_k(k: object) -> int:
    if not isinstance(k, str | int | float):
        raise QueryError("bad_k", min=K_MIN, max=K_MAX)
    try:
        value = int(k)
    except (TypeError, ValueError):
        raise QueryError("bad_k", min=K_MIN, max=K_MAX) from None
    if not K_MIN <= value <= K_MAX:
        raise QueryError("bad_k", min=K_MIN, max=K_MAX)
    return value
