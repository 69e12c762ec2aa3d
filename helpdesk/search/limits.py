"""Input checks shared by every search entry point (API, CLI), so all reject bad input alike."""
from __future__ import annotations

K_MIN, K_MAX = 1, 50


class QueryError(ValueError):
    """A query or parameter that cannot be searched; the message is meant for the user."""


def check_query(query: str | None, max_chars: int) -> str:
    query = (query or "").strip()
    if not query:
        raise QueryError("the query is empty")
    if len(query) > max_chars:
        raise QueryError(f"the query is too long ({len(query)} characters; at most {max_chars})")
    if "\x00" in query:
        raise QueryError("the query contains a NUL character")
    return query


def check_k(k: object) -> int:
    try:
        value = int(k)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise QueryError(f"k must be a whole number from {K_MIN} to {K_MAX}") from None
    if not K_MIN <= value <= K_MAX:
        raise QueryError(f"k must be from {K_MIN} to {K_MAX} (got {value})")
    return value
