"""Input checks shared by every search entry point (API, CLI), so all reject bad input alike."""
from __future__ import annotations

from helpdesk.errors import HelpdeskError
from helpdesk.web.i18n import MESSAGES

K_MIN, K_MAX = 1, 50

MESSAGES.update(
    {
        "search.error.empty_query": {"ja": "検索語を入力してください。", "en": "the query is empty"},
        "search.error.query_too_long": {
            "ja": "検索語が長すぎます（{max_chars}文字まで）。",
            "en": "the query is too long (at most {max_chars} characters)",
        },
        "search.error.query_not_utf8": {
            "ja": "クエリ文字列が UTF-8 ではありません。",
            "en": "the query string is not valid UTF-8",
        },
        "search.error.nul_character": {
            "ja": "検索語にNUL文字が含まれています。",
            "en": "the query contains a NUL character",
        },
        "search.error.bad_k": {
            "ja": "k は {min}〜{max} の整数で指定してください。",
            "en": "k must be a whole number from {min} to {max}",
        },
    }
)


class QueryError(HelpdeskError):
    """A query or parameter that cannot be searched; the message is meant for the user."""

    prefix = "search.error."


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
    try:
        value = int(k)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise QueryError("bad_k", min=K_MIN, max=K_MAX) from None
    if not K_MIN <= value <= K_MAX:
        raise QueryError("bad_k", min=K_MIN, max=K_MAX)
    return value
